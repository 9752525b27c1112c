package io.fastalloc;

import io.fastalloc.internal.PerThreadPool;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A pool that gives every thread its own {@code capacity} objects, so that a thread allocating and
 * closing its own handles never synchronises with another thread: no lock, no shared counter, no
 * atomic instruction in unchecked mode (plain writes to the handle's state and the thread's part;
 * one uncontended CAS per close in checked mode). The calling thread's part is found through a
 * small table indexed by its thread id, with a {@link ThreadLocal} only as the fallback when two
 * threads' ids share an entry.
 *
 * <p><b>Double close.</b> A second close after the first throws {@link IllegalStateException} in
 * both modes, on any thread. A close on the owner thread that races with a close of the same handle
 * on another thread is, in unchecked mode, the same misuse as closing a stale handle: it cannot be
 * told apart (both may succeed and the object may be handed out twice). Checked mode catches it:
 * there every close claims the handle with a CAS, so exactly one of them wins.
 *
 * <p><b>Parts.</b> A thread's first allocation gives it a part: {@code capacity} objects (made at
 * once with {@code EAGER}, on first use with {@code LAZY}) that only it allocates from. A thread
 * whose part is used up gets exhaustion ({@code null} from {@link #tryAllocate()},
 * {@link PoolExhaustedException} from {@link #allocate()}) even if other threads' parts have free
 * objects. {@code maxCapacity} and the growth strategy of the config are ignored.
 *
 * <p><b>Closing on another thread.</b> Legal. The handle goes back to the part it came from, not to
 * the closing thread's: the closing thread runs the reset function and pushes the object on the
 * owner's lock-free return stack; the owner takes the whole stack back (one atomic exchange) when
 * its own free objects run out. This path allocates nothing. Until then the object counts as
 * available to its owner only.
 *
 * <p><b>Threads that die.</b> The pool keeps every part with its owner thread. When a thread needs a
 * part, it first adopts the part of a thread that has terminated ({@link Thread#isAlive()} false):
 * it inherits that part's free objects, its return stack, and the objects the dead thread still had
 * out (closing those later, on any thread, gives them to the adopter). So a dead thread's objects are
 * reclaimed by the next thread that comes, not leaked; until one comes they stay reserved.
 *
 * <p><b>Memory bound.</b> At most {@code capacity x T} objects, where {@code T} is the largest number
 * of threads that used the pool at once. Cap it with {@link PoolConfig.Builder#maxThreads(int)}: a
 * thread beyond the cap that finds no dead thread's part gets exhaustion (the exception says the
 * thread cap was reached) until some part's thread dies. Each thread's part is also reachable from
 * that thread's {@link ThreadLocal} map while the thread lives. Virtual threads count as threads:
 * many short-lived ones reuse the parts of those that ended, but as many as run at once each hold a
 * part, so cap them.
 *
 * <p><b>Thread safety</b>: thread-safe. {@link #available()}, {@link #inUse()} and
 * {@link #capacity()} add up all parts without synchronising with their owners: estimates while
 * other threads work, exact when they are quiet. With {@code STACK} (the default) the owner's hot
 * path keeps no count, so {@link #available()} and {@link #inUse()} count the held objects of every
 * part: O(capacity x threads), meant for monitoring rather than for a hot loop.
 *
 * <p><b>Memory effects</b>: closing a handle (on any thread) happens-before the allocation that next
 * hands out the same object: on the owner thread by program order, from another thread through the
 * return stack's CAS push and the owner's atomic take.
 *
 * <p><b>Progress</b>: the owner's allocate and close are wait-free (plain accesses in unchecked
 * mode); a close on another thread is
 * lock-free (a CAS loop contended only by other releasers to the same thread). A thread's first
 * allocation takes a registry lock once. {@link #allocate(long, TimeUnit)} polls with the config's
 * {@link WaitStrategy}.
 *
 * @param <T> the type of pooled object
 */
public sealed interface ThreadLocalPool<T> extends Pool<T> permits PerThreadPool {

    /**
     * Creates a pool that gives each thread {@code capacity} objects made by {@code factory}.
     *
     * @param capacity objects per thread, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool with no thread cap and every other setting at its default
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> ThreadLocalPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new PerThreadPool<>(PoolConfig.of(capacity, factory));
    }

    /**
     * Creates a pool from a config.
     *
     * @param config the config: {@code capacity} is per thread, {@code maxThreads} caps the parts
     * @param <T>    the type of pooled object
     * @return a new pool (it makes no objects until a thread allocates)
     */
    static <T> ThreadLocalPool<T> create(PoolConfig<T> config) {
        return new PerThreadPool<>(config);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Takes from the calling thread's part; {@code null} also when the thread is over the thread cap.
     */
    @Override
    Handle<T> tryAllocate();

    /**
     * Takes an object from the calling thread's part, waiting up to {@code timeout} for another
     * thread to close one of this thread's objects (polling with the config's {@link WaitStrategy}).
     *
     * @throws PoolExhaustedException  when no object became free in time; nothing was taken
     * @throws InterruptedException    when the thread was interrupted; nothing was taken
     * @throws IllegalStateException   when the pool is closed
     */
    @Override
    Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Takes back at once the objects other threads closed into the calling thread's part (the pool
     * does it by itself when the part runs empty).
     *
     * @return how many objects came back
     */
    int drainReturns();

    /**
     * Counts the parts: threads that used the pool (a dead thread's part until it is adopted).
     *
     * @return how many parts exist
     */
    int threads();

    /**
     * {@inheritDoc}
     *
     * <p>The objects of all parts: {@code capacity x threads()}.
     */
    @Override
    int capacity();

    /**
     * {@inheritDoc}
     *
     * <p>Free objects of all parts, counting those waiting on return stacks: an estimate.
     */
    @Override
    int available();

    /**
     * {@inheritDoc}
     *
     * <p>Objects out of all parts: an estimate.
     */
    @Override
    int inUse();
}
