package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.PoolConfig;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fastalloc-stat} over a statistics file that a real {@link StatsRegistry} wrote and that was
 * then damaged byte by byte: every damaged file is answered with exit code 4 and one line naming
 * what is wrong, never with an I/O error, a stack trace or an allocation sized from the file.
 */
class CorruptStatsFileTest {
    /** Counters in the writer's file: 4 pools, each with its PoolCounters and its wait buckets. */
    private static final int COUNTERS = 4 * (PoolCounter.values().length + WaitHistogram.COUNTERS);
    /** The counter whose record is damaged (an allocated one: two pools hold 20 counters). */
    private static final int RECORD = 3;
    private static final long ALLOCATION_LIMIT = 64L << 20;

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

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FastallocStat.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes a statistics file with the project's own writer (two pools, counters published) and
     * returns a directory holding a copy of it, which outlives the registry.
     */
    private Path writtenStatsDirectory() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (StatsRegistry stats = StatsRegistry.builder().directory(dir.resolve("writer")).maxPools(4).build()) {
            FixedPool.create(PoolConfig.builder().name("orders").capacity(4).factory(Object::new)
                    .recorder(stats.recorder()).build()).allocate();
            FixedPool.create(PoolConfig.builder().name("quotes").capacity(4).factory(Object::new)
                    .recorder(stats.recorder()).build());
            stats.publish();
            Files.copy(stats.file(), copy.resolve(StatsLayout.FILE_NAME));
        }
        return copy;
    }

    private static Path file(Path directory) {
        return directory.resolve(StatsLayout.FILE_NAME);
    }

    private static long labelLengthOffset(int record) {
        return StatsLayout.HEADER_LENGTH + (long) CountersReader.metaDataOffset(record) + CountersReader.LABEL_OFFSET;
    }

    private static long recordStateOffset(int record) {
        return StatsLayout.HEADER_LENGTH + (long) CountersReader.metaDataOffset(record);
    }

    /** Overwrites four bytes of the file, in the writer's (native) byte order. */
    private static void putInt(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, value);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }

    private static int getInt(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                // keep reading
            }
            return b.getInt(0);
        }
    }

    /**
     * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes, read through the platform
     * MBean server (this module does not read jdk.management); the call runs on the calling thread.
     */
    private static long allocatedByThisThread() {
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME), "CurrentThreadAllocatedBytes");
        } catch (JMException e) {
            throw new AssertionError("this JVM does not count allocated bytes per thread", e);
        }
    }

    private static void assertNotAStatsFile(Result r, String fragment) {
        assertAll(
                () -> assertEquals(FastallocStat.EXIT_NOT_A_COUNTERS_FILE, r.code, "exit code; stderr: " + r.err),
                () -> assertTrue(r.err.contains("is not a fastalloc statistics file"), r.err),
                () -> assertTrue(r.err.contains(fragment), "expected '" + fragment + "' in: " + r.err),
                () -> assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err),
                () -> assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), "no stack trace: " + r.err),
                () -> assertTrue(r.err.startsWith("fastalloc-stat: "), r.err));
    }

    @Test
    void shouldReadTheUndamagedCopy() throws IOException {
        Result r = run("--once", writtenStatsDirectory().toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("fastalloc quotes FixedPool capacity"), r.out);
    }

    @Test
    void shouldRejectANegativeLabelLength() throws IOException {
        Path copy = writtenStatsDirectory();
        putInt(file(copy), labelLengthOffset(RECORD), -1);
        assertNotAStatsFile(run("--once", copy.toString()), "label length -1 at record " + RECORD);
    }

    @Test
    void shouldRejectAHugeLabelLengthWithoutAllocatingIt() throws IOException {
        Path copy = writtenStatsDirectory();
        putInt(file(copy), labelLengthOffset(RECORD), 1_500_000_000);
        long before = allocatedByThisThread();
        Result r = run("--once", copy.toString());
        long allocated = allocatedByThisThread() - before;
        assertAll(
                () -> assertTrue(allocated < ALLOCATION_LIMIT, "allocated " + allocated + " bytes reading the file"),
                () -> assertNotAStatsFile(r, "label length 1500000000 at record " + RECORD));
    }

    @Test
    void shouldRejectFewerValuesThanMetadataRecords() throws IOException {
        Path copy = writtenStatsDirectory();
        putInt(file(copy), StatsLayout.VALUES_LENGTH_OFFSET, CountersReader.COUNTER_LENGTH);
        assertNotAStatsFile(run("--once", copy.toString()), "metadata for " + COUNTERS + " counters but values for 1");
    }

    @Test
    void shouldRejectFewerMetadataRecordsThanValues() throws IOException {
        Path copy = writtenStatsDirectory();
        putInt(file(copy), StatsLayout.METADATA_LENGTH_OFFSET, CountersReader.METADATA_LENGTH);
        assertNotAStatsFile(run("--once", copy.toString()), "metadata for 1 counters but values for " + COUNTERS);
    }

    @Test
    void shouldRejectAFileLongerThanItsSections() throws IOException {
        Path copy = writtenStatsDirectory();
        try (FileChannel ch = FileChannel.open(file(copy), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.allocate(4096));
        }
        assertNotAStatsFile(run("--once", copy.toString()), "4096 of its");
    }

    @Test
    void shouldRejectAnUnknownRecordState() throws IOException {
        Path copy = writtenStatsDirectory();
        putInt(file(copy), recordStateOffset(RECORD), 7);
        assertNotAStatsFile(run("--once", copy.toString()), "record state 7 at record " + RECORD);
    }

    @Test
    void shouldRejectATruncatedFile() throws IOException {
        Path copy = writtenStatsDirectory();
        long full = Files.size(file(copy));
        try (FileChannel ch = FileChannel.open(file(copy), StandardOpenOption.WRITE)) {
            ch.truncate(full - CountersReader.COUNTER_LENGTH);
        }
        assertNotAStatsFile(run("--once", copy.toString()), "do not fit");
        try (FileChannel ch = FileChannel.open(file(copy), StandardOpenOption.WRITE)) {
            ch.truncate(StatsLayout.HEADER_LENGTH - 1);
        }
        assertNotAStatsFile(run("--once", copy.toString()), "shorter than the header");
    }

    @Test
    void shouldRejectALabelDamagedWhileWatching() throws Exception {
        Path copy = writtenStatsDirectory();
        long offset = labelLengthOffset(RECORD);
        assertTrue(getInt(file(copy), offset) > 0, "record " + RECORD + " should hold a label");
        Thread damager = new Thread(() -> {
            try {
                Thread.sleep(200);
                putInt(file(copy), offset, -1);
                Thread.sleep(5_000);
                Files.deleteIfExists(file(copy)); // ends a reader that missed the damage
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the reader is done
            }
        });
        damager.start();
        Result r = run("--interval", "20", copy.toString());
        damager.interrupt();
        damager.join();
        assertTrue(r.out.contains("fastalloc orders FixedPool allocations"), "read before the damage:\n" + r.out);
        assertNotAStatsFile(r, "label length -1 at record " + RECORD);
    }
}
