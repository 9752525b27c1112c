package io.fastalloc.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started from a class path without the {@code --add-exports} flag Agrona needs gets one
 * fastalloc line naming the flag for the class path and for the module path, from a
 * {@link StatsRegistry} and from {@code fastalloc-stat}, not a raw {@link IllegalAccessError}.
 */
class AgronaAccessTest {
    @TempDir
    Path dir;

    /** Run in the child JVM: builds a registry and prints what happened. */
    public static final class BuildRegistry {
        private BuildRegistry() {
        }

        /**
         * @param args ignored
         */
        public static void main(String[] args) {
            try (StatsRegistry registry = StatsRegistry.inProcess()) {
                System.out.println("built " + registry);
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void aRegistryInAJvmWithoutTheFlagThrowsOneLineNamingTheFlagForBothPaths() throws Exception {
        Run run = javaWithoutTheFlag(BuildRegistry.class.getName());
        assertEquals(0, run.exit, run.err);
        assertEquals("", run.err, "no IllegalAccessError, no stack trace");
        assertEquals(1, run.out.strip().lines().count(), run.out);
        assertTrue(run.out.startsWith("fastalloc-stats: "), run.out);
        assertTrue(run.out.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED (class path)"), run.out);
        assertTrue(run.out.contains("--add-exports java.base/jdk.internal.misc=org.agrona (module path)"), run.out);
    }

    @Test
    void fastallocStatInAJvmWithoutTheFlagExitsWithOneLineNamingTheFlag() throws Exception {
        StatsRegistry stats = StatsRegistry.mapped(dir); // a live statistics file to point the reader at
        try {
            Run run = javaWithoutTheFlag(FastallocStat.class.getName(), "--once", dir.toString());
            assertEquals(FastallocStat.EXIT_NO_AGRONA_ACCESS, run.exit, run.err);
            assertEquals(1, run.err.strip().lines().count(), run.err);
            assertTrue(run.err.startsWith("fastalloc-stat: Agrona cannot reach jdk.internal.misc.Unsafe"), run.err);
            assertTrue(run.err.contains("=ALL-UNNAMED (class path)") && run.err.contains("=org.agrona (module path)"),
                    run.err);
            assertFalse(run.err.contains("Error") || run.err.contains("\tat "), run.err);
        } finally {
            stats.close();
        }
    }

    @Test
    void theTestJvmHasTheFlagSoItsRegistriesWork() {
        assertTrue(AgronaAccess.granted(), "surefire's argLine carries " + AgronaAccess.CLASS_PATH_FLAG);
        StatsRegistry.inProcess().close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run javaWithoutTheFlag(String main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM should finish");
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
