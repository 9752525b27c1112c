package io.fastalloc.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
        ChildJvm.Run run = javaWithoutTheFlag(BuildRegistry.class.getName());
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "no IllegalAccessError, no stack trace");
        assertEquals(1, run.out().strip().lines().count(), run.out());
        assertTrue(run.out().startsWith("fastalloc-stats: "), run.out());
        assertTrue(run.out().contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED (class path)"), run.out());
        assertTrue(run.out().contains("--add-exports java.base/jdk.internal.misc=org.agrona (module path)"), run.out());
    }

    @Test
    void fastallocStatInAJvmWithoutTheFlagExitsWithOneLineNamingTheFlag() throws Exception {
        StatsRegistry stats = StatsRegistry.mapped(dir); // a live statistics file to point the reader at
        try {
            ChildJvm.Run run = javaWithoutTheFlag(FastallocStat.class.getName(), "--once", dir.toString());
            assertEquals(FastallocStat.EXIT_NO_AGRONA_ACCESS, run.exit(), run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().startsWith("fastalloc-stat: Agrona cannot reach jdk.internal.misc.Unsafe"), run.err());
            assertTrue(run.err().contains("=ALL-UNNAMED (class path)") && run.err().contains("=org.agrona (module path)"),
                    run.err());
            assertFalse(run.err().contains("Error") || run.err().contains("\tat "), run.err());
        } finally {
            stats.close();
        }
    }

    @Test
    void theTestJvmHasTheFlagSoItsRegistriesWork() {
        assertTrue(AgronaAccess.granted(), "surefire's argLine carries " + AgronaAccess.CLASS_PATH_FLAG);
        StatsRegistry.inProcess().close();
    }

    private static ChildJvm.Run javaWithoutTheFlag(String main, String... args) throws Exception {
        return ChildJvm.run(false, main, args);
    }
}
