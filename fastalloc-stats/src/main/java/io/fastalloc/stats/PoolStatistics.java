package io.fastalloc.stats;

/**
 * A snapshot of one pool's statistics. Mutable so that it can be refilled without garbage:
 * {@link PoolStats#snapshotInto(PoolStatistics)} and {@link #copyInto(PoolStatistics)} allocate
 * nothing; {@link PoolStats#statistics()} and {@link #copy()} make a new one.
 *
 * <p>The values are read one counter at a time while the pool may be working, so they describe
 * the pool as of nearly the same moment, not exactly one: for example {@code currentUsage()} may
 * momentarily disagree with {@code totalAllocations() - totalReleases()}.
 *
 * <p><b>Thread safety</b>: none; give each reading thread its own instance.
 */
public final class PoolStatistics {
    private String poolName = "";
    private String kind = "";
    private long totalAllocations;
    private long totalReleases;
    private long currentUsage;
    private long peakUsage;
    private long capacity;
    private long exhaustions;
    private long waits;
    private long waitNanos;
    private long growths;
    private long discards;

    /** Makes an empty snapshot, to be filled by {@link PoolStats#snapshotInto(PoolStatistics)}. */
    public PoolStatistics() {
    }

    void set(String poolName, String kind, long allocations, long releases, long inUse, long peak, long capacity,
            long exhaustions, long waits, long waitNanos, long growths, long discards) {
        this.poolName = poolName;
        this.kind = kind;
        this.totalAllocations = allocations;
        this.totalReleases = releases;
        this.currentUsage = inUse;
        this.peakUsage = peak;
        this.capacity = capacity;
        this.exhaustions = exhaustions;
        this.waits = waits;
        this.waitNanos = waitNanos;
        this.growths = growths;
        this.discards = discards;
    }

    /** {@return the pool's name} */
    public String poolName() {
        return poolName;
    }

    /** {@return the pool kind, such as {@code "FixedPool"}} */
    public String kind() {
        return kind;
    }

    /**
     * Returns the number of objects handed out since the pool was made.
     *
     * @return objects handed out since the pool was made
     */
    public long totalAllocations() {
        return totalAllocations;
    }

    /**
     * Returns the number of objects given back since the pool was made.
     *
     * @return objects given back since the pool was made
     */
    public long totalReleases() {
        return totalReleases;
    }

    /**
     * Returns the number of objects out now.
     *
     * @return objects out now
     */
    public long currentUsage() {
        return currentUsage;
    }

    /** {@return the most objects out at once} */
    public long peakUsage() {
        return peakUsage;
    }

    /**
     * Returns the number of objects the pool holds now.
     *
     * @return objects the pool holds now
     */
    public long capacity() {
        return capacity;
    }

    /**
     * Returns the number of allocation attempts that found no free object.
     *
     * @return allocation attempts that found no free object
     */
    public long exhaustions() {
        return exhaustions;
    }

    /**
     * Returns the number of bounded waits that ended.
     *
     * @return bounded waits that ended
     */
    public long waits() {
        return waits;
    }

    /** {@return total nanoseconds spent in bounded waits} */
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * Returns how many times the capacity grew.
     *
     * @return times the capacity grew
     */
    public long growths() {
        return growths;
    }

    /**
     * Returns the number of objects dropped because their reset or validation failed.
     *
     * @return objects dropped because their reset or validation failed
     */
    public long discards() {
        return discards;
    }

    /** {@return {@code currentUsage() / capacity()}, or 0 when the capacity is 0} */
    public double utilizationRate() {
        return capacity == 0 ? 0.0 : (double) currentUsage / capacity;
    }

    /**
     * The share of allocation attempts that found a free object: {@code totalAllocations() /
     * (totalAllocations() + exhaustions())}, or 1 before the first attempt. An attempt that waited
     * and then succeeded counts once as an exhaustion and once as an allocation.
     *
     * @return a value from 0 to 1
     */
    public double hitRate() {
        long attempts = totalAllocations + exhaustions;
        return attempts == 0 ? 1.0 : (double) totalAllocations / attempts;
    }

    /**
     * Copies this snapshot into another without allocating.
     *
     * @param target receives the values
     * @return {@code target}
     */
    public PoolStatistics copyInto(PoolStatistics target) {
        target.set(poolName, kind, totalAllocations, totalReleases, currentUsage, peakUsage, capacity,
                exhaustions, waits, waitNanos, growths, discards);
        return target;
    }

    /** {@return a new copy of this snapshot} */
    public PoolStatistics copy() {
        return copyInto(new PoolStatistics());
    }

    @Override
    public String toString() {
        return "PoolStatistics{pool=" + poolName + ", kind=" + kind + ", allocations=" + totalAllocations
                + ", releases=" + totalReleases + ", inUse=" + currentUsage + ", peak=" + peakUsage
                + ", capacity=" + capacity + ", exhaustions=" + exhaustions + ", waits=" + waits
                + ", waitNanos=" + waitNanos + ", growths=" + growths + ", discards=" + discards + '}';
    }
}
