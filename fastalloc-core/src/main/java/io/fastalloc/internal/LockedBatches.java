package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.PoolExhaustedException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The batch allocations of a {@link LockedPool}: {@code allocateBatch(count)}, all or nothing, and
 * {@code allocateBatch(out, offset, count)}, as many as are free up to {@code count}. Each takes its
 * slots in one critical section of the pool's lock, makes lazy objects outside it (giving every slot
 * back if the factory throws) and records the allocations under the lock, as the pool's single
 * allocations do (see {@link LockedPool}).
 *
 * <p><b>Thread safety</b>: as the pool's: any thread may call them; every access to the slot store,
 * the slots' states and the recorder is made under the pool's lock.
 *
 * <p><b>Memory effects</b>: as the pool's single allocations: a close happens-before the batch that
 * next hands out the same object (the releasing thread unlocks after putting the slot back, the
 * batch locks before taking it).
 *
 * <p><b>Progress</b>: blocking, on the pool's lock.
 */
final class LockedBatches {
    private LockedBatches() {
    }

    /**
     * Takes {@code count} objects or none.
     *
     * @param pool  the pool
     * @param count how many
     * @param <T>   the type of pooled object
     * @return the handles, in the order taken
     */
    static <T> List<Handle<T>> allocate(LockedPool<T> pool, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        @SuppressWarnings("unchecked")
        Handle<T>[] taken = (Handle<T>[]) new Handle<?>[count];
        int n;
        boolean lazy;
        pool.acquireOpen();
        try {
            n = pool.canTake(count) ? take(pool, taken, 0, count) : 0;
            if (n < count) { // growth stopped short: all or nothing
                untakeAll(pool, taken, 0, n);
                pool.recorder.onExhausted();
                throw new PoolExhaustedException(Messages.batchShort(pool, count, pool.available(),
                        pool.capacity()) + " (max " + pool.maxCapacity() + ')');
            }
            lazy = lazyElseCounted(pool, taken, 0, n);
        } finally {
            pool.lock.unlock();
        }
        handOut(pool, taken, 0, n, lazy);
        return new ArrayList<>(Arrays.asList(taken));
    }

    /**
     * Takes up to {@code count} objects into {@code out[offset, offset + n)}.
     *
     * @param pool   the pool
     * @param out    the caller's array
     * @param offset the first entry to write
     * @param count  the most to take
     * @param <T>    the type of pooled object
     * @return how many were taken
     */
    static <T> int allocate(LockedPool<T> pool, Handle<T>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        int n;
        boolean lazy;
        pool.acquireOpen();
        try {
            n = take(pool, out, offset, count);
            if (n < count) {
                pool.recorder.onExhausted();
            }
            lazy = lazyElseCounted(pool, out, offset, n);
        } finally {
            pool.lock.unlock();
        }
        handOut(pool, out, offset, n, lazy);
        return n;
    }

    /**
     * Under the lock: takes up to {@code count} slots into {@code into[offset..]} (a slot is a
     * handle, so the caller's array can hold them), stopping at the first that cannot be had. If
     * taking throws (growth failed), gives back what it took and rethrows.
     *
     * @return how many were taken
     */
    private static <T> int take(LockedPool<T> pool, Handle<T>[] into, int offset, int count) {
        int n = 0;
        try {
            while (n < count) {
                Slot<T> slot = pool.takeSlot();
                if (slot == null) {
                    break;
                }
                into[offset + n++] = slot;
            }
        } catch (RuntimeException | Error e) {
            untakeAll(pool, into, offset, offset + n);
            throw e;
        }
        return n;
    }

    /**
     * Under the lock: counts the allocations of {@code parked[offset, offset + n)} unless some slot
     * still needs its object made, which {@link #handOut} then does outside the lock.
     *
     * @return whether some slot has no object yet
     */
    @SuppressWarnings("unchecked")
    private static <T> boolean lazyElseCounted(LockedPool<T> pool, Handle<T>[] parked, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            if (((Slot<T>) parked[i]).lpObject() == null) {
                return true;
            }
        }
        for (int i = 0; i < n; i++) {
            pool.recordAllocate();
        }
        return false;
    }

    /**
     * Outside the lock: makes the lazy objects (on a factory failure every slot goes back and the
     * failure is rethrown) and counts their allocations, then puts each slot's checked lease in its
     * place in checked mode.
     */
    @SuppressWarnings("unchecked")
    private static <T> void handOut(LockedPool<T> pool, Handle<T>[] parked, int offset, int n, boolean lazy) {
        if (lazy) {
            try {
                for (int i = offset; i < offset + n; i++) {
                    pool.fill((Slot<T>) parked[i]);
                }
            } catch (RuntimeException | Error e) {
                pool.acquire();
                try {
                    untakeAll(pool, parked, offset, offset + n);
                } finally {
                    pool.lock.unlock();
                }
                throw e;
            }
            pool.recordAllocations(n);
        }
        if (pool.checked) {
            for (int i = offset; i < offset + n; i++) {
                Slot<T> slot = (Slot<T>) parked[i];
                parked[i] = pool.leaks.track(slot, slot.lpState());
            }
        }
    }

    /** Under the lock: gives back {@code parked[from, to)} in reverse order and clears the entries. */
    @SuppressWarnings("unchecked")
    private static <T> void untakeAll(LockedPool<T> pool, Handle<T>[] parked, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            pool.untake((Slot<T>) parked[i]);
            parked[i] = null;
        }
        pool.signalIfWaiting(to - from);
    }
}
