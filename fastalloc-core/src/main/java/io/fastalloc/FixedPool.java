package io.fastalloc;

import io.fastalloc.internal.ConfinedPool;

import java.util.List;
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
// "exports": the superclass is internal on purpose, as StringBuilder's is package-private: the pool
// is its own engine, so that allocate and close reach the free set without a hop through another
// object. Every member it inherits that is not Pool API is protected or package-private; the Pool
// methods are declared again here only to be documented here.
@SuppressWarnings("exports")
public final class FixedPool<T> extends ConfinedPool<T> {

    private FixedPool(PoolConfig<T> config) {
        super(config, "FixedPool", config.capacity());
    }

    /**
     * Creates a pool of {@code capacity} objects made by {@code factory}.
     *
     * @param capacity objects, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool with every other setting at its default
     * @throws IllegalArgumentException naming the bad argument
     */
    public static <T> FixedPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new FixedPool<>(PoolConfig.of(capacity, factory));
    }

    /**
     * Creates a pool from a config.
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public static <T> FixedPool<T> create(PoolConfig<T> config) {
        return new FixedPool<>(config);
    }

    @Override
    public Handle<T> allocate() {
        return super.allocate();
    }

    @Override
    public Handle<T> tryAllocate() {
        return super.tryAllocate();
    }

    /** Behaves as {@link #allocate()}: no other thread can release into this pool while it waits. */
    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) {
        return super.allocate(timeout, unit);
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        return super.allocateBatch(count);
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        return super.allocateBatch(out, offset, count);
    }

    @Override
    public int capacity() {
        return super.capacity();
    }

    @Override
    public int available() {
        return super.available();
    }

    @Override
    public int inUse() {
        return super.inUse();
    }

    @Override
    public void close() {
        super.close();
    }

    @Override
    public String toString() {
        return super.toString();
    }
}
