package io.fastalloc;

import io.fastalloc.internal.LockedPool;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A pool that any number of threads share, guarded by one lock built, as
 * {@link java.util.concurrent.locks.ReentrantLock} is, on
 * {@link java.util.concurrent.locks.AbstractQueuedSynchronizer} (never {@code synchronized}, so
 * virtual threads do not pin while they hold it; not reentrant, so a factory must not call back into
 * the pool while it grows).
 *
 * <p>It starts with {@code capacity} objects and, when exhausted, grows by the config's
 * {@link GrowthStrategy} up to {@code maxCapacity}; the default config has
 * {@code maxCapacity == capacity}, so by default it is fixed. {@link #allocate(long, TimeUnit)} waits
 * for a release on a {@link java.util.concurrent.locks.Condition}. Batch allocation takes all its
 * objects under one lock acquisition. The factory (for {@code LAZY} objects) and the reset function
 * and validator run outside the lock, so slow user code does not hold up other threads; growth
 * (and making a grown segment's {@code EAGER} objects) runs under it.
 *
 * <p>Handles may be closed on any thread. In unchecked mode a second close of a handle whose slot is
 * free throws {@link IllegalStateException}, and of two threads racing to close one handle exactly
 * one wins; a stale handle kept after its slot was handed out again cannot be told apart from the
 * new holder's. Checked mode ({@link PoolConfig.Builder#checked(boolean)}) always catches it.
 *
 * <p><b>Thread safety</b>: thread-safe. {@link #available()}, {@link #inUse()} and
 * {@link #capacity()} are exact at an instant during the call; while a reset function runs
 * (between the slot being marked free and put back) that slot counts as neither available nor in
 * use.
 *
 * <p><b>Memory effects</b>: closing a handle happens-before the allocation that next hands out the
 * same object, so what the previous holder and the reset function wrote is visible to the next
 * holder.
 *
 * <p><b>Statistics</b>: the pool makes every call of its {@link PoolRecorder} while holding its lock,
 * so the cheap single-writer recorder ({@code StatsRegistry.recorder()} in {@code fastalloc-stats})
 * is enough for it, however many threads share the pool.
 *
 * <p><b>Progress</b>: blocking (one lock). Every operation holds the lock for a few field updates.
 * With a non-fair lock (the default) a thread that finds the lock held retries {@code tryLock()} a
 * bounded number of times with {@link Thread#onSpinWait()} before queueing, so that short waits do
 * not allocate queue nodes (allocate + close stays garbage-free under contention); a fair lock never
 * spins (that would barge past queued threads). Under longer contention threads queue on it, in
 * arrival order with a fair lock
 * ({@link #create(PoolConfig, boolean)}), which trades throughput for no starvation. One shared lock
 * is the floor of this design: allocate + close takes the lock twice, as
 * {@link java.util.concurrent.ArrayBlockingQueue} poll + offer does, so expect about its cost; with
 * two threads the lock's cache line moves between cores on every operation, an order of magnitude
 * more than a per-thread pool. Prefer {@link ThreadLocalPool} or the lock-free pools when several
 * threads allocate often.
 *
 * @param <T> the type of pooled object
 */
public sealed interface ThreadSafePool<T> extends Pool<T> permits LockedPool {

    /**
     * Creates a fixed-size pool of {@code capacity} objects made by {@code factory}.
     *
     * @param capacity objects, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new fixed-size pool with a non-fair lock and every other setting at its default
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> ThreadSafePool<T> create(int capacity, Supplier<? extends T> factory) {
        return new LockedPool<>(PoolConfig.of(capacity, factory), false);
    }

    /**
     * Creates a pool from a config, with a non-fair lock.
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return a new pool with a non-fair lock
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    static <T> ThreadSafePool<T> create(PoolConfig<T> config) {
        return new LockedPool<>(config, false);
    }

    /**
     * Creates a pool from a config, with a fair or non-fair lock.
     *
     * @param config the config
     * @param fair   {@code true} for a fair lock: threads get it (and a timed allocate gets a released
     *               object) in arrival order, at a cost in throughput under contention
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    static <T> ThreadSafePool<T> create(PoolConfig<T> config, boolean fair) {
        return new LockedPool<>(config, fair);
    }

    /**
     * Tells whether the pool's lock is fair.
     *
     * @return {@code true} when threads get the lock in arrival order
     */
    boolean isFair();

    /**
     * Gives back the free objects above the initial capacity, from the top down to the highest slot
     * still held (effective with {@link AllocationStrategy#BITMAP}).
     *
     * @return how many objects were given back
     */
    int trim();

    /**
     * {@inheritDoc}
     *
     * <p>Threads waiting in a timed allocate get {@link IllegalStateException}.
     */
    @Override
    void close();
}
