package io.fastalloc;

/**
 * Receives a pool's events, for statistics. Every pool calls its recorder on allocate, release,
 * exhaustion, wait, growth and discard; the default, {@link #noop()}, does nothing, and once the JIT
 * has seen that only the no-op is in use the calls cost nothing.
 *
 * <p><b>Thread safety</b>: a recorder given to a shared pool is called from every thread that uses
 * the pool, concurrently; one given to a single-threaded pool only from that thread.
 * {@code ThreadSafePool} is the exception among the shared pools: it makes every recorder call while
 * holding its lock, so its recorder is called by one thread at a time, each call happening-before
 * the next, as a single-threaded pool's is (a single-writer recorder suffices).
 * Implementations must not allocate and must not throw.
 *
 * <p><b>What a callback may call</b>: on every kind, a callback may call the pool's read methods,
 * {@link Pool#capacity()}, {@link Pool#available()}, {@link Pool#inUse()} and {@code toString()},
 * and they return without blocking (a {@code ThreadSafePool} sees that the calling thread holds its
 * lock and reads without taking it again). A callback must not allocate, close a handle, or close or
 * trim the pool: a {@code ThreadSafePool} answers that with an {@link IllegalStateException} at
 * once, the other kinds' results are undefined.
 */
public interface PoolRecorder {

    /** {@return the recorder that records nothing} */
    static PoolRecorder noop() {
        return NoopRecorder.INSTANCE;
    }

    /**
     * Called once when a pool starts using this recorder.
     *
     * @param poolName the pool's name
     * @param kind     the pool kind's simple class name, such as {@code "FixedPool"}
     * @param capacity the pool's capacity then
     */
    default void onCreate(String poolName, String kind, int capacity) {
    }

    /** One object was handed out. */
    default void onAllocate() {
    }

    /** One object came back. */
    default void onRelease() {
    }

    /** An allocation found no free object (whether it then threw, returned null or waited). */
    default void onExhausted() {
    }

    /**
     * A bounded allocation found no free object and its thread starts waiting for one. Called on the
     * waiting thread, after {@link #onExhausted()} and just before the wait; the same thread then
     * calls {@link #onWait(long)} exactly once when the wait ends, on every path (an object came, the
     * time ran out, the thread was interrupted, the pool was closed, or anything else threw), so a
     * recorder may keep per-thread state between the two (a JFR duration event begun here) and count
     * the threads waiting now. A {@code ThreadSafePool} makes both calls while holding its lock, as
     * it makes every other call; the other shared kinds make them without a lock, from every waiting
     * thread at once.
     *
     * <p>A recorder must also accept an {@link #onWait(long)} with no {@code onWaitStart()} before
     * it (a pool written before this hook existed, or a test that calls {@code onWait} directly):
     * such a wait is counted, but has no start to pair with.
     */
    default void onWaitStart() {
    }

    /**
     * A bounded wait ended; called on the waiting thread, once for each {@link #onWaitStart()}, on
     * every path the wait can end by.
     *
     * @param waitedNanos how long the thread waited
     */
    default void onWait(long waitedNanos) {
    }

    /**
     * The pool's capacity changed (growth, or trimming).
     *
     * @param oldCapacity before
     * @param newCapacity after
     */
    default void onCapacityChange(int oldCapacity, int newCapacity) {
    }

    /** An object was discarded (its reset or validation failed) and its slot will be refilled. */
    default void onDiscard() {
    }

    /**
     * Offers the recorder counts that the pool keeps anyway (a queue's indices, per-thread caches),
     * so that statistics need not count the same operations a second time ({@code FixedPool},
     * {@code GrowingPool} and {@code ThreadSafePool} offer counts derived from their free sets,
     * peak included). A recorder that accepts
     * adds {@code counts} to its own allocation and release counts whenever it reads them, from now
     * on; the pool then calls {@link #onAllocate()} and {@link #onRelease()} only for the
     * operations that {@code counts} does not cover. A pool calls this at most once, after
     * {@link #onCreate}, from the thread that makes it, before any other thread can use the pool.
     *
     * <p>{@code CachingPool} derives its counts from its slots' 32-bit generation counters: a
     * recorder that accepts them must read them at least every few seconds (every second is safe;
     * {@code fastalloc-stats}' publisher does), or a slot that wrapped between two reads is
     * under-counted.
     *
     * @param counts the pool's own counts, readable from any thread at any time
     * @return whether the recorder reads {@code counts} from now on; the default, {@code false},
     *         keeps the pool calling {@link #onAllocate()} and {@link #onRelease()} for every operation
     */
    default boolean attachCounts(Counts counts) {
        return false;
    }

    /**
     * Allocation and release counts that a pool keeps itself; see {@link #attachCounts}.
     *
     * <p><b>Thread safety</b>: both methods may be called from any thread at any time, while the
     * pool works. Each returns an exact count once the pool is quiescent and an estimate (true at
     * some instant during the call) while threads work; neither allocates.
     */
    interface Counts {
        /** {@return the allocations the pool counted itself} */
        long allocations();

        /** {@return the releases the pool counted itself} */
        long releases();

        /**
         * Returns the most objects that were out at once, when the pool keeps that too, or
         * {@code -1} when it does not (the default; the recorder then samples the peak when it reads).
         *
         * @return the most objects that were out at once, or {@code -1}
         */
        default long peakInUse() {
            return -1;
        }

        /**
         * Returns how many objects are out now, as the pool's free set shows it, or {@code -1} when
         * the pool cannot tell that cheaply (the default; the recorder then derives it from the
         * allocation and release counts). While threads work the value is one the pool had at some
         * instant during the call, or lies between values it had during the call; it is never below
         * 0 nor above the capacity the pool had during the call.
         *
         * @return the objects out now, or {@code -1}
         */
        default long inUse() {
            return -1;
        }
    }

    /** The no-op recorder. */
    final class NoopRecorder implements PoolRecorder {
        static final NoopRecorder INSTANCE = new NoopRecorder();

        private NoopRecorder() {
        }
    }
}
