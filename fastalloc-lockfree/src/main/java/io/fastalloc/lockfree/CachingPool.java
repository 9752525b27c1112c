package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolView;
import io.fastalloc.WaitStrategy;
import io.fastalloc.lockfree.internal.CachingCore;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed-capacity pool for threads that mostly allocate and release on their own thread: each
 * thread that uses it adopts a <em>magazine</em> (a small stack of free slots that only it touches)
 * in front of a shared <em>depot</em> (a JCTools {@code MpmcArrayQueue} of the
 * other free slots).
 * Objects may still cross threads freely: one allocated on thread A and closed on thread B lands in
 * B's magazine or in the depot.
 *
 * <pre>
 *   stripes[S] (S = nextPow2(2 x processors), each padded to its own cache lines)
 *   +-----------------+-----------------+-----+
 *   | owner: Thread A | owner: Thread B | ... |   a thread finds its stripe from its id mod S
 *   | hot, stack[M]   | hot, stack[M]   |     |   (no ThreadLocal, nothing per thread)
 *   +--------+--------+--------+--------+-----+
 *            | refill M/2 (drain) / spill M/2 when full / flush on request
 *   +--------v-----------------v--------------+
 *   | depot: MpmcArrayQueue of free slots      |   threads without a stripe use it directly
 *   +-----------------------------------------+
 * </pre>
 *
 * <p><b>Why this design.</b> The bar is a plain array stack: the common path must touch only memory
 * that no other thread writes. Stormpot's thread-local claim keeps a per-thread cached slot but pays a
 * CAS on the slot to claim it; Netty's {@code Recycler} keeps per-thread stacks in a thread-local
 * (one structure per thread, which millions of virtual threads cannot afford). Bonwick's magazines and
 * .NET's per-core {@code ArrayPool} stacks bound the caches by the number of processors, which is
 * what this pool does, keyed by thread id instead of processor (Java cannot pin a thread to a core,
 * and a per-core stack would need an atomic on every access). A stripe is owned by exactly one live
 * thread, claimed once with a CAS, so the owner pops and pushes with plain accesses. A stripe whose
 * owner died is adopted: the termination of a thread happens-before another thread sees
 * {@link Thread#isAlive()} return {@code false}, so the adopter sees the dead owner's magazine
 * exactly and nothing is lost.
 *
 * <p>Per allocate + close on the owner's path: one read of the stripe's owner, one read of the
 * pool's {@code control} word (a cache line that is only written when the pool is closed or a
 * thread finds it exhausted), a plain take and a plain put of the magazine's <em>hot</em> slot (the
 * most recently freed one, kept in a field on top of the stack, so the common path makes one load
 * where a stack needs two dependent ones), and <b>no atomic operation</b> when the thread that
 * closes the handle is the one that allocated it (unchecked, without reset function, validator or
 * per-operation recorder): the close checks that the slot is held and stores the next state, as
 * {@code ThreadLocalPool}'s owner close does. A close on any other thread claims the slot with a
 * CAS from held to free, so of two such threads racing to close one handle exactly one wins. A close
 * on the allocating thread racing with a close of the same handle on another thread is, unchecked,
 * the same misuse as closing a stale handle: it cannot be told apart (both may succeed, and the
 * object may then be handed to two holders); checked mode catches it, since every checked close
 * claims its lease with the CAS. A second close after the first is caught in both modes. The
 * close finds its magazine through the slot: an allocation on the short path leaves its magazine in
 * the slot as a hint, and a close on the same thread checks that magazine's owner instead of
 * looking up the stripe again. A thread that allocates in a loop can also hold its magazine
 * itself: {@link #view()}.
 *
 * <p><b>Statistics</b> cost the common path nothing: given a recorder that takes a pool's own
 * counts ({@link io.fastalloc.PoolRecorder#attachCounts}, as the stats module's recorders do), the
 * pool reads its allocations and releases from its slots' states when the recorder reads (each
 * allocation and each release advances one slot's state by one), so allocate and close record
 * nothing per operation; checked pools and recorders that keep their own counts are told of each
 * operation.
 *
 * <p><b>Sizes.</b> {@code M = min(32, capacity / (2 x S))}; a magazine holds up to {@code M + 1}
 * free slots (its stack and its hot slot), so all magazines together cache at most
 * {@code S x (M + 1) <= capacity / 2 + S}. When {@code M == 0} (a small pool) there are no magazines and the pool works
 * through the depot only: then it is an {@code MpmcPool}, exact but shared.
 *
 * <p><b>When {@link #tryAllocate()} returns {@code null} while a free object exists.</b> A free
 * object is one in a magazine or in the depot. {@code tryAllocate} returns {@code null} <b>iff</b>
 * the caller's own magazine (if it owns one) was empty and then a poll of the depot found it empty
 * (after first returning the magazines of dead threads to the depot). The free objects it missed
 * are then all in magazines of other live threads: at most {@code (S - 1) x (M + 1)} of them. A
 * {@code null} answer also raises a <em>flush request</em>: every owner returns its whole
 * magazine to the depot on its next operation on this pool and then works through the depot for
 * its next 256 operations (so it does not take straight back what it just gave), so
 * {@link #allocate(long, TimeUnit)} eventually sees objects cached by threads that keep using the
 * pool. Objects cached by a live thread that never touches the pool again stay in its magazine
 * until that thread dies (then the next exhausted allocation reclaims them).
 *
 * <p><b>Threads without a stripe.</b> A thread looks at 4 stripes from {@code id mod S}; if
 * none is its own and none is free (no owner, or a dead one), it uses the depot directly for that
 * operation. So any number of threads may use the pool; at most {@code S} of them get the fast
 * path at once.
 *
 * <p><b>Thread safety</b>: thread-safe; every method may be called from any thread, and handles may
 * be closed on any thread.
 *
 * <p><b>Memory effects</b>: closing a handle happens-before the allocation that hands the same
 * object out next: through program order when the same thread takes it from its magazine, through
 * the depot's release/acquire when it went through the depot, and through thread termination when a
 * dead thread's magazine is adopted. What the previous holder and the reset function wrote is
 * visible to the next holder.
 *
 * <p><b>Progress</b>: an owner's allocate and close are wait-free on the magazine path; the depot
 * path is JCTools' MPMC queue (lock-free in practice; a poll may spin briefly on a producer that
 * claimed a cell and has not yet written it). {@link #allocate(long, TimeUnit)} blocks with the
 * configured {@link WaitStrategy}.
 *
 * <p><b>Handles</b>: unchecked by default (the slot is the handle: nothing allocated per
 * allocation; a second close of a free slot is detected; a stale handle whose slot was handed out
 * again cannot be told apart). With {@code checked(true)} each allocation returns a fresh
 * {@code Lease} with the slot's generation, so use after release and double release are always
 * caught, and a lease that becomes unreachable without being closed is reported to the config's
 * {@link io.fastalloc.LeakListener} and its slot recovered into the depot.
 *
 * <p>The config's {@code maxCapacity}, {@code growthStrategy} and {@code allocationStrategy} do not
 * apply: the capacity is fixed, magazines are LIFO (cache-hot) and the depot is FIFO.
 *
 * @param <T> the type of pooled object
 */
public sealed interface CachingPool<T> extends Pool<T> permits CachingCore {

    /**
     * Creates a pool of {@code capacity} objects made by {@code factory}, with default settings.
     *
     * @param capacity how many objects, {@code > 0}
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a new pool
     * @throws IllegalArgumentException naming the bad argument
     */
    static <T> CachingPool<T> create(int capacity, Supplier<? extends T> factory) {
        return new CachingCore<>(PoolConfig.of(capacity, factory));
    }

    /**
     * Creates a pool from a config, with {@code S = nextPow2(2 x availableProcessors)} stripes and
     * magazines of {@code M = min(32, capacity / (2 x S))} entries.
     *
     * @param config the config; capacity, factory, reset, validator, alignment, initialization,
     *               checked, waitStrategy, recorder and name apply
     * @param <T>    the type of pooled object
     * @return a new pool
     * @throws IllegalStateException when the factory fails during eager creation
     */
    static <T> CachingPool<T> create(PoolConfig<T> config) {
        return new CachingCore<>(config);
    }

    /**
     * A pool with an explicit number of stripes S and magazine size M, for tuning (and for tests
     * that must exercise the magazines with a tiny capacity). {@link #create(PoolConfig)} picks
     * S = the next power of two of twice the processors and M = min(32, capacity / (2 S)).
     *
     * @param config       the config
     * @param stripes      S, a power of two
     * @param magazineSize M, {@code >= 0}; 0 for a depot-only pool
     * @param <T>          the type of pooled object
     * @return a new pool
     * @throws IllegalArgumentException naming {@code stripes} or {@code magazineSize} when out of range
     */
    static <T> CachingPool<T> create(PoolConfig<T> config, int stripes, int magazineSize) {
        return new CachingCore<>(config, stripes, magazineSize);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Throws exactly when {@link #tryAllocate()} would return {@code null} (see the class comment).
     */
    @Override
    Handle<T> allocate();

    /**
     * {@inheritDoc}
     *
     * <p>Returns {@code null} iff the caller's magazine and then the depot were empty: free objects
     * may then sit in other live threads' magazines (at most {@code (S - 1) x (M + 1)}); see the class
     * comment. Allocates nothing in unchecked mode.
     */
    @Override
    Handle<T> tryAllocate();

    /**
     * {@inheritDoc}
     *
     * <p>Between attempts the thread calls the config's {@link WaitStrategy}; each failed attempt
     * raises a flush request, so objects cached in the magazines of threads that keep using the pool
     * come back to the depot. Allocates nothing while waiting (unchecked mode).
     */
    @Override
    Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * {@inheritDoc}
     *
     * <p>Takes from the caller's magazine, then the depot, as {@link #tryAllocate()} does for each
     * object; on failure every slot taken goes back before the exception.
     */
    @Override
    List<Handle<T>> allocateBatch(int count);

    /**
     * {@inheritDoc}
     *
     * <p>The depot's size plus every magazine's size, each read once without locking: exact when no
     * thread is using the pool, an estimate otherwise. Objects being released (between the state
     * flip and the push) are not counted.
     */
    @Override
    int available();

    /**
     * {@inheritDoc}
     *
     * <p>Threads notice the close on their next allocation; an allocation that had already passed
     * its check when close ran may still complete. Objects cached in magazines go back to the depot
     * when their owner next touches the pool.
     */
    @Override
    void close();

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once {@link #close()} was called
     */
    boolean isClosed();

    /**
     * Makes a view for the calling thread: the thread's magazine, held by the caller, so that its
     * allocations skip the look-up of the thread's stripe. For a thread that allocates in a loop;
     * handles are the pool's own (see {@link PoolView}). The view's thread allocates from its
     * magazine and closes into it exactly as through the pool; the view changes where the magazine
     * is found, not what is done with it, so a thread may mix both. When no stripe is free for the
     * thread the view works through the depot, as the pool does.
     *
     * @return a new view, confined to the calling thread
     * @throws IllegalStateException once the pool was closed
     */
    PoolView<T> view();
}
