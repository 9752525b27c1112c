package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;
import org.jctools.queues.MessagePassingQueue;

import static io.fastalloc.lockfree.internal.CachingCore.EPOCH;
import static io.fastalloc.lockfree.internal.Magazine.ARRAY_PAD;

/**
 * How a {@link CachingCore}'s magazines go back to its depot: the owner's side of the flush-epoch
 * protocol ({@link #syncControl}) and the flush itself ({@link #flushTo}), which a close and the
 * reclaim of a dead owner's magazine use too. The pool's side stays in {@link CachingCore}: its
 * {@code control} word (bit 0 closed, bits 1 and up the flush epoch), which an allocation that finds
 * the pool exhausted advances by {@link CachingCore#EPOCH} ({@code requestFlush}), and the fast
 * paths, which compare it with the owner's {@code fastKey} and call here only when the two differ.
 * All static, as they were inside {@link CachingCore}: each call from the pool is the same static
 * call it was, and reads no field of the pool.
 *
 * <p><b>Thread safety</b>: stateless. Each method runs on the thread that owns the magazine it is
 * given (its owner, or a thread that claimed a dead owner's magazine with a CAS), so the owner-only
 * fields ({@code hot}, {@code stack}, {@code size}, {@code fastKey}, {@code seenEpoch},
 * {@code bypass}) are read and written plain, as {@link MagazineFields} states per field.
 *
 * <p><b>Memory effects</b>: those of the depot: a slot offered to it is published to the thread
 * that polls or drains it.
 *
 * <p><b>Progress</b>: a flush makes at most M + 1 offers; {@link #offer} retries only while the
 * depot reports full, which it never is (see there).
 */
final class MagazineFlush {
    /** Operations an owner sends straight to the depot after it answered a flush request. */
    static final int BYPASS_OPS = 256;

    /**
     * The owner's slow-path check of the pool's {@code control}. On a new flush epoch it returns its
     * whole magazine to the depot and then works through the depot for its next {@value #BYPASS_OPS}
     * operations, so that a starving thread's poll can find what this owner releases instead of the
     * owner taking it straight back into its magazine.
     *
     * @param m the caller's magazine
     * @param c {@code control} without {@code CLOSED}
     * @return whether this operation may use the magazine
     */
    static boolean syncControl(Magazine<?> m, int c) {
        if (m.seenEpoch != c) {
            flushTo(m);
            m.seenEpoch = c;
            m.bypass = BYPASS_OPS;
        }
        if (m.bypass > 0) {
            m.bypass--;
            m.fastKey = m.bypass > 0 ? c ^ EPOCH : c; // a key that control does not hold: stay off the fast path
            return false;
        }
        m.fastKey = c;
        return true;
    }

    /** Moves a magazine's slots to the depot; the caller owns {@code m}. */
    static <T> void flushTo(Magazine<T> m) {
        Slot<T> hot = m.hot;
        if (hot != null) {
            m.hot = null;
            offer(m.depot, hot);
        }
        int n = m.size;
        Slot<T>[] stack = m.stack;
        for (int i = 0; i < n; i++) {
            offer(m.depot, stack[ARRAY_PAD + i]);
        }
        m.size = 0;
    }

    static <T> void offer(MessagePassingQueue<Slot<T>> depot, Slot<T> s) {
        // never full: the depot's capacity is >= the pool's and a slot is in one place at a time
        while (!depot.offer(s)) {
            Thread.onSpinWait();
        }
    }

    private MagazineFlush() {
    }
}
