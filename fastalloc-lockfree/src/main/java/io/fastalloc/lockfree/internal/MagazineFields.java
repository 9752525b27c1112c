package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;
import org.jctools.queues.MessagePassingQueue;

/**
 * The fields of a {@link Magazine}, between its paddings ({@link MagazinePadBefore},
 * {@link MagazinePadAfter}); see {@link Magazine}.
 *
 * <p><b>Thread safety</b>: the per-field comments say who writes and reads each field, and how.
 *
 * @param <T> the type of pooled object
 */
abstract class MagazineFields<T> extends MagazinePadBefore {
    /**
     * The owning thread, {@code null} when none. Claimed with a CAS (from {@code null} or a dead
     * thread) by the thread that will own it; set back to {@code null} with setRelease after a
     * dead owner's magazine was flushed. Read (volatile) by every thread looking for its stripe.
     */
    volatile Thread owner;
    /**
     * Free slots at {@code [ARRAY_PAD, ARRAY_PAD + size)}; written and read only by the owner
     * (plain). Padded by {@code ARRAY_PAD} unused entries at both ends.
     */
    final Slot<T>[] stack;
    /**
     * The most recently freed slot, on top of {@link #stack}; {@code null} when none. Written and
     * read by the owner only (plain), read with getOpaque by {@code sizeOpaque()}. One load
     * instead of two dependent ones (size, then the stack entry) on the common path.
     */
    Slot<T> hot;
    /**
     * Live entries in {@link #stack}. Written by the owner only (plain); read plainly by the owner and with
     * getOpaque by {@link CachingCore#available()} (an estimate) and by dead-owner reclaim
     * (exact there: thread termination happened-before).
     */
    int size;
    /**
     * What the fast paths compare {@code control} with: the owner's {@link #seenEpoch} while it
     * may use the magazine, any other value (never one with CLOSED) to force the slow path.
     * Owner only, plain.
     */
    int fastKey;
    /** The {@code control} value (without CLOSED) whose flush request the owner acted on; owner only, plain. */
    int seenEpoch;
    /** Operations left that go straight to the depot after a flush request; owner only, plain. */
    int bypass;
    /** The pool's depot, for flushing; fixed. */
    final MessagePassingQueue<Slot<T>> depot;

    @SuppressWarnings("unchecked")
    MagazineFields(int magazineSize, MessagePassingQueue<Slot<T>> depot) {
        this.stack = (Slot<T>[]) new Slot<?>[magazineSize + 2 * Magazine.ARRAY_PAD];
        this.depot = depot;
    }
}
