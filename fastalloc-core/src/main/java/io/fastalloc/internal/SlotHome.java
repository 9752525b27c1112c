package io.fastalloc.internal;

/**
 * What a {@link Slot} and a {@link Lease} go back to: the pool that made them.
 *
 * <p>An abstract class rather than an interface so that its methods, which take internal types,
 * can be protected: a public pool that is its own slots' home (so that its hot path reaches its
 * free set without a hop through another object) does not offer them to its users. Slots, leases
 * and messages call them from this package.
 *
 * @param <T> the type of pooled object
 */
public abstract class SlotHome<T> {

    /** For subclasses. */
    protected SlotHome() {
    }

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

    /**
     * Returns the pool's name, for messages.
     *
     * @return the pool's name, for messages
     */
    protected abstract String poolName();

    /**
     * Returns the pool kind's name, for messages, such as {@code "FixedPool"}.
     *
     * @return the pool kind's name, for messages, such as {@code "FixedPool"}
     */
    protected abstract String kind();
}
