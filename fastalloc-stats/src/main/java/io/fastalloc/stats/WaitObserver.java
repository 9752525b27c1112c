package io.fastalloc.stats;

/**
 * Told of every wait of one pool as it ends: how {@link FastallocMetrics} feeds its wait timer
 * without {@link PoolStats} naming a Micrometer type (Micrometer is optional).
 *
 * <p><b>Thread safety</b>: called by every waiting thread of the pool, at once for the shared
 * kinds ({@code ThreadSafePool} calls it under its lock). An implementation must be thread-safe and
 * must not throw.
 */
@FunctionalInterface
interface WaitObserver {
    /**
     * A wait ended.
     *
     * @param waitedNanos how long the thread waited
     */
    void waited(long waitedNanos);
}
