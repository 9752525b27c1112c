package io.fastalloc.stats;

import io.fastalloc.PoolRecorder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pools may derive their counts from 32-bit counters that wrap (CachingPool's slot generations), so
 * the publisher reads attached counts at least every second, whatever the publish interval.
 */
class CountReadIntervalTest {

    /** Counts that count how often they are read. */
    static final class ReadCounting implements PoolRecorder.Counts {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public long allocations() {
            reads.incrementAndGet();
            return 7;
        }

        @Override
        public long releases() {
            return 5;
        }
    }

    @Test
    void shouldReadAttachedCountsEverySecondWithoutPublishingThemBeforeTheInterval() throws Exception {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(Duration.ofHours(1)).build()) {
            PoolStats recorder = stats.concurrentRecorder();
            recorder.onCreate("wraps", "CachingPool", 8);
            ReadCounting counts = new ReadCounting();
            assertTrue(recorder.attachCounts(counts));
            int before = counts.reads.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counts.reads.get() == before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(counts.reads.get() > before, "the publisher never read the pool's counts");
            int allocations = recorder.counterId(PoolCounter.ALLOCATIONS);
            assertEquals(0, stats.countersReader().getCounterValue(allocations), "read, but not published");
        }
    }
}
