package io.fastalloc.internal;

/**
 * The handle of {@code ThreadSafePool}: a {@link Slot} whose {@link #close()} calls {@link
 * LockedPool#release(Slot)} directly, so
 * that an application's call site typed by kind reaches that release without a virtual call (see
 * {@link Slot}).
 *
 * @param <T> the type of pooled object
 */
class LockedSlot<T> extends Slot<T> {

    /**
     * @param home  the engine
     * @param index the slot's index
     */
    LockedSlot(LockedPool<T> home, int index) {
        super(home, index);
    }

    @Override
    public final void close() {
        ((LockedPool<T>) home).release(this);
    }

    /** A {@link LockedSlot} padded so that the states of two slots never share a cache line or its neighbour. */
    @SuppressWarnings("unused")
    static final class Padded<T> extends LockedSlot<T> {
        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15;

        Padded(LockedPool<T> home, int index) {
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
    static <T> Slot<T> create(LockedPool<T> home, int index, boolean padded) {
        return padded ? new Padded<>(home, index) : new LockedSlot<>(home, index);
    }
}
