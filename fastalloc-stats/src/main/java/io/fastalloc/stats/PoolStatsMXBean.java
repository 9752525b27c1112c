package io.fastalloc.stats;

/**
 * One pool's statistics through JMX, registered by {@link PoolStats#registerMBean()} under
 * {@code io.fastalloc:type=Pool,name=<pool>}. Every attribute reads the live counter.
 */
public interface PoolStatsMXBean {
    /** @return the pool's name */
    String getPoolName();

    /** @return the pool kind, such as {@code "FixedPool"} */
    String getKind();

    /** @return objects handed out since the pool was made */
    long getTotalAllocations();

    /** @return objects given back since the pool was made */
    long getTotalReleases();

    /** @return objects out now */
    long getCurrentUsage();

    /** @return the most objects out at once */
    long getPeakUsage();

    /** @return objects the pool holds now */
    long getCapacity();

    /** @return allocation attempts that found no free object */
    long getExhaustions();

    /** @return bounded waits that ended */
    long getWaits();

    /** @return total nanoseconds spent in bounded waits */
    long getWaitNanos();

    /** @return times the capacity grew */
    long getGrowths();

    /** @return objects dropped because their reset or validation failed */
    long getDiscards();

    /** @return in use / capacity, see {@link PoolStatistics#utilizationRate()} */
    double getUtilizationRate();

    /** @return allocations / attempts, see {@link PoolStatistics#hitRate()} */
    double getHitRate();
}
