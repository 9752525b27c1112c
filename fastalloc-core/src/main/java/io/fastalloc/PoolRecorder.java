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
 */
public interface PoolRecorder {

    /**
     * Returns the recorder that records nothing.
     *
     * @return the recorder that records nothing
     */
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
     * A bounded wait ended.
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

    /** The no-op recorder. */
    final class NoopRecorder implements PoolRecorder {
        static final NoopRecorder INSTANCE = new NoopRecorder();

        private NoopRecorder() {
        }
    }
}
