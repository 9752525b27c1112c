package io.fastalloc;

import io.fastalloc.internal.ConfinedPool;

import java.util.List;
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
// "exports": the superclass is internal on purpose, as StringBuilder's is package-private: the pool
// is its own engine, so that allocate and close reach the free set without a hop through another
// object. Every member it inherits that is not Pool API is protected or package-private; the Pool
// methods are declared again here only to be documented here.
@SuppressWarnings("exports")
public final class GrowingPool<T> extends ConfinedPool<T> {

    private GrowingPool(PoolConfig<T> config) {
        super(config, "GrowingPool", config.maxCapacity());
    }

    /**
     * Creates a pool that starts with {@code capacity} objects made by {@code factory} and doubles when exhausted.
     *
     * @param capacity objects to start with, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool that doubles up to {@code Integer.MAX_VALUE - 8} objects
     * @throws IllegalArgumentException naming the bad argument
     */
    public static <T> GrowingPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new GrowingPool<>(PoolConfig.<T>builder().capacity(capacity).maxCapacity(Integer.MAX_VALUE - 8)
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
    public static <T> GrowingPool<T> create(PoolConfig<T> config) {
        return new GrowingPool<>(config);
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

    /**
     * Gives back free objects above the initial capacity, from the top down to the highest slot
     * still held (see the class comment for which strategy makes this effective).
     *
     * @return how many objects were given back
     */
    @Override
    public int trim() {
        return super.trim();
    }

    /**
     * Returns the current capacity.
     *
     * @return the current capacity; it grows on exhaustion and shrinks on {@link #trim()}
     */
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
