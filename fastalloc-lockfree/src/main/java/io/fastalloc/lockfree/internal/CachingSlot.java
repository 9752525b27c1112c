package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;

/**
 * A slot that remembers the magazine its last allocating thread used, so that the close on the
 * same thread finds its magazine with one load instead of the stripe look-up.
 *
 * <p><b>Thread safety</b>: {@link #magazine} and {@link #allocator} are written (plain) by every
 * allocating thread while it owns the free slot; the closing thread reads {@link #magazine} only
 * when it finds itself in {@link #allocator}. {@link #allocator} is written (plain) by every allocating thread
 * while it owns the free slot and read (plain) by the closing thread: the closing thread finds
 * itself there only if it allocated the handle (a close on another thread sees the allocating
 * thread's write through the hand-off that brought it the handle).
 *
 * <p>Its {@link #close()} calls {@link CachingCore#release(Slot)} directly (see {@link Slot}).
 *
 * @param <T> the type of pooled object
 */
public class CachingSlot<T> extends Slot<T> {
    /** The allocating thread's magazine at the slot's last allocation, or {@code null} (none). */
    Magazine<T> magazine;
    /**
     * The thread that allocated the slot last: its own close needs no atomic (see {@link CachingCore}).
     * Kept until the next allocation, so a slot keeps its last allocating thread reachable (at most
     * one thread per slot, so at most {@code capacity} threads, dead or alive).
     */
    Thread allocator;

    CachingSlot(CachingCore<T> home, int index) {
        super(home, index);
    }

    @Override
    public final void close() {
        ((CachingCore<T>) home).release(this);
    }

    /** A {@link CachingSlot} padded as {@link Slot#create} pads for an alignment of 64 and more. */
    @SuppressWarnings("unused")
    public static final class PaddedCachingSlot<T> extends CachingSlot<T> {
        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15;

        PaddedCachingSlot(CachingCore<T> home, int index) {
            super(home, index);
        }
    }
}
