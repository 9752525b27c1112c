package io.fastalloc;

import io.fastalloc.internal.FixedPoolEngine;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A single-threaded pool of a fixed number of objects: the fastest kind, for code that allocates
 * and releases on one thread (a game loop, a single-threaded event handler).
 *
 * <p>Allocation and release are O(1) for {@link AllocationStrategy#STACK} and
 * {@link AllocationStrategy#FREE_LIST}; {@link AllocationStrategy#BITMAP} scans words for the lowest
 * free index with {@link Long#numberOfTrailingZeros(long)}, O(capacity / 64) at worst. In unchecked
 * mode allocate and close allocate nothing. {@code maxCapacity} and the growth strategy of the
 * config are ignored: the pool holds {@code capacity} objects.
 *
 * <p><b>Thread safety</b>: none. Use the pool and its handles from one thread only. In checked mode
 * the first thread to use the pool owns it, and any other thread gets an
 * {@link IllegalStateException} naming both threads.
 *
 * @param <T> the type of pooled object
 */
public sealed interface FixedPool<T> extends Pool<T> permits FixedPoolEngine {

    /**
     * Behaves as {@link #allocate()}: no other thread can release into this pool while it waits, so
     * it neither waits nor throws {@link InterruptedException}.
     */
    @Override
    Handle<T> allocate(long timeout, TimeUnit unit);

    /**
     * Creates a pool of {@code capacity} objects made by {@code factory}.
     *
     * @param capacity objects, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool with every other setting at its default
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> FixedPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new FixedPoolEngine<>(PoolConfig.of(capacity, factory));
    }

    /**
     * Creates a pool from a config.
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    static <T> FixedPool<T> create(PoolConfig<T> config) {
        return new FixedPoolEngine<>(config);
    }
}
