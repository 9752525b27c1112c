package io.fastalloc.stats;

/**
 * One pool's statistics through JMX, registered by {@link PoolStats#registerMBean()} under
 * {@code io.fastalloc:type=Pool,name=<pool>}. Every attribute reads the live counter.
 */
public interface PoolStatsMXBean {
    /** {@return the pool's name} */
    String getPoolName();

    /** {@return the pool kind, such as {@code "FixedPool"}} */
    String getKind();

    /**
     * Returns the number of objects handed out since the pool was made.
     *
     * @return objects handed out since the pool was made
     */
    long getTotalAllocations();

    /**
     * Returns the number of objects given back since the pool was made.
     *
     * @return objects given back since the pool was made
     */
    long getTotalReleases();

    /**
     * Returns the number of objects out now.
     *
     * @return objects out now
     */
    long getCurrentUsage();

    /** {@return the most objects out at once} */
    long getPeakUsage();

    /**
     * Returns the number of objects the pool holds now.
     *
     * @return objects the pool holds now
     */
    long getCapacity();

    /**
     * Returns the number of allocation attempts that found no free object.
     *
     * @return allocation attempts that found no free object
     */
    long getExhaustions();

    /**
     * Returns the number of bounded waits that ended.
     *
     * @return bounded waits that ended
     */
    long getWaits();

    /** {@return total nanoseconds spent in bounded waits} */
    long getWaitNanos();

    /**
     * Returns how many threads wait for a free object now ({@link PoolStats#waitingThreads()}).
     *
     * @return how many threads wait for a free object now
     */
    long getWaitingThreads();

    /**
     * Returns the median time a bounded allocation waited, from power-of-two buckets (at most twice
     * the true value, never below it).
     *
     * @return the median wait in nanoseconds, or 0 before any wait
     */
    long getWaitP50Nanos();

    /**
     * Returns the 99th percentile of the time a bounded allocation waited, as {@link #getWaitP50Nanos()}.
     *
     * @return the 99th percentile wait in nanoseconds, or 0 before any wait
     */
    long getWaitP99Nanos();

    /**
     * Returns the 99.9th percentile of the time a bounded allocation waited, as {@link #getWaitP50Nanos()}.
     *
     * @return the 99.9th percentile wait in nanoseconds, or 0 before any wait
     */
    long getWaitP999Nanos();

    /**
     * Returns the longest time a bounded allocation waited.
     *
     * @return the longest wait in nanoseconds, or 0 before any wait
     */
    long getWaitMaxNanos();

    /**
     * Returns how many times the capacity grew.
     *
     * @return times the capacity grew
     */
    long getGrowths();

    /**
     * Returns the number of objects dropped because their reset or validation failed.
     *
     * @return objects dropped because their reset or validation failed
     */
    long getDiscards();

    /** {@return in use / capacity, see {@link PoolStatistics#utilizationRate()}} */
    double getUtilizationRate();

    /** {@return allocations / attempts, see {@link PoolStatistics#hitRate()}} */
    double getHitRate();
}
