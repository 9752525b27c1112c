package io.fastalloc.stats;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The striped recorder's cells: sizing, id collisions, and taking over a dead thread's cell. */
class StripedPoolStatsTest {

    @SuppressWarnings("deprecation") // Thread.getId, as the recorder uses it
    private static long id(Thread t) {
        return t.getId();
    }

    /** Makes (without starting) threads until one falls in the same cell as {@code other}. */
    private static Thread threadInCellOf(long other, int cells, Runnable body) {
        for (int i = 0; i < 100_000; i++) {
            Thread t = new Thread(body);
            if ((id(t) & (cells - 1)) == (other & (cells - 1))) {
                return t;
            }
        }
        throw new AssertionError("no thread id fell into cell " + (other & (cells - 1)));
    }

    private static StripedPoolStats striped(StatsRegistry stats) {
        PoolStats recorder = stats.concurrentRecorder();
        assertTrue(recorder instanceof StripedPoolStats, recorder.getClass().getName());
        recorder.onCreate("cells", "TestPool", 1_000_000);
        return (StripedPoolStats) recorder;
    }

    @Test
    void shouldSizeTheCellsAsAPowerOfTwoWithinBounds() {
        assertEquals(StripedPoolStats.MIN_CELLS, StripedPoolStats.cellCountFor(0));
        assertEquals(StripedPoolStats.MIN_CELLS, StripedPoolStats.cellCountFor(8));
        assertEquals(16, StripedPoolStats.cellCountFor(9));
        assertEquals(64, StripedPoolStats.cellCountFor(64));
        assertEquals(StripedPoolStats.MAX_CELLS, StripedPoolStats.cellCountFor(Integer.MAX_VALUE));
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            int n = striped(stats).cellCount();
            assertEquals(0, n & (n - 1), "power of two: " + n);
            assertTrue(n >= Runtime.getRuntime().availableProcessors() * 2 || n == StripedPoolStats.MAX_CELLS);
        }
    }

    /**
     * Two live threads whose ids fall in one cell: the first owns it, the second counts with atomic
     * adds in the cell's shared part; the totals stay exact.
     */
    @Test
    void shouldCountExactlyWhenTwoLiveThreadsShareACell() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            StripedPoolStats recorder = striped(stats);
            int cells = recorder.cellCount();
            int pairs = 50_000;
            CyclicBarrier bothAlive = new CyclicBarrier(2);
            CyclicBarrier done = new CyclicBarrier(2);
            Runnable work = () -> {
                try {
                    bothAlive.await(10, TimeUnit.SECONDS); // both alive: neither can take the other's cell
                    for (int i = 0; i < pairs; i++) {
                        recorder.onAllocate();
                        recorder.onAllocate();
                        recorder.onRelease();
                    }
                    done.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            Thread first = new Thread(work);
            Thread second = threadInCellOf(id(first), cells, work);
            first.start();
            second.start();
            first.join(30_000);
            second.join(30_000);
            PoolStatistics s = recorder.statistics();
            assertEquals(4L * pairs, s.totalAllocations());
            assertEquals(2L * pairs, s.totalReleases());
            assertEquals(2L * pairs, s.currentUsage());
            assertEquals(3L * pairs, recorder.sharedEvents(), "one of the two counted in the shared part");
            stats.publish();
            assertEquals(4L * pairs, stats.countersReader().getCounterValue(recorder.counterId(PoolCounter.ALLOCATIONS)));
        }
    }

    /** A thread that meets a cell whose owner has ended takes it over and goes on from its counts. */
    @Test
    void shouldTakeOverTheCellOfAThreadThatEnded() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            StripedPoolStats recorder = striped(stats);
            int cells = recorder.cellCount();
            Thread first = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    recorder.onAllocate();
                }
                for (int i = 0; i < 400; i++) {
                    recorder.onRelease();
                }
            });
            first.start();
            first.join();
            Runnable releaseTheRest = () -> {
                for (int i = 0; i < 600; i++) {
                    recorder.onRelease();
                }
                recorder.onAllocate();
            };
            Thread second = threadInCellOf(id(first), cells, releaseTheRest);
            second.start();
            second.join();
            PoolStatistics s = recorder.statistics();
            assertEquals(1001, s.totalAllocations());
            assertEquals(1000, s.totalReleases());
            assertEquals(1, s.currentUsage());
            assertEquals(0, recorder.sharedEvents(), "the second thread took the cell over instead of sharing it");
        }
    }

    /** One thread takes its cell on its first event and then counts there without atomics. */
    @Test
    void shouldCountInTheThreadsOwnCellWhenAloneInIt() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            StripedPoolStats recorder = striped(stats);
            for (int i = 0; i < 10_000; i++) {
                recorder.onAllocate();
                recorder.onRelease();
            }
            assertEquals(0, recorder.sharedEvents());
            assertEquals(10_000, recorder.statistics().totalReleases());
        }
    }

    /** A read raises the sampled peak to the in use it read, in the snapshot and in what it publishes. */
    @Test
    void shouldRaiseTheSampledPeakToTheInUseItReads() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            recorder.onCreate("sampled", "TestPool", 3);
            recorder.onAllocate();
            recorder.onAllocate();
            assertEquals(0, recorder.peakNow(), "no read has sampled the peak yet");
            PoolStatistics s = recorder.statistics();
            assertEquals(2, s.currentUsage());
            assertEquals(2, s.peakUsage());
            recorder.onRelease();
            assertEquals(2, recorder.statistics().peakUsage(), "a later read keeps the peak an earlier one saw");
            stats.publish();
            assertEquals(2, stats.countersReader().getCounterValue(recorder.counterId(PoolCounter.PEAK_IN_USE)));
            assertEquals(1, stats.countersReader().getCounterValue(recorder.counterId(PoolCounter.IN_USE)));
        }
    }
}
