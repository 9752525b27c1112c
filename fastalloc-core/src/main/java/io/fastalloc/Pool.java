package io.fastalloc;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pool of reusable objects, handed out as {@link Handle}s that go back to the pool when closed.
 *
 * <pre>{@code
 * try (Handle<Order> h = pool.allocate()) {
 *     Order order = h.get();
 *     ...
 * } // the order is reset and back in the pool
 * }</pre>
 *
 * <p><b>Thread safety</b> depends on the kind: {@code FixedPool} and {@code GrowingPool} are
 * single-threaded; every other kind may be shared, within the rules its javadoc states.
 *
 * <p><b>Memory effects</b> (shared kinds): closing a handle happens-before the allocation that hands
 * the same object out next, so what the previous holder and the reset function wrote is visible to
 * the next holder.
 *
 * @param <T> the type of pooled object
 */
public interface Pool<T> extends AutoCloseable {

    /**
     * Takes a free object.
     *
     * @return a handle on a free object
     * @throws PoolExhaustedException when no object is free (and a growing pool is at its maximum)
     * @throws IllegalStateException when the pool is closed
     */
    Handle<T> allocate();

    /**
     * Takes a free object if there is one. Allocates nothing and throws nothing on exhaustion.
     *
     * @return a handle on a free object, or {@code null} when none is free
     * @throws IllegalStateException when the pool is closed
     */
    Handle<T> tryAllocate();

    /**
     * Takes a free object, waiting up to {@code timeout} for one to be released. Single-threaded
     * pools cannot be released into while their only thread waits, so they behave as
     * {@link #allocate()}.
     *
     * <p>Any {@code long} is a valid timeout, with no overflow: {@code timeout <= 0} (down to
     * {@code Long.MIN_VALUE}) does not wait, and {@code Long.MAX_VALUE} in any unit waits until a
     * release, a close or an interrupt. A {@code null} unit throws {@link NullPointerException} on
     * every kind, whether an object is free or not (the {@code java.util.concurrent} convention).
     *
     * @param timeout how long to wait at most
     * @param unit    the unit of {@code timeout}
     * @return a handle on a free object
     * @throws NullPointerException   when {@code unit} is {@code null}; nothing was taken
     * @throws PoolExhaustedException when no object became free in time; nothing was taken
     * @throws InterruptedException   when the waiting thread was interrupted; nothing was taken
     * @throws IllegalStateException  when the pool is closed
     */
    Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Takes {@code count} objects at once, all or nothing.
     *
     * @param count how many objects, {@code >= 0}
     * @return a new list of {@code count} handles
     * @throws PoolExhaustedException when fewer than {@code count} could be had; none were taken
     * @throws IllegalArgumentException when {@code count < 0}
     */
    List<Handle<T>> allocateBatch(int count);

    /**
     * Takes up to {@code count} objects into {@code out[offset .. offset + count)}; allocates nothing.
     *
     * <p>A call that throws (a lazy factory failing part-way) takes nothing: every object it took is
     * back in the pool and every entry of {@code out} it wrote is {@code null} again.
     *
     * @param out    where the handles go
     * @param offset the first index of {@code out} to fill
     * @param count  how many to take at most
     * @return how many handles were written, from {@code 0} to {@code count}
     * @throws IndexOutOfBoundsException when the range does not fit in {@code out}
     */
    int allocateBatch(Handle<T>[] out, int offset, int count);

    /** {@return the number of objects the pool holds now (a growing pool's grows and shrinks)} */
    int capacity();

    /**
     * Returns the number of free objects.
     *
     * @return the number of free objects; while other threads use a shared pool this is an estimate
     *         that was true at some instant during the call
     */
    int available();

    /** {@return the number of objects handed out and not yet returned (an estimate, as {@link #available()})} */
    int inUse();

    /**
     * Stops new allocations: after this returns, allocating throws {@link IllegalStateException}.
     * Outstanding handles may still be closed safely. Idempotent.
     */
    @Override
    void close();
}
