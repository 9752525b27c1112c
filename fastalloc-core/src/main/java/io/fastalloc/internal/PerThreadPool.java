package io.fastalloc.internal;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.WaitStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine of {@code ThreadLocalPool}: one {@link Part} per thread, each a {@link SlotStore} of
 * {@code capacity} objects confined to its owner thread, plus a lock-free return stack through
 * which other threads give back the part's objects.
 *
 * <pre>
 *   owner thread ──allocate/close──▶ Part.top / Part.topFree, a LIFO list (plain accesses, no
 *                                     lock, no CAS)
 *   other thread ──close──▶ CAS Slot.state odd→even, reset, CAS push on Part.returns (Treiber stack
 *                           linked through Slot.next)
 *   owner thread, its stack empty ──▶ getAndSet(returns, null): takes the whole list back
 * </pre>
 *
 * <p><b>Finding the caller's part.</b> A table of {@value #MAX_TABLE} entries at most, indexed by the
 * low bits of the calling thread's id ({@link Thread#getId()}: a field read), caches each thread's
 * part; the hit is confirmed by comparing the part's {@link Part#owner} with the calling thread. A
 * thread whose entry is taken by another live thread's part (two ids with the same low bits) finds
 * its part in a {@link ThreadLocal}, which every part is also registered in: the table is only a
 * cache in front of it, written under the registry lock.
 *
 * <p><b>Free set.</b> With {@link AllocationStrategy#STACK} (the default) the part keeps its free
 * slots itself, as a LIFO list of slot indices ({@code below[i]}: the slot under slot {@code i})
 * whose top slot stays on the list while it is held: {@code topFree} says whether it is free.
 * Allocation takes the top in place when it is free ({@code topFree = false}); closing the held top
 * frees it in place ({@code topFree = true}). Only when the top is held and another slot is wanted
 * (a second allocation, or the close of another slot) is the held top moved off the list
 * ({@code below[i] = OFF}). So the steady state of allocate + close writes two fields (the slot's
 * state and {@code topFree}) and reads nothing the other operation just wrote except through them:
 * from one operation to the next, one store-to-load hop per field instead of the two of a stack
 * index that both push and pop read and write. Invariant: every slot on the list below the top is
 * free; a held slot on the list is the top. No count is kept: the counts are the slots' states
 * (odd = held), read when asked. The other strategies keep their free slots in the part's
 * {@link SlotStore}.
 *
 * <p><b>Fast path.</b> The table caches only parts of an unchecked, open pool, so a hit needs no
 * look at {@link #closed} or the mode: {@link #close()} empties the table under the registry lock
 * and the slow path checks {@link #closed}. The fast path reads its table entry with an acquire
 * load on every allocation: the JIT may not hoist it out of a compiled allocate/close loop, so a
 * thread in such a loop sees {@code close()} empty its entry, and an acquire load that sees the
 * emptied entry also sees {@link #closed} set. A checked pool always finds its part in the
 * {@link ThreadLocal}.
 *
 * <p><b>Closing.</b> In unchecked mode the owner's close checks that the slot is held and writes
 * the next (even) state with a plain store: no atomic instruction. A close on another thread claims
 * the slot with a CAS from odd to even, so of two foreign closes of one handle exactly one wins. A
 * close on the owner racing with a close of the same handle on another thread is the same misuse as
 * closing a stale handle: unchecked mode cannot tell (both may succeed); checked mode can, because
 * there every close, the owner's too, claims the slot with the CAS. A second close after the first
 * is detected in both modes. The return stack is only pushed and taken whole, so it has no ABA
 * problem.
 *
 * <p>Parts are kept in a registry with their owner thread. A thread that needs a part first adopts
 * one whose owner has died ({@link Thread#isAlive()} is false): the adopter gets the part's free
 * objects, its return stack and its objects still out (closing them later returns them to the
 * adopter). Only when none is dead does it make a new part, unless {@code maxThreads} parts exist
 * already: then it gets exhaustion.
 *
 * <p><b>Thread safety</b>: thread-safe, with each part's free set confined to its owner. The counts
 * ({@link #available()}, {@link #inUse()}) read other threads' parts without synchronisation and are
 * estimates.
 *
 * <p><b>Memory effects</b>: a close on the owner thread happens-before its later allocations (program
 * order). A close on another thread happens-before the owner's allocation that takes the object back:
 * the push is a CAS (volatile), the owner's take-all a getAndSet (volatile), so the releaser's writes
 * and the reset function's are visible to the next holder. Adoption: a thread's termination
 * happens-before another thread sees {@link Thread#isAlive()} return false (JLS 17.4.4), so the
 * adopter sees the dead owner's plain writes to its part. {@link Part#owner} is written with a
 * release store under the registry lock and read plainly: a thread only ever compares it with
 * itself, and it equals the reading thread only if that thread wrote it (an owner changes only when
 * it has died), so a stale value never makes a thread take a part that is not its own.
 *
 * <p><b>Progress</b>: the owner's allocate and close are wait-free (plain accesses in unchecked mode;
 * one CAS in checked mode that only a racing double close can make fail); a close on another
 * thread is lock-free (a CAS loop on the part's stack head, contended only by other releasers of the
 * same part). The first allocation of a thread takes the registry lock (blocking) once.
 *
 * @param <T> the type of pooled object
 */
public abstract class PerThreadPool<T> implements Pool<T> {
    private static final String KIND = "ThreadLocalPool";
    /** The largest part table: 256 references, 1 KiB with compressed oops. */
    static final int MAX_TABLE = 256;
    private static final int MIN_TABLE = 16;
    @SuppressWarnings("rawtypes")
    private static final Part[] NO_PARTS = new Part[0];
    /** The no-op recorder, compared by identity on the fast path (one load, no type check). */
    private static final PoolRecorder NOOP = PoolRecorder.noop();
    /** Release stores into {@link #table}. */
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(Part[].class);

    /** Immutable after construction. */
    private final String name;
    /** Immutable; each part's SlotStore is made from it. */
    private final PoolConfig<T> config;
    /** Immutable. */
    private final boolean checked;
    /** Checked mode's leak watch; {@code null} in unchecked mode. Leaked slots go back by the return stack. */
    private final LeakTracker<T> leaks;
    /** Immutable. */
    private final int partCapacity;
    /** Immutable. */
    private final int maxThreads;
    /** Immutable; called from every thread. */
    private final PoolRecorder recorder;
    /** Immutable. */
    private final WaitStrategy waitStrategy;
    /**
     * Parts by the low bits of their owner's thread id: a cache in front of {@link #local}, holding
     * only unchecked parts of an open pool, so that a hit needs no other check. Entries are written
     * under {@link #registryLock} (release store) and read by any thread (acquire on the fast path,
     * never hoisted out of a loop; plain on the slow path, after the volatile read of
     * {@link #closed}), which then checks {@link Part#owner}.
     */
    private final Part<T>[] table;
    /**
     * Each thread's part; each thread reads and writes only its own entry. The entry holds the part
     * weakly ({@link #parts} holds it strongly): a part refers to this pool, so a strong entry would
     * keep the pool, and its thread-local key, reachable from every thread that used it, and a
     * long-lived thread that uses many short-lived pools would keep them all.
     */
    private final ThreadLocal<WeakReference<Part<T>>> local = new ThreadLocal<>();
    /** Guards writes of {@link #parts}, {@link #table} and adoptions (which write {@link Part#owner}). */
    private final ReentrantLock registryLock = new ReentrantLock();
    /** Every part ever made; copy on write under {@link #registryLock}, read by anyone (volatile). */
    private volatile Part<T>[] parts;
    /** Written once by {@link #close()} (volatile); read by every allocation off the fast path (volatile). */
    private volatile boolean closed;

    /**
     * @param config the config: {@code capacity} objects per thread, {@code maxThreads} parts at
     *               most; {@code maxCapacity} and the growth strategy are ignored
     */
    @SuppressWarnings("unchecked")
    protected PerThreadPool(PoolConfig<T> config) {
        this.name = PoolNames.nameOf(config, KIND);
        this.config = config;
        this.checked = config.checked();
        this.partCapacity = config.capacity();
        this.maxThreads = config.maxThreads();
        this.recorder = config.recorder();
        this.waitStrategy = config.waitStrategy();
        this.parts = (Part<T>[]) NO_PARTS;
        this.table = (Part<T>[]) new Part<?>[tableLength(maxThreads)];
        this.leaks = checked
                ? new LeakTracker<T>(config.leakListener(), l -> ((Part<T>) l.slot.home).recoverLeaked(l))
                : null;
        recorder.onCreate(name, KIND, 0);
    }

    /**
     * Returns a power of two, about twice {@code maxThreads}, from {@value #MIN_TABLE} to {@value #MAX_TABLE}.
     *
     * @return a power of two, about twice {@code maxThreads}, from {@value #MIN_TABLE} to {@value #MAX_TABLE}
     */
    static int tableLength(int maxThreads) {
        int wanted = maxThreads >= MAX_TABLE / 2 ? MAX_TABLE : 2 * maxThreads;
        return Math.max(MIN_TABLE, Integer.highestOneBit(wanted - 1) << 1);
    }

    // ---------------------------------------------------------------- allocation (owner thread)

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        if (handle == null) {
            throw new PoolExhaustedException(exhaustedMessage());
        }
        return handle;
    }

    private String exhaustedMessage() {
        return localPart() == null
                ? threadCapMessage()
                : KIND + " '" + name + "': exhausted: all " + partCapacity + " objects of thread '"
                        + Thread.currentThread().getName() + "' are in use";
    }

    private String threadCapMessage() {
        return KIND + " '" + name + "': thread cap reached: maxThreads " + maxThreads
                + " threads own parts and none of them has died, so thread '" + Thread.currentThread().getName()
                + "' gets no objects";
    }

    /**
     * Returns the thread's index in {@code tab} (its id's low bits).
     *
     * @return the thread's index in {@code tab} (its id's low bits)
     */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() reads the same field
    private static int slotOf(Thread thread, Object[] tab) {
        return (int) thread.getId() & (tab.length - 1);
    }

    /**
     * Returns the calling thread's part, or {@code null} when it has none yet.
     *
     * @return the calling thread's part, or {@code null} when it has none yet
     */
    private Part<T> partOf(Thread current) {
        Part<T> p = table[slotOf(current, table)];
        if (p != null && p.owner == current) {
            return p;
        }
        return localPart();
    }

    /**
     * Returns the calling thread's part from the thread-local, or {@code null}.
     *
     * @return the calling thread's part from the thread-local, or {@code null}
     */
    private Part<T> localPart() {
        WeakReference<Part<T>> ref = local.get();
        return ref == null ? null : ref.get();
    }

    @Override
    public Handle<T> tryAllocate() {
        Thread current = Thread.currentThread();
        Part<T>[] tab = table;
        // Acquire, not plain: a plain load of the entry may be hoisted out of a compiled
        // allocate/close loop, which would then never see close() empty the table.
        @SuppressWarnings("unchecked")
        Part<T> part = (Part<T>) TABLE.getAcquire(tab, slotOf(current, tab)); // only unchecked parts of an open pool are cached
        if (part != null && part.owner == current) {
            if (part.topFree) { // the fast path: the top of this thread's cached part is free
                Slot<T> slot = part.top;
                part.topFree = false; // the slot stays on the list, as its held top
                slot.state++;
                if (slot.object == null) {
                    part.fill(slot);
                }
                if (recorder != NOOP) {
                    recorder.onAllocate();
                }
                return slot;
            }
        }
        return tryAllocateSlow(current);
    }

    private IllegalStateException closedException() {
        return new IllegalStateException(KIND + " '" + name + "': the pool is closed");
    }

    /**
     * The first allocation of a thread, a table miss (checked mode never caches), another strategy
     * than STACK, a held top, or a closed pool.
     */
    private Handle<T> tryAllocateSlow(Thread current) {
        if (closed) {
            throw closedException();
        }
        Part<T> part = partOf(current);
        if (part == null && (part = attach()) == null) {
            recorder.onExhausted();
            return null;
        }
        Slot<T> slot = part.take();
        if (slot == null && (part.drain() == 0 || (slot = part.take()) == null)) {
            recorder.onExhausted();
            return null;
        }
        recorder.onAllocate();
        return checked ? leaks.track(slot, slot.state) : slot;
    }

    /**
     * Polls {@link #tryAllocate()}, draining the return stack, idling by the config's
     * {@link WaitStrategy} between attempts: only other threads' releases (or the death of a thread,
     * for a thread over the cap) can make an object free for this thread while it waits.
     */
    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        Handle<T> handle = tryAllocate();
        if (handle != null) {
            return handle;
        }
        long start = System.nanoTime();
        long nanos = unit.toNanos(timeout);
        recorder.onWaitStart(); // ended by the onWait in the finally below, on every path
        try {
            for (int attempt = 0; ; attempt++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException(KIND + " '" + name + "': interrupted while waiting for an object");
                }
                if (System.nanoTime() - start >= nanos) {
                    break; // timed out: the exception is made once the wait is recorded as ended
                }
                waitStrategy.idle(attempt);
                handle = tryAllocate();
                if (handle != null) {
                    return handle;
                }
            }
        } finally {
            recorder.onWait(System.nanoTime() - start);
        }
        throw new PoolExhaustedException(exhaustedMessage() + "; none was released within " + timeout + ' ' + unit);
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        if (closed) {
            throw closedException();
        }
        List<Handle<T>> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        Part<T> part = partOf(Thread.currentThread());
        if (part == null && (part = attach()) == null) {
            recorder.onExhausted();
            throw new PoolExhaustedException(threadCapMessage());
        }
        if (part.freeCount(count) < count) {
            part.drain();
        }
        if (part.freeCount(count) < count) {
            recorder.onExhausted();
            throw new PoolExhaustedException(Messages.prefix(part) + "cannot take " + count + " objects at once: "
                    + part.freeCount(partCapacity) + " free of " + partCapacity + " for thread '"
                    + Thread.currentThread().getName() + "'");
        }
        @SuppressWarnings("unchecked")
        Slot<T>[] taken = (Slot<T>[]) new Slot<?>[count];
        int n = 0;
        try {
            for (; n < count; n++) {
                taken[n] = part.take(); // non-null: enough were free, only this thread takes
            }
        } finally {
            if (n < count) { // the factory threw: all or nothing
                for (int i = n - 1; i >= 0; i--) {
                    part.untake(taken[i]);
                }
            }
        }
        for (Slot<T> slot : taken) {
            out.add(checked ? leaks.track(slot, slot.state) : slot);
            recorder.onAllocate();
        }
        return out;
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        int n = 0;
        try {
            while (n < count) {
                Handle<T> h = tryAllocate();
                if (h == null) {
                    break;
                }
                out[offset + n++] = h;
            }
        } catch (RuntimeException | Error e) { // a lazy factory failed: the call takes nothing
            Batches.giveBack(out, offset, n, e);
            throw e;
        }
        return n;
    }

    // ---------------------------------------------------------------- registry

    /** Adopts a dead thread's part, or makes one; {@code null} when {@code maxThreads} are alive. */
    private Part<T> attach() {
        Thread current = Thread.currentThread();
        Part<T> part = null;
        registryLock.lock();
        try {
            Part<T>[] ps = parts;
            for (Part<T> p : ps) {
                if (!p.owner.isAlive()) { // its termination happens-before this read
                    Part.OWNER.setRelease(p, current);
                    part = p;
                    break;
                }
            }
            if (part == null) {
                if (ps.length >= maxThreads) {
                    return null;
                }
                part = new Part<>(this, config, partCapacity, current, ps.length);
                Part<T>[] grown = Arrays.copyOf(ps, ps.length + 1);
                grown[ps.length] = part;
                parts = grown;
                recorder.onCapacityChange(ps.length * partCapacity, grown.length * partCapacity);
            }
            if (!checked && !closed) {
                cache(part, current);
            }
        } finally {
            registryLock.unlock();
        }
        local.set(new WeakReference<>(part));
        return part;
    }

    /**
     * Under the registry lock: puts the part in the table at its owner's index unless a live thread's
     * part sits there for that thread.
     */
    private void cache(Part<T> part, Thread owner) {
        int i = slotOf(owner, table);
        Part<T> there = table[i];
        if (there == null || !there.owner.isAlive() || slotOf(there.owner, table) != i) {
            TABLE.setRelease(table, i, part);
        }
    }

    /**
     * Takes back the objects other threads released into the calling thread's part; the pool does
     * this itself when the thread's free set runs empty.
     *
     * @return how many objects came back
     */
    public int drainReturns() {
        Part<T> part = partOf(Thread.currentThread());
        return part == null ? 0 : part.drain();
    }

    /**
     * Returns how many threads own (or owned, until adopted) a part.
     *
     * @return how many threads own (or owned, until adopted) a part
     */
    public int threads() {
        return parts.length;
    }

    // ---------------------------------------------------------------- counts and lifecycle

    @Override
    public int capacity() {
        return parts.length * partCapacity;
    }

    @Override
    public int available() {
        int sum = 0;
        for (Part<T> p : parts) {
            sum += p.available();
        }
        return sum;
    }

    @Override
    public int inUse() {
        int sum = 0;
        for (Part<T> p : parts) {
            sum += p.inUse();
        }
        return sum;
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether {@link #close()} was called
     */
    final boolean isClosed() {
        return closed;
    }

    /**
     * Refuses allocations from now on: sets {@link #closed} and empties the table under the registry
     * lock, so that every allocation takes the slow path, which checks {@link #closed} (the fast path
     * does not read it); {@link #attach()} caches nothing once closed.
     */
    @Override
    public void close() {
        registryLock.lock();
        try {
            closed = true;
            for (int i = 0; i < table.length; i++) {
                TABLE.setRelease(table, i, null);
            }
        } finally {
            registryLock.unlock();
        }
    }

    /**
     * Returns the pool's name.
     *
     * @return the pool's name
     */
    final String poolName() {
        return name;
    }

    @Override
    public String toString() {
        return KIND + "{name=" + name + ", threads=" + parts.length + ", capacityPerThread=" + partCapacity
                + ", available~" + available() + ", inUse~" + inUse() + (closed ? ", closed" : "") + '}';
    }

    /**
     * One thread's share of the pool: its free slots, confined to {@link #owner}, and the stack
     * through which other threads give its objects back.
     *
     * @param <T> the type of pooled object
     */
    static final class Part<T> extends SlotHome<T> {
        static final VarHandle RETURNS;
        static final VarHandle PENDING;
        static final VarHandle OWNER;
        /** {@link #below}: the slot is not on the list. */
        static final int OFF = -2;
        /** {@link #below}: nothing under the slot. */
        static final int BOTTOM = -1;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                RETURNS = lookup.findVarHandle(Part.class, "returns", Slot.class);
                PENDING = lookup.findVarHandle(Part.class, "pending", int.class);
                OWNER = lookup.findVarHandle(Part.class, "owner", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Immutable. */
        final PerThreadPool<T> pool;
        /** Immutable; for messages. */
        final int number;
        /** Immutable; the pool's. */
        final boolean checked;
        /**
         * Immutable: whether the owner's close is the short one, a plain state write and a push on
         * {@link #free}: unchecked, STACK, no reset function or validator to run, no recorder.
         */
        final boolean plainRelease;
        /** Immutable; the pool's. */
        final PoolRecorder recorder;
        /**
         * Makes the slots and objects; with STACK only that (and reset, validate), with the other
         * strategies also the free set. Read and written only by {@link #owner} (plain); other
         * threads read only its immutable parts (reset, validator) and, racily, its counts.
         */
        final SlotStore<T> store;
        /** Immutable: whether the free set is the list below (STACK) rather than the store's. */
        final boolean linked;
        /** STACK: the slots by index; immutable. */
        final Slot<T>[] slots;
        /**
         * STACK: for a slot on the list, the index of the slot under it ({@link #BOTTOM} for the last);
         * {@link #OFF} for a slot off the list. Read and written by {@link #owner} only (plain).
         */
        final int[] below;
        /** STACK: the slot on top of the list, {@code null} when empty. {@link #owner} only (plain). */
        Slot<T> top;
        /**
         * STACK: whether {@link #top} is free (else it is held); always {@code false} for the other
         * strategies and with an empty list. {@link #owner} only (plain).
         */
        boolean topFree;
        /**
         * The thread the free set is confined to. Written under the registry lock when made (final
         * publication through the registry) or adopted (release store); read plainly by closes and
         * allocations, which only compare it with the calling thread (see the pool's Memory effects).
         */
        Thread owner;
        /**
         * Head of the return stack, linked through {@link Slot#next}. Pushed by releasing threads
         * (CAS, which releases the reset object and the link), taken whole by the owner
         * (getAndSet, which acquires them).
         */
        @SuppressWarnings("unused")
        private volatile Slot<T> returns;
        /**
         * Objects on the return stack: added by releasers after the push, subtracted by the owner after
         * a take (getAndAdd both); read by the counts only.
         */
        @SuppressWarnings("unused")
        private volatile int pending;

        @SuppressWarnings("unchecked")
        Part(PerThreadPool<T> pool, PoolConfig<T> config, int capacity, Thread owner, int number) {
            this.pool = pool;
            this.number = number;
            this.checked = pool.checked;
            this.recorder = pool.recorder;
            this.owner = owner;
            this.store = new SlotStore<>(config, this, capacity, capacity);
            boolean stacked = config.allocationStrategy() == AllocationStrategy.STACK;
            this.plainRelease = stacked && !checked && config.reset() == null && config.validator() == null
                    && recorder == NOOP;
            this.linked = stacked;
            if (stacked) {
                Slot<T>[] all = (Slot<T>[]) new Slot<?>[capacity];
                int[] under = new int[capacity];
                for (int i = 0; i < capacity; i++) { // lowest index on top, as SlotStore does
                    all[i] = store.slot(i);
                    under[i] = i + 1 < capacity ? i + 1 : BOTTOM;
                }
                this.slots = all;
                this.below = under;
                this.top = all[0];
                this.topFree = true;
            } else {
                this.slots = null;
                this.below = null;
            }
        }

        /** Owner only: a free slot marked held, with its object; {@code null} when none is free. */
        Slot<T> take() {
            if (!linked) {
                return store.take();
            }
            Slot<T> slot = top;
            if (slot == null) {
                return null;
            }
            if (!topFree) { // the top is held: move it off the list; the slot under it is free
                int b = below[slot.index];
                below[slot.index] = OFF;
                if (b == BOTTOM) {
                    top = null;
                    return null;
                }
                slot = slots[b];
                top = slot;
            }
            topFree = false;
            slot.state++;
            if (slot.object == null) {
                fill(slot);
            }
            return slot;
        }

        /** Owner only: makes a lazy object; if the factory throws, the slot goes back untaken. */
        void fill(Slot<T> slot) {
            try {
                store.fill(slot);
            } catch (RuntimeException | Error e) {
                untake(slot);
                throw e;
            }
        }

        /** Owner only: gives back a slot just taken, as if it had never been. */
        void untake(Slot<T> slot) {
            if (linked) { // the top, or (undoing a batch in reverse) a slot moved off the list since
                slot.state--;
                putBack(slot);
            } else {
                store.untake(slot);
            }
        }

        /**
         * Owner only.
         *
         * @param limit the most to count (the list is walked)
         * @return free slots on the owner's side, at most {@code limit} (STACK)
         */
        int freeCount(int limit) {
            if (!linked) {
                return store.available();
            }
            Slot<T> t = top;
            if (t == null) {
                return 0;
            }
            int n = topFree ? 1 : 0;
            for (int i = below[t.index]; i != BOTTOM && n < limit; i = below[i]) {
                n++;
            }
            return n;
        }

        /**
         * Returns free slots, counting those on the return stack (racy from other threads).
         *
         * @return free slots, counting those on the return stack (racy from other threads)
         */
        int available() {
            if (!linked) {
                return store.available() + (int) PENDING.getVolatile(this); // plain read of the owner's count
            }
            return store.capacity() - held();
        }

        /**
         * Returns slots out (racy from other threads).
         *
         * @return slots out (racy from other threads)
         */
        int inUse() {
            if (!linked) {
                return store.inUse() - (int) PENDING.getVolatile(this); // plain read of the owner's count
            }
            return held();
        }

        /** STACK: the slots whose state is odd (plain reads: exact when the threads are quiet). */
        private int held() {
            int n = 0;
            for (int i = 0, c = store.capacity(); i < c; i++) {
                if (store.slot(i).isHeld()) {
                    n++;
                }
            }
            return n;
        }

        /** Owner only: puts a slot it freed (state even, object reset or discarded) back. */
        private void putBack(Slot<T> slot) {
            if (!linked) {
                store.countFreed(slot);
                store.recycle(slot, false);
                return;
            }
            Slot<T> t = top;
            if (t == slot) { // the held top, freed in place
                topFree = true;
                return;
            }
            if (t != null && !topFree) { // a held top may only be the top: move it off the list
                int b = below[t.index];
                below[t.index] = OFF;
                t = b == BOTTOM ? null : slots[b];
            }
            below[slot.index] = t == null ? BOTTOM : t.index;
            top = slot;
            topFree = true;
        }

        /** Owner only: moves the whole return stack into the free set. @return how many came back */
        int drain() {
            @SuppressWarnings("unchecked")
            Slot<T> s = (Slot<T>) RETURNS.getAndSet(this, null);
            if (s == null) {
                return 0;
            }
            int n = 0;
            while (s != null) {
                Slot<T> next = s.next;
                s.next = null;
                putBack(s); // a rejected object was already dropped by its releaser
                n++;
                s = next;
            }
            PENDING.getAndAdd(this, -n);
            return n;
        }

        @Override
        public void release(Slot<T> slot) {
            int s = slot.state;
            if ((s & 1) != 0 && plainRelease && top == slot && owner == Thread.currentThread()) {
                // The owner's close of its held top: freed in place. No other thread takes from this
                // free set, and a foreign close of the same handle now would be a double close (see
                // the class comment).
                slot.state = s + 1;
                topFree = true;
                return;
            }
            releaseSlow(slot, s);
        }

        /** A double close, a close on another thread, with a reset function or validator, or not STACK. */
        private void releaseSlow(Slot<T> slot, int s) {
            if ((s & 1) == 0) {
                throw new IllegalStateException(Messages.doubleRelease(slot));
            }
            if (!checked && owner == Thread.currentThread()) { // as above, then the reset outside the fast path
                slot.state = s + 1;
                try {
                    ownerReset(slot);
                } finally {
                    recorder.onRelease();
                }
                return;
            }
            if (!Slot.STATE.compareAndSet(slot, s, s + 1)) {
                throw new IllegalStateException(Messages.doubleRelease(slot));
            }
            released(slot);
        }

        @Override
        public void release(Lease<T> lease) {
            Slot<T> slot = lease.slot;
            if (lease.isClosed() || !Slot.STATE.compareAndSet(slot, lease.state, lease.state + 1)) {
                throw new IllegalStateException(Messages.doubleRelease(lease, (int) Slot.STATE.getVolatile(slot)));
            }
            LeakTracker.closed(lease);
            released(slot);
        }

        /** On the cleaner thread: a lease leaked; if its slot is still on it, discard the object and return the slot. */
        void recoverLeaked(LeakTracker.Leaked<T> leaked) {
            Slot<T> slot = leaked.slot;
            if (Slot.STATE.compareAndSet(slot, leaked.state, leaked.state + 1)) {
                slot.object = null; // made anew by the owner's next take
                recorder.onDiscard();
                recordAndPush(slot);
            }
        }

        /** Owner only, the slot marked free: reset and validate, then back (a throwing reset discards the object). */
        private void ownerReset(Slot<T> slot) {
            boolean keep = false;
            try {
                keep = store.resetAndValidate(slot);
            } finally {
                if (!keep) {
                    slot.object = null;
                    recorder.onDiscard();
                }
                putBack(slot);
            }
        }

        /** After this thread won the close (CAS): back into the free set (owner) or onto the stack (others). */
        private void released(Slot<T> slot) {
            if (owner == Thread.currentThread()) { // the owner is alive, so no one adopts the part now
                try {
                    ownerReset(slot);
                } finally {
                    recorder.onRelease();
                }
            } else {
                boolean keep = false;
                try {
                    keep = store.resetAndValidate(slot); // reads only immutable fields of the store
                } finally {
                    if (!keep) {
                        slot.object = null; // made anew by the owner's next take
                        recorder.onDiscard();
                    }
                    recordAndPush(slot);
                }
            }
        }

        /**
         * Tells the recorder of a release by a thread other than the owner, then pushes the slot:
         * counted before the push, since once pushed the owner may take the slot and count its
         * allocation, and the counts would show one more out than there is.
         */
        private void recordAndPush(Slot<T> slot) {
            try {
                recorder.onRelease();
            } finally {
                push(slot);
            }
        }

        /** Any thread: Treiber push; the CAS publishes slot.next, the object and the reset's writes. */
        private void push(Slot<T> slot) {
            Slot<?> head;
            do {
                head = (Slot<?>) RETURNS.getVolatile(this);
                @SuppressWarnings("unchecked")
                Slot<T> h = (Slot<T>) head;
                slot.next = h;
            } while (!RETURNS.compareAndSet(this, head, slot));
            PENDING.getAndAdd(this, 1);
        }

        @Override
        public String poolName() {
            return pool.name;
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String toString() {
            return KIND + "[" + pool.name + "] part " + number + " of thread '" + owner.getName() + "'";
        }
    }
}
