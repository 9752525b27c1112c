package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.WaitStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *   owner thread ──allocate/close──▶ Part.store (plain accesses, no lock)
 *   other thread ──close──▶ CAS Slot.state odd→even, reset, CAS push on Part.returns (Treiber stack
 *                           linked through Slot.next)
 *   owner thread, its store empty ──▶ getAndSet(returns, null): takes the whole list back
 * </pre>
 *
 * <p>Every close, the owner's too, claims the slot with a CAS on {@link Slot#STATE} from odd to
 * even, so of two closes of one handle racing on two threads exactly one wins and the slot is never
 * put back twice. The stack is only pushed and taken whole, so it has no ABA problem.
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
 * adopter sees the dead owner's plain writes to its part.
 *
 * <p><b>Progress</b>: the owner's allocate and close are wait-free (one CAS that only a racing
 * double close can make fail); a close on another thread is lock-free (a CAS loop on the part's
 * stack head, contended only by other releasers of the same part). The first allocation of a
 * thread takes the registry lock (blocking) once.
 *
 * @param <T> the type of pooled object
 */
public final class PerThreadPool<T> implements Pool<T> {
    private static final String KIND = "ThreadLocalPool";
    @SuppressWarnings("rawtypes")
    private static final Part[] NO_PARTS = new Part[0];

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
    /** Each thread's part; each thread reads and writes only its own entry. */
    private final ThreadLocal<Part<T>> local = new ThreadLocal<>();
    /** Guards writes of {@link #parts} and adoptions (which write {@link Part#owner}). */
    private final ReentrantLock registryLock = new ReentrantLock();
    /** Every part ever made; copy on write under {@link #registryLock}, read by anyone (volatile). */
    private volatile Part<T>[] parts;
    /** Written once by {@link #close()} (volatile); read on every allocation (volatile). */
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
        this.leaks = checked
                ? new LeakTracker<T>(config.leakListener(), l -> ((Part<T>) l.slot.home).recoverLeaked(l))
                : null;
        recorder.onCreate(name, KIND, 0);
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
        return local.get() == null
                ? threadCapMessage()
                : KIND + " '" + name + "': exhausted: all " + partCapacity + " objects of thread '"
                        + Thread.currentThread().getName() + "' are in use";
    }

    private String threadCapMessage() {
        return KIND + " '" + name + "': thread cap reached: maxThreads " + maxThreads
                + " threads own parts and none of them has died, so thread '" + Thread.currentThread().getName()
                + "' gets no objects";
    }

    @Override
    public Handle<T> tryAllocate() {
        if (closed) {
            throw new IllegalStateException(KIND + " '" + name + "': the pool is closed");
        }
        Part<T> part = local.get();
        if (part == null && (part = attach()) == null) {
            recorder.onExhausted();
            return null;
        }
        Slot<T> slot = part.store.take();
        if (slot == null && (part.drain() == 0 || (slot = part.store.take()) == null)) {
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
        Handle<T> handle = tryAllocate();
        if (handle != null) {
            return handle;
        }
        long start = System.nanoTime();
        long nanos = unit.toNanos(timeout);
        try {
            for (int attempt = 0; ; attempt++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException(KIND + " '" + name + "': interrupted while waiting for an object");
                }
                if (System.nanoTime() - start >= nanos) {
                    throw new PoolExhaustedException(exhaustedMessage() + "; none was released within "
                            + timeout + ' ' + unit);
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
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        if (closed) {
            throw new IllegalStateException(KIND + " '" + name + "': the pool is closed");
        }
        List<Handle<T>> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        Part<T> part = local.get();
        if (part == null && (part = attach()) == null) {
            recorder.onExhausted();
            throw new PoolExhaustedException(threadCapMessage());
        }
        SlotStore<T> store = part.store;
        if (store.available() < count) {
            part.drain();
        }
        if (store.available() < count) {
            recorder.onExhausted();
            throw new PoolExhaustedException(Messages.prefix(part) + "cannot take " + count + " objects at once: "
                    + store.available() + " free of " + partCapacity + " for thread '"
                    + Thread.currentThread().getName() + "'");
        }
        @SuppressWarnings("unchecked")
        Slot<T>[] taken = (Slot<T>[]) new Slot<?>[count];
        int n = 0;
        try {
            for (; n < count; n++) {
                taken[n] = store.take(); // non-null: enough were free, only this thread takes
            }
        } finally {
            if (n < count) { // the factory threw: all or nothing
                for (int i = n - 1; i >= 0; i--) {
                    store.untake(taken[i]);
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
        while (n < count) {
            Handle<T> h = tryAllocate();
            if (h == null) {
                break;
            }
            out[offset + n++] = h;
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
                    p.owner = current;
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
        } finally {
            registryLock.unlock();
        }
        local.set(part);
        return part;
    }

    /**
     * Takes back the objects other threads released into the calling thread's part; the pool does
     * this itself when the thread's free set runs empty.
     *
     * @return how many objects came back
     */
    public int drainReturns() {
        Part<T> part = local.get();
        return part == null ? 0 : part.drain();
    }

    /** @return how many threads own (or owned, until adopted) a part */
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
            sum += p.store.available() + (int) Part.PENDING.getVolatile(p); // plain read of the owner's count
        }
        return sum;
    }

    @Override
    public int inUse() {
        int sum = 0;
        for (Part<T> p : parts) {
            sum += p.store.inUse() - (int) Part.PENDING.getVolatile(p); // plain read of the owner's count
        }
        return sum;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return the pool's name */
    public String poolName() {
        return name;
    }

    @Override
    public String toString() {
        return KIND + "{name=" + name + ", threads=" + parts.length + ", capacityPerThread=" + partCapacity
                + ", available~" + available() + ", inUse~" + inUse() + (closed ? ", closed" : "") + '}';
    }

    /**
     * One thread's share of the pool: a {@link SlotStore} confined to {@link #owner}, and the stack
     * through which other threads give its objects back.
     *
     * @param <T> the type of pooled object
     */
    static final class Part<T> implements SlotHome<T> {
        static final VarHandle RETURNS;
        static final VarHandle PENDING;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                RETURNS = lookup.findVarHandle(Part.class, "returns", Slot.class);
                PENDING = lookup.findVarHandle(Part.class, "pending", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Immutable. */
        final PerThreadPool<T> pool;
        /** Immutable; for messages. */
        final int number;
        /** Read and written only by {@link #owner} (plain); other threads read its counts racily. */
        final SlotStore<T> store;
        /**
         * The thread the store is confined to. Written under the registry lock when made or adopted
         * (volatile store); read by every close to choose the path (volatile load).
         */
        volatile Thread owner;
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

        Part(PerThreadPool<T> pool, PoolConfig<T> config, int capacity, Thread owner, int number) {
            this.pool = pool;
            this.number = number;
            this.owner = owner;
            this.store = new SlotStore<>(config, this, capacity, capacity);
        }

        /** Owner only: moves the whole return stack into the store. @return how many came back */
        int drain() {
            @SuppressWarnings("unchecked")
            Slot<T> s = (Slot<T>) RETURNS.getAndSet(this, null);
            if (s == null) {
                return 0;
            }
            int n = 0;
            SlotStore<T> st = store;
            while (s != null) {
                Slot<T> next = s.next;
                s.next = null;
                st.countFreed(s);
                st.recycle(s, false); // a rejected object was already dropped by its releaser
                n++;
                s = next;
            }
            PENDING.getAndAdd(this, -n);
            return n;
        }

        @Override
        public void release(Slot<T> slot) {
            int s = slot.state;
            if ((s & 1) == 0 || !Slot.STATE.compareAndSet(slot, s, s + 1)) {
                throw new IllegalStateException(Messages.doubleRelease(slot));
            }
            released(slot);
        }

        @Override
        public void release(Lease<T> lease) {
            Slot<T> slot = lease.slot;
            if (!Slot.STATE.compareAndSet(slot, lease.state, lease.state + 1)) {
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
                pool.recorder.onDiscard();
                push(slot);
                pool.recorder.onRelease();
            }
        }

        /** After this thread won the close: back into the store (owner) or onto the stack (others). */
        private void released(Slot<T> slot) {
            PoolRecorder recorder = pool.recorder;
            if (owner == Thread.currentThread()) { // the owner is alive, so no one adopts the part now
                SlotStore<T> st = store;
                st.countFreed(slot);
                boolean keep = false;
                try {
                    keep = st.resetAndValidate(slot);
                } finally {
                    st.recycle(slot, !keep); // a throwing reset discards the object, the slot goes back
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
                    push(slot);
                    recorder.onRelease();
                }
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
