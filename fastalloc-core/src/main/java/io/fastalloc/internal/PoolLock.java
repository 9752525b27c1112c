package io.fastalloc.internal;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;

/**
 * The lock of {@link LockedPool}: a non-reentrant mutual-exclusion lock on
 * {@link AbstractQueuedSynchronizer}, fair or not, with conditions. What
 * {@code java.util.concurrent.locks.ReentrantLock} does, less what a pool's lock does not need.
 *
 * <p>Why not {@code ReentrantLock}: its {@code tryLock()} reads the lock's state before the CAS, and
 * its {@code unlock()} reads the owner to check it. Between two atomic instructions every load waits
 * for the one before it, so on an uncontended allocate + close (two acquisitions) those two loads
 * each cost a cache-hit latency on the critical path. Here {@link #tryLock()} is the CAS alone and
 * {@link #unlock()} the release alone. Not reentrant: the pool never takes its lock while holding
 * it, and a factory that calls back into the pool while it grows (under the lock) would deadlock
 * rather than see a half-grown store.
 *
 * <p><b>Thread safety</b>: thread-safe. AQS state 0 = free, 1 = held: acquired by CAS (volatile
 * semantics), released by a volatile store, so everything done under the lock happens-before the
 * next acquisition. The owner thread is written (plain) by the holder right after acquiring and
 * cleared right before releasing; it is read only by {@link #isHeldExclusively()}, on the holder's
 * own thread (the conditions' checks), which therefore sees itself or not.
 */
final class PoolLock extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;
    private final boolean fair;

    /** @param fair whether waiting threads acquire in arrival order */
    PoolLock(boolean fair) {
        this.fair = fair;
    }

    @Override
    protected boolean tryAcquire(int ignored) {
        if (fair && (getState() != 0 || hasQueuedPredecessors())) {
            return false;
        }
        if (compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int ignored) {
        setExclusiveOwnerThread(null);
        setState(0);
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    /** Acquires, waiting as long as it takes. */
    void lock() {
        if (!fair && compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return;
        }
        acquire(1);
    }

    /**
     * Acquires unless interrupted.
     *
     * @throws InterruptedException when interrupted before or while waiting
     */
    void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly(1);
    }

    /**
     * Acquires if free now, barging past queued threads (so for non-fair use only).
     *
     * @return whether this thread now holds the lock
     */
    boolean tryLock() {
        if (compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return true;
        }
        return false;
    }

    /** Releases; the caller holds the lock (not checked). */
    void unlock() {
        release(1);
    }

    /**
     * Returns whether the calling thread holds this lock: a plain read of the owner, which equals the
     * calling thread only if that thread wrote it.
     *
     * @return whether the calling thread holds this lock
     */
    boolean isHeldByCurrentThread() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    /** @return whether some thread holds the lock now */
    boolean isLocked() {
        return getState() != 0;
    }

    /** @return whether the lock is fair */
    boolean isFair() {
        return fair;
    }

    /** @return a new condition of this lock */
    Condition newCondition() {
        return new ConditionObject();
    }
}
