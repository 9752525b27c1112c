package io.fastalloc.internal;

/**
 * The handle of {@code FixedPool} and {@code GrowingPool}: a {@link Slot} whose {@link #close()}
 * calls {@link ConfinedPool#release(Slot)} directly, so
 * that an application's call site typed by kind reaches that release without a virtual call (see
 * {@link Slot}).
 *
 * @param <T> the type of pooled object
 */
class ConfinedSlot<T> extends Slot<T> {

    /**
     * @param home  the engine
     * @param index the slot's index
     */
    ConfinedSlot(ConfinedPool<T> home, int index) {
        super(home, index);
    }

    @Override
    public final void close() {
        ((ConfinedPool<T>) home).release(this);
    }

    /** A {@link ConfinedSlot} padded so that the states of two slots never share a cache line or its neighbour. */
    @SuppressWarnings("unused")
    static final class Padded<T> extends ConfinedSlot<T> {
        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15;

        Padded(ConfinedPool<T> home, int index) {
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
    static <T> Slot<T> create(ConfinedPool<T> home, int index, boolean padded) {
        return padded ? new Padded<>(home, index) : new ConfinedSlot<>(home, index);
    }
}
