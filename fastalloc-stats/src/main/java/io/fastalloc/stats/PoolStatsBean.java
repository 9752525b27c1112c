package io.fastalloc.stats;

/** The {@link PoolStatsMXBean} of one {@link PoolStats}. Thread-safe: every getter reads live counters. */
final class PoolStatsBean implements PoolStatsMXBean {
    private final PoolStats stats;

    PoolStatsBean(PoolStats stats) {
        this.stats = stats;
    }

    @Override
    public String getPoolName() {
        return stats.poolName();
    }

    @Override
    public String getKind() {
        return stats.kind();
    }

    @Override
    public long getTotalAllocations() {
        return stats.value(PoolCounter.ALLOCATIONS);
    }

    @Override
    public long getTotalReleases() {
        return stats.value(PoolCounter.RELEASES);
    }

    @Override
    public long getCurrentUsage() {
        return stats.value(PoolCounter.IN_USE);
    }

    @Override
    public long getPeakUsage() {
        return stats.value(PoolCounter.PEAK_IN_USE);
    }

    @Override
    public long getCapacity() {
        return stats.value(PoolCounter.CAPACITY);
    }

    @Override
    public long getExhaustions() {
        return stats.value(PoolCounter.EXHAUSTIONS);
    }

    @Override
    public long getWaits() {
        return stats.value(PoolCounter.WAITS);
    }

    @Override
    public long getWaitNanos() {
        return stats.value(PoolCounter.WAIT_NANOS);
    }

    @Override
    public long getWaitingThreads() {
        return stats.waitingThreads();
    }

    @Override
    public long getWaitP50Nanos() {
        return stats.waitPercentileNanos(0.5);
    }

    @Override
    public long getWaitP99Nanos() {
        return stats.waitPercentileNanos(0.99);
    }

    @Override
    public long getWaitP999Nanos() {
        return stats.waitPercentileNanos(0.999);
    }

    @Override
    public long getWaitMaxNanos() {
        return stats.waitMaxNanos();
    }

    @Override
    public long getGrowths() {
        return stats.value(PoolCounter.GROWTHS);
    }

    @Override
    public long getDiscards() {
        return stats.value(PoolCounter.DISCARDS);
    }

    @Override
    public double getUtilizationRate() {
        return stats.statistics().utilizationRate();
    }

    @Override
    public double getHitRate() {
        return stats.statistics().hitRate();
    }
}
