package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.internal.MpscQueuePool;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed-size pool with one allocating thread and any number of releasing threads: a decoder
 * thread that fills objects and hands them to workers, which close them when done.
 *
 * <p><b>Thread safety</b>: only one thread may ever allocate ({@code allocate}, {@code tryAllocate},
 * the timed {@code allocate}, both {@code allocateBatch}); any thread may close handles.
 * {@link #available()}, {@link #inUse()}, {@link #capacity()} and {@link #close()} are safe from any
 * thread. A second allocating thread corrupts the pool in unchecked mode; in checked mode the first
 * allocating thread is remembered and any other gets an {@link IllegalStateException} naming both
 * threads.
 *
 * <p>The free objects sit in a JCTools {@code MpscArrayQueue} (of either flavour: see the module's docs); the pool
 * keeps its exact capacity (the queue's is rounded up to a power of two). Unchecked mode allocates nothing per
 * allocate + close; a second close of a free handle is detected, a stale handle whose slot was handed out again
 * cannot be told apart from the new holder's (see {@link Handle}). Checked mode hands out a fresh
 * lease per allocation, so use after release and double release are always caught, and so is a second allocating
 * thread. A reset function or validator that throws discards the object (it is made anew on its next
 * allocation), the slot still goes back, and the exception reaches the closing thread; a
 * validator answering {@code false} discards the object likewise. A factory that throws on a lazy
 * allocation leaves the slot free and the exception reaches the allocating thread.
 *
 * <p><b>Memory effects</b>: closing a handle happens-before the allocation that hands the same
 * object out next (the queue's offer is a release store, its poll a volatile load), so whatever
 * the previous holder and the reset function wrote is visible to the next holder.
 *
 * <p><b>Progress</b>: {@link #tryAllocate()}, {@link #allocate()} and closing a handle are
 * lock-free (JCTools' MPSC queue: the allocating thread may spin briefly on a releaser that has claimed a cell and not
 * yet written it); {@link #allocate(long, TimeUnit)} waits with the config's {@link io.fastalloc.WaitStrategy},
 * allocating nothing while it waits.
 *
 * <p><b>Closing the pool</b>: after {@link #close()} returns, every allocation throws
 * {@link IllegalStateException}, including one that was already past its first check: an
 * allocation re-reads the closed flag after taking a slot and puts the slot back if it is set.
 * Outstanding handles may still be closed.
 *
 * @param <T> the type of pooled object
 */
public sealed interface MpscPool<T> extends Pool<T> permits MpscQueuePool {

    /**
     * Creates a pool of {@code capacity} objects made by {@code factory}.
     *
     * @param capacity objects, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool with every other setting at its default
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> MpscPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new MpscQueuePool<>(PoolConfig.of(capacity, factory));
    }

    /**
     * Makes a pool of {@code config.capacity()} objects; {@code maxCapacity}, the growth strategy,
     * the allocation strategy and {@code maxThreads} are ignored (the queue decides the order:
     * first released, first reused).
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    static <T> MpscPool<T> create(PoolConfig<T> config) {
        return new MpscQueuePool<>(config);
    }
}
