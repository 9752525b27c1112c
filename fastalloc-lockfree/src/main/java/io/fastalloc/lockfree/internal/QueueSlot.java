package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;

/**
 * The handle of the four queue kinds: a {@link Slot} whose {@link #close()} calls
 * {@link QueuePool#release(Slot)} directly (see {@link Slot}), and which remembers the thread that
 * allocated it, so that the allocating thread's own unchecked close can skip the atomic claim (see
 * {@link QueuePool}).
 *
 * @param <T> the type of pooled object
 */
public class QueueSlot<T> extends Slot<T> {
    /**
     * The thread that took the slot last. Written with a plain store by the allocating thread while
     * it owns the free slot, before the handle exists; read with a plain load by the closing thread.
     * A close on another thread sees the allocating thread's write when the handle reached it
     * through a hand-off that publishes (a queue, a lock, a volatile); a racy hand-off is outside
     * the contract anyway. Kept until the next allocation, so a slot keeps its last allocating
     * thread reachable (at most one thread per slot, so at most {@code capacity} threads).
     */
    Thread allocator;

    /**
     * @param home  the engine
     * @param index the slot's index
     */
    QueueSlot(QueuePool<T> home, int index) {
        super(home, index);
    }

    @Override
    public final void close() {
        ((QueuePool<T>) home).release(this);
    }

    /** A {@link QueueSlot} padded so that the states of two slots never share a cache line or its neighbour. */
    @SuppressWarnings("unused")
    static final class Padded<T> extends QueueSlot<T> {
        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15;

        Padded(QueuePool<T> home, int index) {
            super(home, index);
        }
    }

    /**
     * @param home   the engine
     * @param index  the slot's index
     * @param padded whether to pad it
     * @param <T>    the type of pooled object
     * @return a new free slot
     */
    static <T> Slot<T> create(QueuePool<T> home, int index, boolean padded) {
        return padded ? new Padded<>(home, index) : new QueueSlot<>(home, index);
    }
}
