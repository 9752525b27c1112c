package io.fastalloc.stats;

/**
 * The write-through concurrent recorder ({@code publishInterval(Duration.ZERO)}): for pools whose
 * threads record at the same time without a common lock, when the exact peak matters more than the
 * cost of shared atomic counters.
 *
 * <p>Counts are atomic adds on the shared counters (one {@code lock xadd} each on x86). In use is
 * kept as its own atomic counter so that the peak is exact: the thread whose add raises it proposes
 * the new peak with a compare-and-set loop that only runs when the peak actually rises. Pools count
 * an allocation after the slot is taken and a release before the slot can be taken again, so the
 * in use counted is never above the objects out.
 *
 * <p><b>Thread safety</b>: any number of recording and reading threads.
 *
 * <p><b>Memory effects</b>: every count is a volatile read-modify-write; readers use acquire loads.
 *
 * <p><b>Progress</b>: lock-free (the peak's compare-and-set may retry while other threads raise it).
 */
final class ConcurrentPoolStats extends PoolStats {

    ConcurrentPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        super(registry, fixedName, waitEventThresholdNanos, true);
    }


    @Override
    public void onAllocate() {
        allocations.getAndAdd(1);
        long u = inUse.getAndAdd(1) + 1;
        if (u > peakInUse.getPlain()) {
            peakInUse.proposeMax(u);
        }
    }

    @Override
    public void onRelease() {
        releases.getAndAdd(1);
        inUse.getAndAdd(-1);
    }

    /** The in use counter: every add and subtract of it happened, in some order, at one instant. */
    @Override
    long inUseNow() {
        return inUse.getAcquire();
    }
}
