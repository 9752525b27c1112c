package io.fastalloc.stats;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadSafePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wait-time percentiles from fixed power-of-two buckets: in this process through {@link PoolStats}
 * and JMX, and from another through {@code fastalloc-stat}.
 */
class WaitPercentilesTest {
    @TempDir
    Path dir;

    @Test
    void aWaitFallsInTheBucketOfTheSmallestPowerOfTwoAtOrAboveIt() {
        assertEquals(0, WaitHistogram.bucket(0));
        assertEquals(0, WaitHistogram.bucket(1_024));
        assertEquals(1, WaitHistogram.bucket(1_025));
        assertEquals(1, WaitHistogram.bucket(2_048));
        assertEquals(2, WaitHistogram.bucket(2_049));
        assertEquals(WaitHistogram.OVERFLOW - 1, WaitHistogram.bucket(1L << 36));
        assertEquals(WaitHistogram.OVERFLOW, WaitHistogram.bucket((1L << 36) + 1));
        assertEquals(WaitHistogram.OVERFLOW, WaitHistogram.bucket(Long.MAX_VALUE));
        for (int b = 0; b < WaitHistogram.BUCKETS; b++) {
            assertEquals(b, WaitHistogram.bucketOf(WaitHistogram.label(b)));
        }
    }

    @Test
    void percentilesAreTheUpperBoundOfTheirBucketCappedAtTheLongestWait() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            recorder.onCreate("waits", "TestPool", 4);
            assertEquals(0, recorder.waitPercentileNanos(0.99), "no wait yet");
            for (int i = 0; i < 900; i++) {
                recorder.onWait(3_000);
            }
            for (int i = 0; i < 99; i++) {
                recorder.onWait(1_000_000);
            }
            recorder.onWait(50_000_000);
            assertEquals(4_096, recorder.waitPercentileNanos(0.5));
            assertEquals(1L << 20, recorder.waitPercentileNanos(0.99));
            assertEquals(1L << 20, recorder.waitPercentileNanos(0.999));
            assertEquals(50_000_000, recorder.waitPercentileNanos(1.0), "the top bucket is capped at the longest wait");
            assertEquals(50_000_000, recorder.waitMaxNanos());
            assertEquals(1_000, recorder.statistics().waits());
            assertThrows(IllegalArgumentException.class, () -> recorder.waitPercentileNanos(0));
            assertThrows(IllegalArgumentException.class, () -> recorder.waitPercentileNanos(1.5));
            PoolStatsBean bean = new PoolStatsBean(recorder);
            assertEquals(4_096, bean.getWaitP50Nanos());
            assertEquals(1L << 20, bean.getWaitP999Nanos());
            assertEquals(50_000_000, bean.getWaitMaxNanos());
        }
    }

    @Test
    void aTimedOutAllocationOfARealPoolShowsInThePercentilesInProcessAndInFastallocStat() throws Exception {
        try (StatsRegistry stats = StatsRegistry.mapped(dir)) {
            PoolStats recorder = stats.recorder();
            ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.builder().name("timed").capacity(1)
                    .factory(Object::new).recorder(recorder).build());
            try (Handle<Object> held = pool.allocate()) {
                long start = System.nanoTime();
                assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));
                long waited = System.nanoTime() - start;
                long p50 = recorder.waitPercentileNanos(0.5);
                assertTrue(p50 >= 20_000_000 && p50 <= waited, "the median of one 20 ms wait: " + p50);
                assertTrue(recorder.waitMaxNanos() >= 20_000_000 && recorder.waitMaxNanos() <= waited);
                held.get();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = FastallocStat.run(new String[] {"--once", dir.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            assertEquals(0, code);
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains(String.format("%,d - fastalloc timed ThreadSafePool wait-p50-ns",
                    recorder.waitPercentileNanos(0.5))), text);
            assertTrue(text.contains(String.format("%,d - fastalloc timed ThreadSafePool wait-max-ns",
                    recorder.waitMaxNanos())), text);
            assertTrue(text.contains("- fastalloc timed ThreadSafePool wait-p99.9-ns"), text);
        }
    }
}
