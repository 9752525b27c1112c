package io.fastalloc;

import java.lang.management.ManagementFactory;

/** Measures the bytes the current thread allocates, with com.sun.management.ThreadMXBean. */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {
    }

    /** @return bytes allocated so far by the current thread */
    static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Warms {@code body} up with 200,000 runs, then measures 100,000 runs a few times.
     *
     * @return the fewest bytes one measurement of 100,000 runs allocated
     */
    static long minBytesPer100k(Runnable body) {
        for (int i = 0; i < 200_000; i++) {
            body.run();
        }
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && min > 0; attempt++) {
            long before = allocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                body.run();
            }
            min = Math.min(min, allocatedBytes() - before);
        }
        return min;
    }

    /** Waits (without a time limit) until {@code t} is parked, waiting or has ended. */
    static void awaitBlocked(Thread t) {
        while (t.isAlive() && t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
    }
}
