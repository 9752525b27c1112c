package io.fastalloc.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentRecorderTest {
    private static final int THREADS = 4;
    private static final int PAIRS = 100_000;
    private static final int HELD = 3;

    @Test
    void shouldCountEveryEventFromManyThreads() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder("shared");
            assertTrue(recorder.isConcurrent());
            recorder.onCreate("ignored", "TestPool", 64);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PAIRS; i++) {
                            // each thread holds up to HELD objects at once
                            recorder.onAllocate();
                            if (i % HELD == HELD - 1) {
                                for (int k = 0; k < HELD; k++) {
                                    recorder.onRelease();
                                }
                            }
                            if (i % 1000 == 0) {
                                recorder.onExhausted();
                                recorder.onWait(10);
                                recorder.onDiscard();
                            }
                        }
                        for (int k = 0; k < PAIRS % HELD; k++) {
                            recorder.onRelease();
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
            PoolStatistics s = recorder.statistics();
            assertEquals("shared", s.poolName());
            assertEquals((long) THREADS * PAIRS, s.totalAllocations());
            assertEquals((long) THREADS * PAIRS, s.totalReleases());
            assertEquals(0, s.currentUsage());
            long events = (long) THREADS * ((PAIRS + 999) / 1000);
            assertEquals(events, s.exhaustions());
            assertEquals(events, s.waits());
            assertEquals(events * 10, s.waitNanos());
            assertEquals(events, s.discards());
            assertTrue(s.peakUsage() >= HELD && s.peakUsage() <= (long) THREADS * HELD,
                    "peak " + s.peakUsage() + " must lie between one thread's and all threads' holdings");
        }
    }

    @Test
    void shouldKeepTheExactPeakWhenOneThreadHoldsMany() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            recorder.onCreate("peak", "TestPool", 10);
            for (int i = 0; i < 7; i++) {
                recorder.onAllocate();
            }
            for (int i = 0; i < 7; i++) {
                recorder.onRelease();
            }
            recorder.onCapacityChange(10, 20);
            recorder.onCapacityChange(20, 15);
            PoolStatistics s = recorder.statistics();
            assertEquals(7, s.peakUsage());
            assertEquals(0, s.currentUsage());
            assertEquals(15, s.capacity());
            assertEquals(1, s.growths());
        }
    }
}
