package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastallocStatTest {
    private static final Pattern ALLOCATIONS =
            Pattern.compile("^\\s*\\d+:\\s+([\\d,]+) - fastalloc orders FixedPool allocations$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** Output and exit code of one run. */
    private static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    private static Result runInProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FastallocStat.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts FastallocStat in a second JVM, as a user would. */
    private static Result runInChildJvm(String... args) throws Exception {
        ChildJvm.Run run = ChildJvm.run(true, FastallocStat.class.getName(), args);
        return new Result(run.exit(), run.out(), run.err());
    }

    private static long allocations(String out) {
        Matcher m = ALLOCATIONS.matcher(out);
        assertTrue(m.find(), "no allocations line for pool 'orders' in:\n" + out);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static void assertOneLineError(Result r, int code, String fragment) {
        assertEquals(code, r.code, r.err);
        assertTrue(r.err.contains(fragment), "expected '" + fragment + "' in: " + r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), "no stack trace: " + r.err);
        assertTrue(r.err.startsWith("fastalloc-stat: "), r.err);
    }

    @Test
    void shouldReadLiveCountersFromASecondJvmAndSeeThemChange() throws Exception {
        try (StatsRegistry stats = StatsRegistry.mapped(dir)) {
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("orders").capacity(8)
                    .factory(Object::new).recorder(stats.recorder()).build());
            for (int i = 0; i < 10; i++) {
                pool.allocate().close();
            }
            Handle<Object> held = pool.allocate();
            stats.publish();

            Result first = runInChildJvm("--once", dir.toString());
            assertEquals(0, first.code, first.err);
            assertEquals(11, allocations(first.out));
            assertTrue(first.out.contains("fastalloc orders FixedPool in-use"), first.out);
            assertTrue(first.out.contains("(pid " + ProcessHandle.current().pid()), first.out);

            for (int i = 0; i < 25; i++) {
                pool.allocate().close();
            }
            held.close();
            stats.publish();
            Result second = runInChildJvm("--once", dir.toString());
            assertEquals(0, second.code, second.err);
            assertEquals(36, allocations(second.out));
        }
    }

    @Test
    void shouldPrintEveryPoolInOneSnapshot() {
        try (StatsRegistry stats = StatsRegistry.mapped(dir)) {
            FixedPool.create(PoolConfig.builder().name("orders").capacity(2).factory(Object::new)
                    .recorder(stats.recorder()).build()).allocate();
            stats.publish();
            FixedPool.create(PoolConfig.builder().name("quotes").capacity(2).factory(Object::new)
                    .recorder(stats.recorder()).build());
            Result r = runInProcess("--once", dir.toString());
            assertEquals(0, r.code, r.err);
            assertEquals(1, allocations(r.out));
            for (PoolCounter c : PoolCounter.values()) {
                assertTrue(r.out.contains("fastalloc orders FixedPool " + c.label()), r.out);
                assertTrue(r.out.contains("fastalloc quotes FixedPool " + c.label()), r.out);
            }
        }
    }

    @Test
    void shouldRefreshAtTheGivenIntervalUntilTheFileGoesAway() throws Exception {
        StatsRegistry stats = StatsRegistry.mapped(dir);
        FixedPool.create(PoolConfig.builder().name("orders").capacity(2).factory(Object::new)
                .recorder(stats.recorder()).build());
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stats.close();
        });
        closer.start();
        Result r = runInProcess("--interval", "50", dir.toString());
        closer.join();
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.split("fastalloc-stat ", -1).length > 2, "several refreshes:\n" + r.out);
        assertTrue(r.err.contains("was removed"), r.err);
    }

    @Test
    void shouldFailClearlyOnAMissingDirectory() throws Exception {
        Path missing = dir.resolve("nope");
        assertOneLineError(runInProcess(missing.toString()), FastallocStat.EXIT_NO_DIRECTORY, "no such directory");
        assertOneLineError(runInChildJvm("--once", missing.toString()), FastallocStat.EXIT_NO_DIRECTORY,
                "no such directory: " + missing);
    }

    @Test
    void shouldFailClearlyOnADirectoryWithoutStatistics() {
        assertOneLineError(runInProcess("--once", dir.toString()), FastallocStat.EXIT_NO_FILE,
                "no fastalloc statistics in " + dir);
    }

    @Test
    void shouldFailClearlyOnAFileThatIsNotACountersFile() throws Exception {
        Files.write(dir.resolve("fastalloc-stats.dat"), new byte[4096]);
        assertOneLineError(runInProcess("--once", dir.toString()), FastallocStat.EXIT_NOT_A_COUNTERS_FILE,
                "is not a fastalloc statistics file (bad magic number");
        assertOneLineError(runInChildJvm("--once", dir.toString()), FastallocStat.EXIT_NOT_A_COUNTERS_FILE,
                "bad magic number");
    }

    @Test
    void shouldFailClearlyOnATruncatedFile() throws Exception {
        Files.write(dir.resolve("fastalloc-stats.dat"), "hello".getBytes(StandardCharsets.UTF_8));
        assertOneLineError(runInProcess("--once", dir.toString()), FastallocStat.EXIT_NOT_A_COUNTERS_FILE,
                "shorter than the header");
    }

    @Test
    void shouldFailClearlyOnAnIncompatibleVersion() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        header.putLong(StatsLayout.MAGIC_OFFSET, StatsLayout.MAGIC);
        header.putInt(StatsLayout.VERSION_OFFSET, 99);
        Files.write(dir.resolve("fastalloc-stats.dat"), header.array());
        assertOneLineError(runInProcess("--once", dir.toString()), FastallocStat.EXIT_INCOMPATIBLE_VERSION,
                "has layout version 99, this reader understands version 1");
    }

    @Test
    void shouldFailClearlyOnLengthsThatDoNotFit() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        header.putLong(StatsLayout.MAGIC_OFFSET, StatsLayout.MAGIC);
        header.putInt(StatsLayout.VERSION_OFFSET, StatsLayout.LAYOUT_VERSION);
        header.putInt(StatsLayout.METADATA_LENGTH_OFFSET, 512 * 1000);
        header.putInt(StatsLayout.VALUES_LENGTH_OFFSET, 128 * 1000);
        Files.write(dir.resolve("fastalloc-stats.dat"), header.array());
        assertOneLineError(runInProcess("--once", dir.toString()), FastallocStat.EXIT_NOT_A_COUNTERS_FILE,
                "do not fit");
    }

    @Test
    void shouldFailClearlyOnBadArguments() {
        assertOneLineError(runInProcess(), FastallocStat.EXIT_USAGE, "no directory given");
        assertOneLineError(runInProcess("--interval", "soon", dir.toString()), FastallocStat.EXIT_USAGE,
                "--interval: soon (expected: milliseconds > 0)");
        assertOneLineError(runInProcess("--interval"), FastallocStat.EXIT_USAGE, "--interval needs a value");
        assertOneLineError(runInProcess("--bogus", dir.toString()), FastallocStat.EXIT_USAGE, "unknown option --bogus");
        assertOneLineError(runInProcess("a", "b"), FastallocStat.EXIT_USAGE, "more than one directory");
    }

    @Test
    void shouldPrintUsageOnHelpAndExitZero() {
        for (String help : new String[] {"--help", "-h"}) {
            Result r = runInProcess(help);
            assertEquals(0, r.code, help);
            assertTrue(r.out.contains("--once") && r.out.contains("--interval"), r.out);
            assertEquals("", r.err);
        }
    }

    @Test
    void shouldFailClearlyWhenTheDirectoryIsAFile() throws Exception {
        Path file = Files.write(dir.resolve("plain"), new byte[1]);
        assertOneLineError(runInProcess(file.toString()), FastallocStat.EXIT_NO_DIRECTORY, "is not a directory");
    }
}
