package io.fastalloc.internal;

/**
 * What a {@link Slot} and a {@link Lease} go back to: the pool that made them.
 *
 * <p>It also holds the pool's kind and name, for messages: every engine passes them once, here.
 * Immutable after construction.
 *
 * @param <T> the type of pooled object
 */
public abstract class SlotHome<T> {

    private final String kind;
    private final String poolName;

    /**
     * @param kind     the pool kind's name, such as {@code "FixedPool"}
     * @param poolName the pool's name
     */
    protected SlotHome(String kind, String poolName) {
        this.kind = kind;
        this.poolName = poolName;
    }

    /**
     * Makes one of this engine's slots: an instance of the engine's own {@link Slot} subclass.
     *
     * @param index  the slot's index
     * @param padded whether to pad it so that two slots' states never share a cache line or its
     *               neighbour (configured alignment of 64 bytes and more)
     * @return a new free slot without an object
     */
    protected abstract Slot<T> newSlot(int index, boolean padded);

    /**
     * Releases an unchecked handle (the slot itself).
     *
     * @param slot the slot being closed
     */
    protected abstract void release(Slot<T> slot);

    /**
     * Releases a checked lease.
     *
     * @param lease the lease being closed
     */
    protected abstract void release(Lease<T> lease);

    /** @return the pool's name, for messages */
    public final String poolName() {
        return poolName;
    }

    /** @return the pool kind's name, for messages, such as {@code "FixedPool"} */
    public final String kind() {
        return kind;
    }
}
