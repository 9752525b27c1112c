package io.fastalloc;

import io.fastalloc.internal.GrowingPoolEngine;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A single-threaded pool that starts with {@code capacity} objects and, when exhausted, grows by its
 * {@link GrowthStrategy} up to {@code maxCapacity}.
 *
 * <p>Growth adds a segment of new slots above the existing ones: existing objects and handles are
 * never moved or copied (only the internal table of references to them is enlarged), so handles
 * held across a growth stay valid. Growth makes its new objects (with {@code EAGER}) before adding
 * any, so a factory that throws, even {@link OutOfMemoryError}, leaves the pool at its old capacity
 * and the error reaches the caller of {@code allocate}.
 *
 * <p>{@link #trim()} gives back the free objects above the initial capacity, from the top down to
 * the highest slot still held. It is effective with {@link AllocationStrategy#BITMAP}, which always
 * hands out the lowest free index and so keeps the live set at the bottom; with {@code STACK} or
 * {@code FREE_LIST} the live set spreads over all slots and trimming usually frees little.
 *
 * <p><b>Thread safety</b>: none. Use the pool and its handles from one thread only. In checked mode
 * the first thread to use the pool owns it, and any other thread gets an
 * {@link IllegalStateException} naming both threads.
 *
 * @param <T> the type of pooled object
 */
public sealed interface GrowingPool<T> extends Pool<T> permits GrowingPoolEngine {

    /**
     * Creates a pool that starts with {@code capacity} objects made by {@code factory} and doubles when exhausted.
     *
     * @param capacity objects to start with, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool that doubles up to {@code Integer.MAX_VALUE - 8} objects
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> GrowingPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new GrowingPoolEngine<>(PoolConfig.<T>builder().capacity(capacity).maxCapacity(Integer.MAX_VALUE - 8)
                .growthStrategy(GrowthStrategy.exponential(2.0)).factory(factory).build());
    }

    /**
     * Creates a pool from a config.
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    static <T> GrowingPool<T> create(PoolConfig<T> config) {
        return new GrowingPoolEngine<>(config);
    }

    /**
     * Behaves as {@link #allocate()}: no other thread can release into this pool while it waits, so
     * it neither waits nor throws {@link InterruptedException}.
     */
    @Override
    Handle<T> allocate(long timeout, TimeUnit unit);

    /**
     * Gives back free objects above the initial capacity, from the top down to the highest slot
     * still held (see the class comment for which strategy makes this effective).
     *
     * @return how many objects were given back
     */
    int trim();

    /**
     * {@inheritDoc}
     *
     * <p>It grows on exhaustion and shrinks on {@link #trim()}.
     */
    @Override
    int capacity();
}
