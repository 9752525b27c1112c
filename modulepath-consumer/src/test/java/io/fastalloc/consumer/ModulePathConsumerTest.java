package io.fastalloc.consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link ModulePathConsumer} as a JPMS application in a JVM of its own, the way a user would:
 * {@code java -p <its module and its runtime dependencies> -m io.fastalloc.consumer/...}, with no
 * {@code --add-modules}, {@code --add-opens} or {@code --add-exports}.
 */
class ModulePathConsumerTest {
    private static final String MAIN = "io.fastalloc.consumer/io.fastalloc.consumer.ModulePathConsumer";

    @Test
    void everyLockFreeKindRunsOnTheModulePathWithNoExtraFlagAndNothingOnStandardError() throws Exception {
        Run run = java(List.of());
        assertEquals(0, run.exit, () -> "exit status; stderr:\n" + run.err + "\nstdout:\n" + run.out);
        assertEquals("", run.err, "a JPMS application with no extra flag prints nothing on standard error "
                + "(no NoClassDefFoundError for sun.misc.Unsafe, no Unsafe deprecation warning)");
        for (String kind : new String[] {"MpmcPool", "SpscPool", "MpscPool", "SpmcPool", "CachingPool"}) {
            assertTrue(run.out.contains(kind + " checked=false: 10000 objects handed off"), run.out);
            assertTrue(run.out.contains(kind + " checked=true: 10000 objects handed off"), run.out);
        }
        assertTrue(run.out.contains("all lock-free kinds ran"), run.out);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_24) // JDK 17 refuses the flag; on 24+ deny makes any call throw
    void everyLockFreeKindRunsWithSunMiscUnsafeMemoryAccessDenied() throws Exception {
        Run run = java(List.of("--sun-misc-unsafe-memory-access=deny"));
        assertEquals(0, run.exit, () -> "exit status; stderr:\n" + run.err + "\nstdout:\n" + run.out);
        assertEquals("", run.err);
        assertTrue(run.out.contains("all lock-free kinds ran"), run.out);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run java(List<String> flags) throws Exception {
        String modulePath = System.getProperty("consumer.module.path");
        assertNotNull(modulePath, "consumer.module.path (set by the build)");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(flags);
        command.add("-p");
        command.add(modulePath);
        command.add("-m");
        command.add(MAIN);
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the consumer did not finish in 120 s: " + command);
        }
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
