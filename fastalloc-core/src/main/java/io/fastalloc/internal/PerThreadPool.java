package io.fastalloc.internal;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.Handle;
import io.fastalloc.ThreadLocalPool;
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
 * <p><b>Free set and closing.</b> How a part keeps its free slots (with
 * {@link AllocationStrategy#STACK}, a list whose held top stays on it: the fast path below takes
 * that top in place) and how a close claims its slot, on the owner and on other threads, is told
 * at {@link Part}.
 *
 * <p><b>Fast path.</b> The table caches only parts of an unchecked, open pool, so a hit needs no
 * look at {@link #closed} or the mode: {@link #close()} empties the table under the registry lock
 * and the slow path checks {@link #closed}. The fast path reads its table entry with an acquire
 * load on every allocation: the JIT may not hoist it out of a compiled allocate/close loop, so a
 * thread in such a loop sees {@code close()} empty its entry, and an acquire load that sees the
 * emptied entry also sees {@link #closed} set. A checked pool always finds its part in the
 * {@link ThreadLocal}.
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
public final class PerThreadPool<T> implements ThreadLocalPool<T> {
    /** The kind's name, for messages; {@link Part} uses it too. */
    static final String KIND = "ThreadLocalPool";
    /** The largest part table: 256 references, 1 KiB with compressed oops. */
    static final int MAX_TABLE = 256;
    private static final int MIN_TABLE = 16;
    @SuppressWarnings("rawtypes")
    private static final Part[] NO_PARTS = new Part[0];
    /** The no-op recorder, compared by identity on the fast path (one load, no type check). */
    static final PoolRecorder NOOP = PoolRecorder.noop();
    /** Release stores into {@link #table}. */
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(Part[].class);

    /** Immutable after construction; read by {@link Part} for messages. */
    final String name;
    /** Immutable; each part's SlotStore is made from it. */
    private final PoolConfig<T> config;
    /** Immutable; copied by each {@link Part}. */
    final boolean checked;
    /** Checked mode's leak watch; {@code null} in unchecked mode. Leaked slots go back by the return stack. */
    private final LeakTracker<T> leaks;
    /** Immutable. */
    private final int partCapacity;
    /** Immutable. */
    private final int maxThreads;
    /** Immutable; called from every thread; copied by each {@link Part}. */
    final PoolRecorder recorder;
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
    public PerThreadPool(PoolConfig<T> config) {
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

    /** {@return a power of two, about twice {@code maxThreads}, from {@value #MIN_TABLE} to {@value #MAX_TABLE}} */
    static int tableLength(int maxThreads) {
        int wanted = maxThreads >= MAX_TABLE / 2 ? MAX_TABLE : 2 * maxThreads;
        return Math.max(MIN_TABLE, Integer.highestOneBit(wanted - 1) << 1);
    }

    // ---------------------------------------------------------------- allocation (owner thread)

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
    }

    /** @return the message of the {@code PoolExhaustedException} that {@link #allocate()} throws */
    public String exhaustedMessage() {
        return localPart() == null
                ? threadCapMessage()
                : Messages.prefix(KIND, name) + "exhausted: all " + partCapacity + " objects of thread '"
                        + Thread.currentThread().getName() + "' are in use";
    }

    private String threadCapMessage() {
        return Messages.prefix(KIND, name) + "thread cap reached: maxThreads " + maxThreads
                + " threads own parts and none of them has died, so thread '" + Thread.currentThread().getName()
                + "' gets no objects";
    }

    /** {@return the thread's index in {@code tab} (its id's low bits)} */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() reads the same field
    private static int slotOf(Thread thread, Object[] tab) {
        return (int) thread.getId() & (tab.length - 1);
    }

    /** {@return the calling thread's part, or {@code null} when it has none yet} */
    private Part<T> partOf(Thread current) {
        Part<T> p = table[slotOf(current, table)];
        if (p != null && p.owner == current) {
            return p;
        }
        return localPart();
    }

    /** {@return the calling thread's part from the thread-local, or {@code null}} */
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
        // Only unchecked parts of an open pool are cached.
        @SuppressWarnings("unchecked")
        Part<T> part = (Part<T>) TABLE.getAcquire(tab, slotOf(current, tab));
        if (part != null && part.owner == current) {
            if (part.topFree) { // the fast path: the top of this thread's cached part is free
                Slot<T> slot = part.top;
                part.topFree = false; // the slot stays on the list, as its held top
                slot.spState(slot.lpState() + 1);
                if (slot.lpObject() == null) {
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
        return new IllegalStateException(Messages.closed(Messages.prefix(KIND, name)));
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
        return checked ? leaks.track(slot, slot.lpState()) : slot;
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
                    throw new InterruptedException(Messages.interrupted(Messages.prefix(KIND, name), false));
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
        throw new PoolExhaustedException(Messages.noneReleasedWithin(exhaustedMessage(), timeout, unit));
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
            throw new PoolExhaustedException(Messages.batchShort(part, count, part.freeCount(partCapacity),
                    partCapacity) + " for thread '" + Thread.currentThread().getName() + "'");
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
            out.add(checked ? leaks.track(slot, slot.lpState()) : slot);
            recorder.onAllocate();
        }
        return out;
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        return Batches.fill(this, out, offset, count);
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

    /** {@return how many threads own (or owned, until adopted) a part} */
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

    /** {@return whether {@link #close()} was called} */
    boolean isClosed() {
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

    /** {@return the pool's name} */
    String poolName() {
        return name;
    }

    @Override
    public String toString() {
        return KIND + "{name=" + name + ", threads=" + parts.length + ", capacityPerThread=" + partCapacity
                + ", available~" + available() + ", inUse~" + inUse() + (closed ? ", closed" : "") + '}';
    }
}
