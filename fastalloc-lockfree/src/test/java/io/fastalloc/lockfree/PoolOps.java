package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.internal.Lease;
import io.fastalloc.internal.Slot;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.Validate;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The operations the Lincheck tests run on a queue pool of two objects, made through the registry
 * ({@link PoolKind}) in the configuration of the run ({@link LincheckRuns#configuration()}). Each
 * operation answers an int that the test's sequential specification must reproduce.
 *
 * <p>An allocation is identified by its slot's index ({@link #slotOf}): the slot is the handle
 * unchecked, and a checked lease names its slot. Not by the object: with {@code LAZY} objects the
 * order in which racing allocations call the factory is not the order in which they took their
 * slots. Every allocation also checks that no other handle of the harness holds its slot
 * ({@link #hold}), and after every run {@link #countsAddUp} checks that the pool counts as free
 * exactly what the harness does not hold.
 *
 * <p>Each thread (Lincheck's {@code ThreadIdGen} parameter) keeps the handles it allocated and
 * releases only those, oldest first: closing a handle one does not own (a stale handle) is outside
 * the contract in unchecked mode, and racing double closes are checked by the stress tests
 * instead.
 *
 * <p>The kinds with thread roles pass handles from the allocating to the releasing thread through a
 * hand-off queue of the harness's own ({@code *Shared} operations) and answer counts only.
 *
 * <p>Public so that javac adds no bridge methods to the public operation classes: Lincheck would
 * see the {@link Validate} function twice.
 */
public abstract class PoolOps {
    static final int CAPACITY = 2;
    /** The count answer of an allocation that took an object, and of a release. */
    static final int OK = 1;
    static final int EXHAUSTED = -1;
    static final int CLOSED = -2;
    static final int NOT_HELD = -3;
    static final int DOUBLE_RELEASE = -4;
    /** ThreadIdGen's ids with 2 threads: the init part, the two threads, the post part. */
    private static final int THREAD_IDS = 4;

    final Pool<Item> pool;
    /** Per slot: the handle that holds it, while one does; a second holder fails the run. */
    private final AtomicReferenceArray<Handle<Item>> holders = new AtomicReferenceArray<>(CAPACITY);
    /** Per thread id: the handles it holds, oldest first. */
    private final ArrayDeque<Handle<Item>>[] owned;
    /** Role kinds: handles passed from the allocating to the releasing thread, oldest first. */
    private final ConcurrentLinkedQueue<Handle<Item>> handOff = new ConcurrentLinkedQueue<>();
    /** Role kinds: allocations between their first touch of the pool and their hand-off. */
    private final AtomicInteger pending = new AtomicInteger();

    @SuppressWarnings("unchecked")
    PoolOps() {
        this.pool = newPool(PoolConfig.<Item>builder().capacity(CAPACITY).factory(new Item.Factory()),
                LincheckRuns.configuration());
        owned = (ArrayDeque<Handle<Item>>[]) new ArrayDeque<?>[THREAD_IDS];
        for (int t = 0; t < owned.length; t++) {
            owned[t] = new ArrayDeque<>();
        }
    }

    /** @return the kind under test */
    abstract PoolKind kind();

    /**
     * @param builder       two objects, numbered by their factory
     * @param configuration the run's configuration
     * @return the pool under test: the registry's kind in the configuration
     */
    Pool<Item> newPool(PoolConfig.Builder<Item> builder, Configuration configuration) {
        return new KindConfiguration(kind(), configuration).create(builder);
    }

    // ------------------------------------------------------------ any thread, answering slot indices

    /**
     * @param h a handle of a queue pool
     * @return the index of its slot
     */
    static int slotOf(Handle<?> h) {
        return h instanceof Lease ? ((Lease<?>) h).slot.index : ((Slot<?>) h).index;
    }

    /**
     * Records {@code h} as the holder of its slot.
     *
     * @return the slot's index
     * @throws AssertionError when another handle holds the slot (Lincheck reports the run)
     */
    private int hold(Handle<Item> h) {
        if (h.get() == null) {
            throw new AssertionError(h + " handed out without an object");
        }
        int id = slotOf(h);
        if (!holders.compareAndSet(id, null, h)) {
            throw new AssertionError("slot " + id + " handed out while " + holders.get(id) + " holds it");
        }
        return id;
    }

    /** Before closing {@code h}: its slot is no longer held (a later holder is legal from now). */
    private int unhold(Handle<Item> h) {
        int id = slotOf(h);
        holders.set(id, null);
        return id;
    }

    private int own(int thread, Handle<Item> h) {
        int id = hold(h);
        owned[thread].addLast(h);
        return id;
    }

    int doTryAllocate(int thread) {
        try {
            Handle<Item> h = pool.tryAllocate();
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

    /** Closes the oldest handle this thread holds; answers its slot's index, or NOT_HELD. */
    int doRelease(int thread) {
        Handle<Item> h = owned[thread].pollFirst();
        if (h == null) {
            return NOT_HELD;
        }
        int id = unhold(h);
        try {
            h.close();
            return id;
        } catch (IllegalStateException e) {
            return DOUBLE_RELEASE;
        }
    }

    // ------------------------------------------------------------ any thread, answering counts

    /** @return {@link #OK} when an object was taken or released, else as given */
    static int counted(int answer) {
        return answer >= 0 ? OK : answer;
    }

    /**
     * For the sets whose exhaustion is not a function of the history (a batch takes its objects one
     * by one): only {@link #CLOSED} and {@link #DOUBLE_RELEASE} are kept, every other answer is
     * {@link #OK}. Ownership is still checked on every allocation ({@link #hold}), conservation
     * after the run ({@link #countsAddUp}).
     */
    static int projected(int answer) {
        return answer == CLOSED || answer == DOUBLE_RELEASE ? answer : OK;
    }

    /**
     * {@code allocateBatch(out, 0, count)}, checking what it wrote: {@code out[0, n)} the handles it
     * took, the rest untouched, and nothing when the pool refused it.
     *
     * @return the handles it took, or {@code null} when the pool refused it as closed
     */
    private Handle<Item>[] takeBatch(int count) {
        @SuppressWarnings("unchecked")
        Handle<Item>[] out = (Handle<Item>[]) new Handle<?>[count];
        int n;
        boolean refused = false;
        try {
            n = pool.allocateBatch(out, 0, count);
        } catch (IllegalStateException e) {
            n = 0;
            refused = true;
        }
        for (int i = 0; i < count; i++) {
            if ((out[i] != null) != (i < n)) {
                throw new AssertionError("a batch of " + count + (refused ? " refused" : " that took " + n)
                        + " left " + out[i] + " in out[" + i + "]");
            }
        }
        return refused ? null : Arrays.copyOf(out, n);
    }

    /**
     * {@code allocateBatch(out, 0, count)}; keeps what it got.
     *
     * @return how many it got, or CLOSED
     */
    int doAllocateBatch(int thread, int count) {
        Handle<Item>[] taken = takeBatch(count);
        if (taken == null) {
            return CLOSED;
        }
        for (Handle<Item> h : taken) {
            own(thread, h);
        }
        return taken.length;
    }

    // ------------------------------------------------------------ thread roles, through the hand-off

    /**
     * {@code tryAllocate()}, handing the handle on to whichever thread releases next. Answers
     * {@link #OK} rather than the slot: the harness's hand-off and the pool's queue are two steps, so
     * two racing releases may put the objects back in the other order than the hand-off gave them
     * out, and only the counting (free, exhausted, closed, double release) is checked for these
     * kinds. ({@code allocate()} is {@code tryAllocate()} and a throw in every queue kind: it is
     * model-checked on {@link MpmcPool}; here its exception would slow every run for no path of its
     * own.)
     */
    int doAllocateShared() {
        pending.incrementAndGet();
        try {
            Handle<Item> h = pool.tryAllocate();
            if (h == null) {
                return EXHAUSTED;
            }
            hold(h);
            handOff.offer(h);
            return OK;
        } catch (IllegalStateException e) {
            return CLOSED;
        } finally {
            pending.decrementAndGet();
        }
    }

    /** {@code allocateBatch(out, 0, count)}, handing each handle on; answers how many, or CLOSED. */
    int doAllocateBatchShared(int count) {
        pending.incrementAndGet();
        try {
            Handle<Item>[] taken = takeBatch(count);
            if (taken == null) {
                return CLOSED;
            }
            for (Handle<Item> h : taken) {
                hold(h);
                handOff.offer(h);
            }
            return taken.length;
        } finally {
            pending.decrementAndGet();
        }
    }

    /**
     * Closes the oldest handed-off handle, if any (one releasing thread). An allocation that has
     * taken its object from the pool but not yet handed it off is waited for, so the harness never
     * says "nothing to release" while the pool already counts an object as taken: {@code pending} is
     * read before polling the hand-off, and an allocation counts itself pending before it touches the
     * pool.
     *
     * @return {@link #OK} when it closed one, {@link #NOT_HELD} when there was none,
     *         {@link #DOUBLE_RELEASE} when the pool refused the close
     */
    int doReleaseShared() {
        while (true) {
            int inFlight = pending.get();
            Handle<Item> h = handOff.poll();
            if (h != null) {
                unhold(h);
                try {
                    h.close();
                    return OK;
                } catch (IllegalStateException e) {
                    return DOUBLE_RELEASE;
                }
            }
            if (inFlight == 0) {
                return NOT_HELD;
            }
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------ any thread

    int doAvailable() {
        return pool.available();
    }

    void doClosePool() {
        pool.close();
    }

    /**
     * At quiescence, after every run: the pool counts as free exactly the objects no handle of the
     * harness holds (nothing lost, nothing counted twice), closed or not. Nothing is closed here, so
     * a kind's thread roles are kept.
     */
    @Validate
    public void countsAddUp() {
        int held = 0;
        for (int i = 0; i < CAPACITY; i++) {
            if (holders.get(i) != null) {
                held++;
            }
        }
        if (pool.available() != CAPACITY - held) {
            throw new IllegalStateException("the harness holds " + held + " of " + CAPACITY
                    + " objects but the pool counts " + pool.available() + " available: " + pool);
        }
    }

    /**
     * The specification of the {@link #projected} sets: every allocation (single or batch, with or
     * without a thread id) answers {@link #CLOSED} once the pool is closed and {@link #OK} before;
     * a release answers {@link #OK}, also after the pool is closed.
     */
    public static class ClosedSpec {
        private boolean closed;

        public int tryAllocate(int t) {
            return closed ? CLOSED : OK;
        }

        public int tryAllocate() {
            return tryAllocate(0);
        }

        public int allocate(int t) {
            return tryAllocate(t);
        }

        public int allocateBatch(int t, int count) {
            return tryAllocate(t);
        }

        public int allocateBatch(int count) {
            return tryAllocate(0);
        }

        public int release(int t) {
            return OK;
        }

        public int release() {
            return OK;
        }

        public void closePool() {
            closed = true;
        }
    }

    /**
     * The sequential specification of the role kinds' operations: a count of free objects, of
     * handed-off handles, and whether the pool is closed. An allocation on a closed pool is refused
     * ({@code IllegalStateException}) even when none is free; releases stay legal after close.
     */
    public static class SharedSpec {
        private int free = CAPACITY;
        private int handedOff;
        private boolean closed;

        public int tryAllocate() {
            if (closed) {
                return CLOSED;
            }
            return take(1) == 1 ? OK : EXHAUSTED;
        }

        public int allocateBatch(int count) {
            return closed ? CLOSED : take(count);
        }

        private int take(int count) {
            int n = Math.min(count, free);
            free -= n;
            handedOff += n;
            return n;
        }

        public int release() {
            if (handedOff == 0) {
                return NOT_HELD;
            }
            handedOff--;
            free++;
            return OK;
        }

        public int available() {
            return free;
        }

        public void closePool() {
            closed = true;
        }
    }
}
