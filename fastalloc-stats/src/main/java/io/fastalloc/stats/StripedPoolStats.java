package io.fastalloc.stats;

import org.agrona.concurrent.status.AtomicCounter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The default concurrent recorder: every thread counts its allocations and releases in a stripe of
 * its own (found through a {@link ThreadLocal}, padded to its own cache lines), with plain-cost
 * release stores and no atomic instruction; readers sum the stripes, and the registry's publisher
 * copies the sums to the Agrona counters every publish interval. Rare events (exhaustion, wait,
 * growth, discard, capacity) are atomic adds on their counters at once.
 *
 * <p>In use is {@code sum(allocations) - sum(releases)}, read when asked. The peak in use cannot be
 * known at every instant without a shared counter that every operation would contend on, so it is
 * <em>sampled</em>: each publication and each read of the statistics raises it to the in-use value
 * it sees. A burst shorter than the publish interval between two samples may be missed; use
 * {@link StatsRegistry.Builder#publishInterval publishInterval(Duration.ZERO)} for the exact peak
 * (atomic adds on shared counters instead of stripes).
 *
 * <p>A thread's stripe is made (a small allocation, once) the first time the thread records; it
 * stays after the thread ends, since its counts are part of the totals.
 *
 * <p><b>Thread safety</b>: any number of recording and reading threads.
 *
 * <p><b>Memory effects</b>: each stripe has one writer, its thread, which stores with release after
 * a plain read of its own value; readers load each stripe with acquire, every stripe's releases
 * before any stripe's allocations. An object's allocation happens before its release (the handle
 * travelled between the threads with a happens-before edge), so the in use read is never negative.
 *
 * <p><b>Progress</b>: recording is wait-free after the thread's first event; reading is wait-free
 * and O(threads that ever recorded).
 */
final class StripedPoolStats extends PoolStats {
    private static final VarHandle ALLOCATED;
    private static final VarHandle RELEASED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ALLOCATED = lookup.findVarHandle(Stripe.class, "allocated", long.class);
            RELEASED = lookup.findVarHandle(Stripe.class, "released", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Padding before a stripe's counts. */
    abstract static class StripePadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** One thread's counts. */
    abstract static class StripeCounts extends StripePadBefore {
        // Written by the stripe's thread (setRelease after a plain read); read by others (getAcquire).
        long allocated;
        // Same access as allocated.
        long released;
    }

    /** One thread's counts, padded so that no two stripes share a cache line (or an adjacent-line prefetch). */
    static final class Stripe extends StripeCounts {
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }

    private final ThreadLocal<Stripe> local = ThreadLocal.withInitial(this::newStripe);
    // Replaced (copy on write) under this object's lock when a thread makes its stripe; read by
    // readers (volatile) to sum.
    private volatile Stripe[] stripes = new Stripe[0];

    StripedPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        super(registry, fixedName, waitEventThresholdNanos);
    }

    private synchronized Stripe newStripe() {
        Stripe s = new Stripe();
        Stripe[] old = stripes;
        Stripe[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = s;
        stripes = grown;
        return s;
    }

    @Override
    public boolean isConcurrent() {
        return true;
    }

    @Override
    public void onAllocate() {
        Stripe s = local.get();
        ALLOCATED.setRelease(s, s.allocated + 1);
    }

    @Override
    public void onRelease() {
        Stripe s = local.get();
        RELEASED.setRelease(s, s.released + 1);
    }

    @Override
    public void onExhausted() {
        exhaustions.getAndAdd(1);
        exhaustedEvent();
    }

    @Override
    public void onWait(long waitedNanos) {
        waits.getAndAdd(1);
        waitNanos.getAndAdd(waitedNanos);
        waitEvent(waitedNanos);
    }

    @Override
    public void onCapacityChange(int oldCapacity, int newCapacity) {
        capacity.set(newCapacity);
        if (newCapacity > oldCapacity) {
            growths.getAndAdd(1);
            growthEvent(oldCapacity, newCapacity);
        }
    }

    @Override
    public void onDiscard() {
        discards.getAndAdd(1);
    }

    private long sumReleased() {
        long sum = 0;
        for (Stripe s : stripes) {
            sum += (long) RELEASED.getAcquire(s);
        }
        return sum;
    }

    private long sumAllocated() {
        long sum = 0;
        for (Stripe s : stripes) {
            sum += (long) ALLOCATED.getAcquire(s);
        }
        return sum;
    }

    private long inUseNow() {
        long r = sumReleased();
        return sumAllocated() - r;
    }

    @Override
    long read(PoolCounter counter, AtomicCounter c) {
        switch (counter) {
            case ALLOCATIONS:
                return sumAllocated();
            case RELEASES:
                return sumReleased();
            case IN_USE:
                return inUseNow();
            case PEAK_IN_USE:
                c.proposeMax(inUseNow());
                return c.getAcquire();
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
        long r = sumReleased();
        long al = sumAllocated();
        releases.setRelease(r);
        a.setRelease(al);
        inUse.setRelease(al - r);
        peakInUse.proposeMax(al - r);
    }
}
