package io.fastalloc.stats;

import io.fastalloc.PoolRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default single-writer recorder: counts allocations, releases and the peak in three fields
 * of its own and lets the registry's publisher copy them into the Agrona counters every
 * {@link StatsRegistry.Builder#publishInterval publish interval}. The hot path is therefore a load
 * and a store to one cache line this object owns, with no pointer chasing into the counters'
 * buffer; another process sees these counts at most one interval late. Rare events (exhaustion,
 * wait, growth, discard, capacity) are written to their counters at once.
 *
 * <p>Readers in this process ({@link #statistics()}, JMX, Micrometer) read the live fields, so they
 * are never late.
 *
 * <p><b>Thread safety</b>: one recording thread at a time, with a happens-before edge between
 * successive recording threads; any number of readers; one publisher at a time (the registry's lock).
 *
 * <p><b>Memory effects</b>: the writer stores each count with a release store (a plain store on
 * x86) after reading its own fields plainly; readers and the publisher load with acquire. Releases
 * are read before allocations, and the writer stores the allocation of an object before its
 * release, so in use ({@code allocations - releases}) as read is never negative.
 *
 * <p><b>Progress</b>: recording and reading are wait-free.
 */
final class PublishingPoolStats extends PoolStats {
    private static final VarHandle ALLOCATED;
    private static final VarHandle RELEASED;
    private static final VarHandle PEAK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ALLOCATED = lookup.findVarHandle(PublishingPoolStats.class, "allocated", long.class);
            RELEASED = lookup.findVarHandle(PublishingPoolStats.class, "released", long.class);
            PEAK = lookup.findVarHandle(PublishingPoolStats.class, "peak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the recording thread (setRelease, after a plain read of its own value); read by
    // readers and the publisher (getAcquire).
    private long allocated;
    // Same access as allocated.
    private long released;
    // Same access as allocated; written only when it rises.
    private long peak;
    // The pool's own counts when it offered them (FixedPool, GrowingPool): added to the fields
    // above (which then stay as they were). Written once by the pool's constructor, after
    // onCreate, before the pool is shared; volatile for the publisher and readers.
    private volatile PoolRecorder.Counts counts;
    // The publisher's scratch snapshot: used under the registry's lock only.
    private final PoolStatistics publishing = new PoolStatistics();

    PublishingPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        super(registry, fixedName, waitEventThresholdNanos, false);
    }


    /**
     * Accepts the counts of the pool this recorder serves, once: reads add them to this recorder's
     * own, and the peak is the pool's when it keeps one (else sampled at each read).
     */
    @Override
    public synchronized boolean attachCounts(PoolRecorder.Counts poolCounts) {
        if (counts != null || !isCreated()) {
            return false;
        }
        counts = poolCounts;
        return true;
    }

    @Override
    public void onAllocate() {
        long a = allocated + 1;
        ALLOCATED.setRelease(this, a);
        long u = a - released;
        if (u > peak) {
            PEAK.setRelease(this, u);
        }
    }

    @Override
    public void onRelease() {
        RELEASED.setRelease(this, released + 1);
    }

    @Override
    long allocationsNow() {
        PoolRecorder.Counts pc = counts;
        long own = (long) ALLOCATED.getAcquire(this);
        return pc == null ? own : own + pc.allocations();
    }

    @Override
    long releasesNow() {
        PoolRecorder.Counts pc = counts;
        long own = (long) RELEASED.getAcquire(this);
        return pc == null ? own : own + pc.releases();
    }

    /**
     * The pool's own free set, when it offered its counts and can tell, plus what was told to this
     * recorder directly and is still out (nothing, for fastalloc's pools: they count every
     * operation one way or the other).
     */
    @Override
    long inUseNow() {
        PoolRecorder.Counts pc = counts;
        long pool = pc == null ? -1 : pc.inUse();
        if (pool < 0) {
            return -1;
        }
        long released = (long) RELEASED.getAcquire(this); // before the allocations: never negative
        return pool + Math.max(0, (long) ALLOCATED.getAcquire(this) - released);
    }

    /** The highest in use this recorder counted, or the pool's peak when it keeps one. */
    @Override
    long peakNow() {
        long own = (long) PEAK.getAcquire(this);
        PoolRecorder.Counts pc = counts;
        return pc == null ? own : Math.max(own, pc.peakInUse());
    }

    /** Copies a consistent read of the heap counts into the counters ({@link #publishRead}). */
    @Override
    void publish() {
        publishRead(publishing);
    }
}
