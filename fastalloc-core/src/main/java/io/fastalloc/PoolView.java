package io.fastalloc;

import java.util.concurrent.TimeUnit;

/**
 * A caller-held view of a shared pool for one thread that allocates in a loop: the thread keeps the
 * view (in a field of its own, a local of its loop) and allocates through it, so the pool does not
 * look the thread up on each allocation. It is the same idea as Stormpot's taps and Netty's
 * owner-pinned {@code Recycler}: the per-thread access object is held by the caller.
 *
 * <p><b>Handles.</b> The handles a view hands out are the pool's ordinary handles, with the same
 * contract ({@link Handle}): they may be closed on any thread, before or after the view is closed,
 * and a second close throws {@link IllegalStateException}. What the kind's own documentation says
 * of a close on the allocating thread holds for the view's thread (for {@code CachingPool}: that
 * close needs no atomic instruction in unchecked mode).
 *
 * <p><b>Thread safety.</b> A view belongs to the thread that made it: {@link #allocate()},
 * {@link #tryAllocate()}, {@link #allocate(long, TimeUnit)} and {@link #close()} on another thread
 * throw {@link IllegalStateException} naming both threads, in both modes. Make one view per thread.
 *
 * @param <T> the type of pooled object
 */
public interface PoolView<T> extends AutoCloseable {

    /**
     * As {@link Pool#allocate()}, on the view's thread.
     *
     * @return a handle on a free object
     * @throws PoolExhaustedException when no free object was found
     * @throws IllegalStateException  on another thread than the view's, or once the view or the pool
     *                                was closed
     */
    Handle<T> allocate();

    /**
     * As {@link Pool#tryAllocate()}, on the view's thread.
     *
     * @return a handle on a free object, or {@code null} when none was found
     * @throws IllegalStateException on another thread than the view's, or once the view or the pool
     *                               was closed
     */
    Handle<T> tryAllocate();

    /**
     * As {@link Pool#allocate(long, TimeUnit)}, on the view's thread.
     *
     * @param timeout how long to wait for a release, in {@code unit}s; {@code <= 0} does not wait
     * @param unit    the unit of {@code timeout}
     * @return a handle on a free object
     * @throws InterruptedException   when the thread is interrupted while waiting
     * @throws PoolExhaustedException when no object was released in time
     * @throws IllegalStateException  on another thread than the view's, or once the view or the pool
     *                                was closed
     */
    Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Detaches the view: the free objects it keeps for its thread go back to the pool, and later
     * allocations through it throw {@link IllegalStateException}. Handles it handed out stay valid.
     * Idempotent. Closing the view does not close the pool.
     *
     * @throws IllegalStateException on another thread than the view's
     */
    @Override
    void close();
}
