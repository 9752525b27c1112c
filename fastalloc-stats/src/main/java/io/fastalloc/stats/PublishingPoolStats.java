package io.fastalloc.stats;

import org.agrona.concurrent.status.AtomicCounter;

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

    PublishingPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        super(registry, fixedName, waitEventThresholdNanos);
    }

    @Override
    public boolean isConcurrent() {
        return false;
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
    public void onExhausted() {
        exhaustions.incrementRelease();
        exhaustedEvent();
    }

    @Override
    public void onWait(long waitedNanos) {
        waits.incrementRelease();
        waitNanos.setRelease(waitNanos.getPlain() + waitedNanos);
        waitEvent(waitedNanos);
    }

    @Override
    public void onCapacityChange(int oldCapacity, int newCapacity) {
        capacity.setRelease(newCapacity);
        if (newCapacity > oldCapacity) {
            growths.incrementRelease();
            growthEvent(oldCapacity, newCapacity);
        }
    }

    @Override
    public void onDiscard() {
        discards.incrementRelease();
    }

    @Override
    long read(PoolCounter counter, AtomicCounter c) {
        switch (counter) {
            case ALLOCATIONS:
                return (long) ALLOCATED.getAcquire(this);
            case RELEASES:
                return (long) RELEASED.getAcquire(this);
            case IN_USE:
                long r = (long) RELEASED.getAcquire(this);
                return (long) ALLOCATED.getAcquire(this) - r;
            case PEAK_IN_USE:
                return (long) PEAK.getAcquire(this);
            default:
                return c.getAcquire();
        }
    }

    @Override
    void publish() {
        AtomicCounter a = allocations;
        if (a == null) {
            return;
        }
        long r = (long) RELEASED.getAcquire(this);
        long al = (long) ALLOCATED.getAcquire(this);
        long p = (long) PEAK.getAcquire(this);
        releases.setRelease(r);
        a.setRelease(al);
        inUse.setRelease(al - r);
        peakInUse.setRelease(p);
    }
}
