package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operations the Lincheck tests run on a pool of two objects in unchecked mode. Each operation
 * answers an int that the sequential specification (the same class run on one thread) must
 * reproduce.
 *
 * <p>In unchecked mode a slot is its own handle, so the constructor allocates both objects once
 * and closes them again (leaving the queue in its first order) to learn the two handles; from then
 * on an allocation is identified by which handle came back. Each thread (Lincheck's
 * {@code ThreadIdGen} parameter) keeps the handles it allocated and releases only those, oldest
 * first: closing a handle one does not own (a stale handle) is outside the contract in unchecked
 * mode, and racing double closes are checked by the stress tests instead.
 */
abstract class PoolOps {
    static final int CAPACITY = 2;
    static final int EXHAUSTED = -1;
    static final int CLOSED = -2;
    static final int NOT_HELD = -3;
    static final int DOUBLE_RELEASE = -4;

    final Pool<Integer> pool;
    private final Handle<Integer>[] handles;
    /** Per thread id: the handles it holds, oldest first (at most {@link #CAPACITY}). */
    private final ArrayDeque<Handle<Integer>>[] owned;
    /** Role kinds: handles passed from the allocating to the releasing thread, oldest first. */
    private final ConcurrentLinkedQueue<Handle<Integer>> handOff = new ConcurrentLinkedQueue<>();
    /** Role kinds: allocations between their first touch of the pool and their hand-off. */
    private final AtomicInteger pending = new AtomicInteger();

    @SuppressWarnings("unchecked")
    PoolOps() {
        PoolConfig<Integer> config = PoolConfig.<Integer>builder().capacity(CAPACITY).factory(() -> 7)
                .checked(false).build();
        this.pool = newPool(config);
        handles = (Handle<Integer>[]) new Handle<?>[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) {
            handles[i] = pool.allocate();
        }
        for (Handle<Integer> h : handles) {
            h.close();
        }
        owned = (ArrayDeque<Handle<Integer>>[]) new ArrayDeque<?>[4];
        for (int t = 0; t < owned.length; t++) {
            owned[t] = new ArrayDeque<>(CAPACITY);
        }
    }

    /**
     * @param config two objects, unchecked
     * @return the pool under test
     */
    abstract Pool<Integer> newPool(PoolConfig<Integer> config);

    private int own(int thread, Handle<Integer> h) {
        owned[thread].addLast(h);
        return h == handles[0] ? 0 : 1;
    }

    int doTryAllocate(int thread) {
        try {
            Handle<Integer> h = pool.tryAllocate();
            return h == null ? EXHAUSTED : own(thread, h);
        } catch (IllegalStateException e) {
            return CLOSED;
        }
    }

    int doAllocate(int thread) {
        try {
            return own(thread, pool.allocate());
        } catch (PoolExhaustedException e) {
            return EXHAUSTED;
        } catch (IllegalStateException e) {
            return CLOSED;
        }
    }

    /** Closes the oldest handle this thread holds; answers its id, or NOT_HELD. */
    int doRelease(int thread) {
        Handle<Integer> h = owned[thread].pollFirst();
        if (h == null) {
            return NOT_HELD;
        }
        try {
            h.close();
            return h == handles[0] ? 0 : 1;
        } catch (IllegalStateException e) {
            return DOUBLE_RELEASE;
        }
    }

    /**
     * Allocates and hands the handle on to whichever thread releases next (role kinds). Answers
     * {@code 1} rather than the id: the harness's hand-off and the pool's queue are two steps, so
     * two racing releases may put the objects back in the other order than the hand-off gave them
     * out, and only the counting (free, exhausted, double release) is checked for these kinds.
     */
    int doAllocateShared() {
        pending.incrementAndGet();
        try {
            Handle<Integer> h = pool.tryAllocate();
            if (h == null) {
                return EXHAUSTED;
            }
            handOff.offer(h);
            return 1;
        } catch (IllegalStateException e) {
            return CLOSED;
        } finally {
            pending.decrementAndGet();
        }
    }

    /**
     * Closes the oldest handed-off handle, if any (role kinds; one releasing thread). An allocation
     * that has taken its object from the pool but not yet handed it off is waited for, so the
     * harness never says "nothing to release" while the pool already counts an object as taken:
     * {@code pending} is read before polling the hand-off, and an allocation counts itself pending
     * before it touches the pool. A double release would throw.
     */
    void doReleaseShared() {
        while (true) {
            int inFlight = pending.get();
            Handle<Integer> h = handOff.poll();
            if (h != null) {
                h.close();
                return;
            }
            if (inFlight == 0) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    int doAvailable() {
        return pool.available();
    }

    void doClosePool() {
        pool.close();
    }
}
