package io.fastalloc.stats;

/**
 * The write-through single-writer recorder ({@code publishInterval(Duration.ZERO)}): every count
 * goes to its Agrona counter at once. For {@code FixedPool}, {@code GrowingPool}, or a pool that
 * makes every recorder call under one lock (no fastalloc shared pool does).
 *
 * <p><b>Thread safety</b>: one recording thread at a time, with a happens-before edge between
 * successive recording threads. Readers: any thread.
 *
 * <p><b>Memory effects</b>: every counter is written with a release store (a plain store on x86
 * and a store-release on ARM); nothing is read-modify-write atomic. Allocations and releases are
 * mirrored in plain fields that only the writer touches, so the hot path reads nothing off-heap.
 *
 * <p><b>Progress</b>: wait-free.
 */
final class SingleWriterPoolStats extends PoolStats {
    // Written and read by the recording thread only (plain).
    private long allocated;
    private long released;
    private long peak;

    SingleWriterPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        super(registry, fixedName, waitEventThresholdNanos, false);
    }


    @Override
    public void onAllocate() {
        long a = allocated + 1;
        allocated = a;
        allocations.setRelease(a);
        long u = a - released;
        if (u > peak) { // the peak before in use: a reader that sees this in use sees this peak
            peak = u;
            peakInUse.setRelease(u);
        }
        inUse.setRelease(u);
    }

    @Override
    public void onRelease() {
        long r = released + 1;
        released = r;
        releases.setRelease(r);
        inUse.setRelease(allocated - r);
    }

    /** The in use this recorder's one writer stored last: a value it had at one instant. */
    @Override
    long inUseNow() {
        return inUse.getAcquire();
    }
}
