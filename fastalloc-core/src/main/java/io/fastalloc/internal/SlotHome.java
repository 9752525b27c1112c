package io.fastalloc.internal;

/**
 * What a {@link Slot} and a {@link Lease} go back to: the pool that made them.
 *
 * @param <T> the type of pooled object
 */
public interface SlotHome<T> {

    /**
     * Releases an unchecked handle (the slot itself).
     *
     * @param slot the slot being closed
     */
    void release(Slot<T> slot);

    /**
     * Releases a checked lease.
     *
     * @param lease the lease being closed
     */
    void release(Lease<T> lease);

    /** @return the pool's name, for messages */
    String poolName();

    /** @return the pool kind's name, for messages, such as {@code "FixedPool"} */
    String kind();
}
