package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;
import org.jctools.queues.MessagePassingQueue;

/**
 * Which threads may allocate from and release into a {@link QueuePool}: the one thing in which the
 * four queue kinds differ. A role picks the free queue, the side queue for an allocating thread's
 * give-backs, and which thread roles checked mode enforces. Immutable.
 */
public enum QueueRole {
    /** Any thread allocates, any thread releases: {@code MpmcPool}. */
    MPMC("MpmcPool", false, false),
    /** One thread allocates, one thread releases: {@code SpscPool}. */
    SPSC("SpscPool", true, true),
    /** One thread allocates, any thread releases: {@code MpscPool}. */
    MPSC("MpscPool", true, false),
    /** Any thread allocates, one thread releases: {@code SpmcPool}. */
    SPMC("SpmcPool", false, true);

    private final String kind;
    private final boolean singleAllocator;
    private final boolean singleReleaser;

    QueueRole(String kind, boolean singleAllocator, boolean singleReleaser) {
        this.kind = kind;
        this.singleAllocator = singleAllocator;
        this.singleReleaser = singleReleaser;
    }

    /**
     * @return the public kind's name, for messages, such as {@code "MpmcPool"}
     */
    public String kind() {
        return kind;
    }

    /**
     * @return {@code true} when one thread only may allocate (checked mode enforces it)
     */
    public boolean singleAllocator() {
        return singleAllocator;
    }

    /**
     * @return {@code true} when one thread only may release (checked mode enforces it)
     */
    public boolean singleReleaser() {
        return singleReleaser;
    }

    /**
     * Makes the queue of free slots: its producers are the releasing threads, its consumers the
     * allocating ones.
     *
     * @param capacity the pool's capacity
     * @param <T>      the type of pooled object
     * @return an empty queue with room for {@code capacity} slots
     */
    <T> MessagePassingQueue<Slot<T>> newFreeQueue(int capacity) {
        switch (this) {
            case SPSC:
                return Queues.spsc(Math.max(capacity, 4));
            case MPSC:
                return Queues.mpsc(Math.max(capacity, 2));
            case SPMC:
                return Queues.spmc(Math.max(capacity, 2));
            default:
                return Queues.mpmc(Math.max(capacity, 2));
        }
    }

    /**
     * Makes the side queue for slots an allocating thread gives back without handing them out,
     * needed when that thread may not offer to the free queue (a single-producer queue).
     *
     * @param capacity the pool's capacity
     * @param <T>      the type of pooled object
     * @return an empty queue with room for {@code capacity} slots, or {@code null} when allocating
     *         threads may offer to the free queue
     */
    <T> MessagePassingQueue<Slot<T>> newReturnsQueue(int capacity) {
        if (!singleReleaser) {
            return null;
        }
        return singleAllocator ? Queues.spsc(Math.max(capacity, 4)) : Queues.mpmc(Math.max(capacity, 2));
    }
}
