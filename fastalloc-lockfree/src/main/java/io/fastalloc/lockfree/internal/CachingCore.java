package io.fastalloc.lockfree.internal;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.PoolView;
import io.fastalloc.WaitStrategy;
import io.fastalloc.internal.Batches;
import io.fastalloc.internal.Exhaustion;
import io.fastalloc.internal.Lease;
import io.fastalloc.internal.LeakTracker;
import io.fastalloc.internal.Messages;
import io.fastalloc.internal.ObjectHooks;
import io.fastalloc.internal.PoolNames;
import io.fastalloc.internal.Slot;
import io.fastalloc.internal.SlotHome;
import io.fastalloc.lockfree.CachingPool;
import io.fastalloc.lockfree.internal.CachingSlot.PaddedCachingSlot;
import org.jctools.queues.MessagePassingQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.fastalloc.lockfree.internal.Magazine.ARRAY_PAD;
import static io.fastalloc.lockfree.internal.MagazineFlush.flushTo;
import static io.fastalloc.lockfree.internal.MagazineFlush.offer;
import static io.fastalloc.lockfree.internal.MagazineFlush.syncControl;

/**
 * The engine of {@link CachingPool}: magazines over a depot. See {@link CachingPool} for the design,
 * the exact contract of {@code tryAllocate} and the memory effects. It is what a
 * {@link CachingPool} is at run time; its package is not exported, so its {@link SlotHome} methods,
 * which take fastalloc-internal types, are not API.
 *
 * <p>Its parts, one a file: {@link Magazine} (a stripe, padded), {@link CachingSlot} (a slot with
 * its allocator's magazine as a hint), {@link SlotCounts} (the counts a recorder can read) and
 * {@link MagazineFlush} (a magazine back to the depot: the owner's side of the flush epochs).
 *
 * <p><b>Thread safety</b>: thread-safe; the per-field comments say who writes and reads what.
 *
 * <p><b>Memory effects</b> and <b>Progress</b>: as {@link CachingPool} states.
 *
 * @param <T> the type of pooled object
 */
public final class CachingCore<T> extends SlotHome<T> implements CachingPool<T> {
    static final String KIND = "CachingPool";
    /** How many stripes from {@code id mod S} a thread looks at for its own or a free one. */
    static final int PROBES = 4;
    /** The largest magazine. */
    static final int MAX_MAGAZINE = 32;
    /** Bit 0 of {@link #control}: the pool is closed. */
    private static final int CLOSED = 1;
    /** What {@link #requestFlush} adds to {@link #control}: the flush epoch lives in bits 1 and up. */
    static final int EPOCH = 2;
    private static final VarHandle CONTROL;

    static {
        try {
            CONTROL = MethodHandles.lookup().findVarHandle(CachingCore.class, "control", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final boolean checked;
    /** Checked mode's leak watch ({@code null} unchecked): a leaked slot goes straight to the depot. */
    private final LeakTracker<T> leaks;
    private final PoolRecorder recorder;
    private final WaitStrategy waitStrategy;
    /** The user's factory, reset function and validator, and the release sequence that runs them. */
    private final ObjectHooks<T> hooks;
    private final Slot<T>[] slots;
    /** The free slots not in a magazine. Any thread offers and polls. */
    private final MessagePassingQueue<Slot<T>> depot;
    /** The stripes; {@code null} when {@link #magazineSize} is 0 (depot only). Fixed. */
    private final Magazine<T>[] stripes;
    private final int mask;
    /** M: entries per magazine; 0 for none. */
    private final int magazineSize;
    /** How many slots a refill takes from the depot and a spill gives back: {@code max(1, M / 2)}. */
    private final int batch;
    /**
     * Whether allocate and close may skip every optional step: unchecked, no reset, no validator,
     * eager objects (so a slot's object is never {@code null}), and a recorder with nothing to
     * hear per operation: the no-op recorder, or one that reads the pool's own counts
     * ({@link #countsAttached}). One branch on the hot path instead of five. Statistics on or off, an open
     * pool runs the same code.
     */
    private final boolean shortPath;
    /**
     * As {@link #shortPath} but with a recorder (statistics on): the same fast path plus the
     * recorder's {@code onAllocate} and {@code onRelease}, so statistics cost only the recorder's
     * own work. Tested after {@link #shortPath}, so the no-op recorder's path is unchanged.
     */
    private final boolean shortPathRecorded;
    /**
     * Whether the recorder took the pool's own counts ({@link PoolRecorder#attachCounts}): then it
     * hears of no allocation or release, which {@link SlotCounts} reads from the slots' generation
     * counters (every allocation and every release already adds one to a slot's state). So
     * statistics add nothing to allocate and close.
     */
    private final boolean countsAttached;
    /**
     * Bit 0 = closed, bits 1.. = flush epoch. Written by {@link #close()} (getAndBitwiseOr) and by an
     * allocation that finds the pool exhausted (CAS); read (volatile, a plain load on x86) by every
     * operation and compared with the owner's {@code fastKey}. Rarely written, so its cache
     * line stays shared in every core.
     */
    @SuppressWarnings("unused") // accessed through CONTROL and as a volatile field
    private volatile int control;

    /** @return {@code nextPow2(2 x availableProcessors)}, at least 2 */
    static int defaultStripes() {
        int n = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        return Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * @param capacity the pool's capacity
     * @param stripes  S
     * @return {@code min(32, capacity / (2 x S))}
     */
    static int defaultMagazineSize(int capacity, int stripes) {
        return Math.min(MAX_MAGAZINE, capacity / (2 * stripes));
    }

    private static <T> PoolConfig<T> checkSizes(PoolConfig<T> config, int stripes, int magazineSize) {
        if (stripes <= 0 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two > 0)");
        }
        if (magazineSize < 0) {
            throw new IllegalArgumentException("magazineSize: " + magazineSize + " (expected: >= 0)");
        }
        return config;
    }

    /**
     * A pool with {@link #defaultStripes()} stripes and magazines of
     * {@link #defaultMagazineSize(int, int)} entries.
     *
     * @param config the config
     */
    public CachingCore(PoolConfig<T> config) {
        this(config, defaultStripes(), defaultMagazineSize(Objects.requireNonNull(config, "config").capacity(),
                defaultStripes()));
    }

    /**
     * @param config       the config
     * @param stripes      S, a power of two
     * @param magazineSize M, {@code >= 0}; 0 for a depot-only pool
     * @throws IllegalArgumentException naming {@code stripes} or {@code magazineSize} when out of range
     */
    @SuppressWarnings("unchecked")
    public CachingCore(PoolConfig<T> config, int stripes, int magazineSize) {
        super(KIND, PoolNames.nameOf(checkSizes(config, stripes, magazineSize), KIND));
        this.capacity = config.capacity();
        this.checked = config.checked();
        this.leaks = checked ? new LeakTracker<>(config.leakListener(), this::recoverLeaked) : null;
        this.recorder = config.recorder();
        this.waitStrategy = config.waitStrategy();
        this.hooks = new ObjectHooks<>(config);
        this.magazineSize = magazineSize;
        this.batch = Math.max(1, magazineSize / 2);
        boolean plain = !checked && !hooks.runsOnRelease()
                && config.initialization() == InitializationStrategy.EAGER;
        this.depot = Queues.mpmc(Math.max(2, capacity));
        this.slots = (Slot<T>[]) new Slot<?>[capacity];
        boolean eager = config.initialization() == InitializationStrategy.EAGER;
        for (int i = 0; i < capacity; i++) {
            Slot<T> slot = Slot.create(this, i, config.alignment());
            if (eager) {
                try {
                    slot.spObject(hooks.make());
                } catch (RuntimeException | Error e) {
                    throw new IllegalStateException(Messages.factoryFailed(this, i, capacity), e);
                }
            }
            slots[i] = slot;
            depot.offer(slot);
        }
        if (magazineSize == 0) {
            this.stripes = null;
            this.mask = 0;
        } else {
            this.stripes = (Magazine<T>[]) new Magazine<?>[stripes];
            for (int i = 0; i < stripes; i++) {
                this.stripes[i] = new Magazine<>(magazineSize, depot);
            }
            this.mask = stripes - 1;
        }
        recorder.onCreate(poolName(), KIND, capacity);
        // checked mode records every operation, as every kind does (its leak recovery runs on
        // the cleaner thread)
        this.countsAttached = !checked && recorder != PoolRecorder.noop()
                && recorder.attachCounts(new SlotCounts<>(slots));
        this.shortPath = plain && (recorder == PoolRecorder.noop() || countsAttached);
        this.shortPathRecorded = plain && !shortPath;
    }

    /** Tells the recorder of an allocation, unless it reads the pool's counts. */
    private void recordAllocation() {
        if (!countsAttached) {
            recorder.onAllocate();
        }
    }

    /**
     * Tells the recorder of a release, unless it reads the pool's counts. Called after the slot is
     * marked free and before it is put where another thread can take it: then no allocation of the
     * slot is counted before its release, and the counts never show more out than there is.
     */
    private void recordRelease() {
        if (!countsAttached) {
            recorder.onRelease();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Finding the caller's magazine

    /**
     * @param t the current thread
     * @return the magazine {@code t} owns, claiming one if it has none and one is free; {@code null}
     *         when the pool has no magazines or all candidate stripes belong to other live threads
     */
    private Magazine<T> magazineOf(Thread t) {
        Magazine<T>[] st = stripes;
        if (st == null) {
            return null;
        }
        // thread ids are sequential, so consecutive threads get consecutive stripes with no mixing
        // (a multiply would lengthen the chain of dependent loads every allocation waits for);
        // masking by length - 1 lets the JIT drop the range check
        int h = (int) t.getId() & (st.length - 1);
        Magazine<T> m = st[h];
        if (m.owner == t) {
            return m;
        }
        return findOrClaim(st, t, h);
    }

    private Magazine<T> findOrClaim(Magazine<T>[] st, Thread t, int h) {
        int probes = Math.min(PROBES, st.length);
        for (int i = 1; i < probes; i++) {
            Magazine<T> m = st[(h + i) & mask];
            if (m.owner == t) {
                return m;
            }
        }
        for (int i = 0; i < probes; i++) {
            Magazine<T> m = st[(h + i) & mask];
            Thread o = m.owner;
            // a dead owner's writes to its magazine happen-before isAlive() answering false
            if ((o == null || !o.isAlive()) && Magazine.OWNER.compareAndSet(m, o, t)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Returns the magazines of dead threads to the depot, so their objects are not stranded.
     *
     * @param t the current thread
     * @return whether any slot moved
     */
    private boolean reclaimDead(Thread t) {
        Magazine<T>[] st = stripes;
        if (st == null) {
            return false;
        }
        boolean moved = false;
        for (Magazine<T> m : st) {
            Thread o = m.owner;
            if (o != null && o != t && m.sizeOpaque() > 0 && !o.isAlive()
                    && Magazine.OWNER.compareAndSet(m, o, t)) {
                moved |= m.size > 0 || m.hot != null;
                flush(m);
                Magazine.OWNER.setRelease(m, (Thread) null); // publishes the empty magazine to the next claimer
            }
        }
        return moved;
    }

    // ------------------------------------------------------------------------------------------
    // Taking and putting back free slots

    /**
     * Takes a free slot, not yet marked held.
     *
     * @param m the caller's magazine or {@code null}
     * @param t the current thread
     * @return the slot, or {@code null} when none was found (see the class comment)
     * @throws IllegalStateException when the pool is closed
     */
    private Slot<T> take(Magazine<T> m, Thread t) {
        int c = control;
        if (m != null && m.fastKey == c) { // owner-only fields: plain accesses
            Slot<T> s = m.hot;
            if (s != null) {
                m.hot = null;
                return s;
            }
            int n = m.size;
            if (n > 0) {
                m.size = --n;
                return m.stack[ARRAY_PAD + n];
            }
        }
        return takeSlow(m, t, c);
    }

    private Slot<T> takeSlow(Magazine<T> m, Thread t, int c) {
        if ((c & CLOSED) != 0) {
            if (m != null) {
                flush(m);
            }
            throw new IllegalStateException(Messages.closed(this));
        }
        Slot<T> s;
        if (m != null && syncControl(m, c)) {
            Slot<T> hot = m.hot;
            if (hot != null) {
                m.hot = null;
                return hot;
            }
            if (m.size > 0) {
                return m.stack[ARRAY_PAD + --m.size];
            }
            depot.drain(m, batch);
            if (m.size > 0) {
                return m.stack[ARRAY_PAD + --m.size];
            }
        }
        s = depot.poll(); // null iff empty (drain may stop early on a racing producer; poll does not)
        if (s != null) {
            return s;
        }
        if (reclaimDead(t)) {
            s = depot.poll();
            if (s != null) {
                return s;
            }
        }
        requestFlush(c);
        return null;
    }

    /** Asks every owner to return its magazine to the depot on its next operation. */
    private void requestFlush(int seen) {
        if (stripes != null) {
            CONTROL.compareAndSet(this, seen, seen + EPOCH); // losing means someone else just did it
        }
    }

    /** Moves a magazine's slots to the depot; the caller owns {@code m}. */
    private void flush(Magazine<T> m) {
        flushTo(m);
    }

    private void offerToDepot(Slot<T> s) {
        offer(depot, s);
    }

    /**
     * Puts a free slot (state already even, object reset) where the caller keeps free slots.
     *
     * @param s the slot
     */
    private void putFree(Slot<T> s) {
        putFree(magazineOf(Thread.currentThread()), s);
    }

    /**
     * As {@link #putFree(Slot)}, with the caller's magazine already looked up.
     *
     * @param m the caller's magazine or {@code null}
     * @param s the slot
     */
    private void putFree(Magazine<T> m, Slot<T> s) {
        if (m == null) {
            offerToDepot(s);
            return;
        }
        int c = control & ~CLOSED; // fastKey never holds CLOSED, so the next take notices a close
        if (m.fastKey != c && !syncControl(m, c)) {
            offerToDepot(s);
            return;
        }
        Slot<T> hot = m.hot;
        m.hot = s; // the newest is the hottest: the previous one moves down to the stack
        if (hot == null) {
            return;
        }
        int n = m.size;
        if (n == magazineSize) {
            n = spill(m);
        }
        m.stack[ARRAY_PAD + n] = hot;
        m.size = n + 1;
    }

    /** Gives the bottom (coldest) half of a full magazine to the depot; returns the new size. */
    private int spill(Magazine<T> m) {
        Slot<T>[] stack = m.stack;
        int k = batch;
        for (int i = 0; i < k; i++) {
            offerToDepot(stack[ARRAY_PAD + i]);
        }
        int left = m.size - k;
        System.arraycopy(stack, ARRAY_PAD + k, stack, ARRAY_PAD, left);
        m.size = left;
        return left;
    }

    /**
     * Marks a taken slot held and makes its object if it has none.
     *
     * @return the handle
     */
    private Handle<T> handOut(Magazine<T> m, Slot<T> s) {
        if (s.lpObject() == null) {
            try {
                s.spObject(hooks.make());
            } catch (RuntimeException | Error e) {
                putFree(m, s);
                throw e;
            }
        }
        int st = s.lpState() + 1; // we hold the only reference to a free slot: a plain write
        s.spState(st);
        CachingSlot<T> cs = (CachingSlot<T>) s;
        cs.magazine = m;
        cs.allocator = Thread.currentThread();
        recordAllocation();
        return checked ? leaks.track(s, st) : s;
    }

    // ------------------------------------------------------------------------------------------
    // Pool

    /**
     * {@inheritDoc}
     *
     * <p>Throws when {@link #tryAllocate()} would return {@code null} (see the class comment).
     */
    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
    }

    /** @return the message of the {@code PoolExhaustedException} that {@link #allocate()} throws */
    public String exhaustedMessage() {
        return Messages.exhausted(this, capacity);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns {@code null} iff the caller's magazine and then the depot were empty: free objects
     * may then sit in other live threads' magazines (at most {@code (S - 1) x (M + 1)}); see the class
     * comment. Allocates nothing in unchecked mode.
     */
    @Override
    public Handle<T> tryAllocate() {
        Thread t = Thread.currentThread();
        return tryAllocate(magazineOf(t), t);
    }

    /**
     * {@link #tryAllocate()} with the magazine already found: a view passes the one it holds.
     *
     * @param m the calling thread's magazine, or {@code null} when it has none
     * @param t the calling thread
     * @return a handle, or {@code null} when no free object was found
     */
    Handle<T> tryAllocate(Magazine<T> m, Thread t) {
        Slot<T> s = take(m, t);
        if (s == null) {
            recorder.onExhausted();
            return null;
        }
        if (shortPath) {
            s.spState(s.lpState() + 1); // we hold the only reference to a free slot: a plain write
            CachingSlot<T> cs = (CachingSlot<T>) s;
            cs.magazine = m; // the close's look-up hint
            cs.allocator = t;
            return s;
        }
        if (shortPathRecorded) {
            s.spState(s.lpState() + 1); // as above
            CachingSlot<T> cs = (CachingSlot<T>) s;
            cs.magazine = m;
            cs.allocator = t;
            recorder.onAllocate();
            return s;
        }
        return handOut(m, s);
    }

    /**
     * A closing view's give-back: its thread's magazine goes to the depot, if the thread still owns
     * it (the thread keeps the stripe for its own use of the pool).
     *
     * @param m the view's magazine, or {@code null}
     * @param t the view's thread, the caller
     */
    void giveBackView(Magazine<T> m, Thread t) {
        if (m != null && m.owner == t) {
            flush(m);
        }
    }

    @Override
    public PoolView<T> view() {
        if ((control & CLOSED) != 0) {
            throw new IllegalStateException(Messages.closed(this));
        }
        Thread t = Thread.currentThread();
        return new CachingView<>(this, t, magazineOf(t));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Between attempts the thread calls the config's {@link WaitStrategy}; each failed attempt
     * raises a flush request, so objects cached in the magazines of threads that keep using the pool
     * come back to the depot. Allocates nothing while waiting (unchecked mode).
     */
    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        long waitNanos = unit.toNanos(timeout); // saturates: any long is valid, a null unit throws here
        Thread t = Thread.currentThread();
        if (Thread.interrupted()) {
            throw new InterruptedException(Messages.interrupted(Messages.prefix(this), true));
        }
        Magazine<T> m = magazineOf(t);
        Slot<T> s = take(m, t);
        if (s != null) {
            return handOut(m, s);
        }
        recorder.onExhausted();
        long start = System.nanoTime();
        int attempt = 0;
        recorder.onWaitStart(); // ended by the onWait in the finally below, on every path
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - start >= waitNanos) { // elapsed against the budget: no deadline sum to overflow
                    break; // timed out: the exception is made once the wait is recorded as ended
                }
                waitStrategy.idle(attempt);
                if (attempt < Integer.MAX_VALUE) {
                    attempt++;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException(Messages.interrupted(Messages.prefix(this), false));
                }
                m = magazineOf(t);
                s = take(m, t);
                if (s != null) {
                    break;
                }
            }
        } finally {
            recorder.onWait(System.nanoTime() - start);
        }
        if (s == null) {
            throw new PoolExhaustedException(Messages.noneReleasedWithin(Messages.exhausted(this, capacity),
                    timeout, unit));
        }
        return handOut(m, s);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tries the caller's magazine, then the depot, as {@link #tryAllocate()} does for each object.
     */
    @Override
    public List<Handle<T>> allocateBatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        Thread t = Thread.currentThread();
        Magazine<T> m = magazineOf(t);
        List<Handle<T>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Slot<T> s;
            try {
                s = take(m, t);
            } catch (IllegalStateException closed) {
                giveBack(out);
                throw closed;
            }
            if (s == null) {
                int got = out.size();
                giveBack(out);
                recorder.onExhausted();
                throw new PoolExhaustedException(Messages.batchShort(this, count, got, capacity));
            }
            out.add(s);
        }
        for (int i = 0; i < count; i++) { // make lazy objects before any slot is marked held
            @SuppressWarnings("unchecked") Slot<T> s = (Slot<T>) out.get(i);
            if (s.lpObject() == null) {
                try {
                    s.spObject(hooks.make());
                } catch (RuntimeException | Error e) {
                    giveBack(out);
                    throw e;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            @SuppressWarnings("unchecked") Slot<T> s = (Slot<T>) out.get(i);
            out.set(i, handOut(m, s));
        }
        return out;
    }

    /** Puts back slots taken (not marked held) for a batch that failed, newest first. */
    private void giveBack(List<Handle<T>> taken) {
        for (int i = taken.size() - 1; i >= 0; i--) {
            @SuppressWarnings("unchecked") Slot<T> s = (Slot<T>) taken.get(i);
            putFree(s);
        }
        taken.clear();
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        Thread t = Thread.currentThread();
        Magazine<T> m = magazineOf(t);
        int n = 0;
        try {
            while (n < count) {
                Slot<T> s = take(m, t);
                if (s == null) {
                    recorder.onExhausted();
                    break;
                }
                out[offset + n++] = handOut(m, s);
            }
        } catch (RuntimeException | Error e) { // a lazy factory failed (handOut gave its slot back): take nothing
            Batches.giveBack(out, offset, n, e);
            throw e;
        }
        return n;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The depot's size plus every magazine's size, each read once without locking: exact when no
     * thread is using the pool, an estimate otherwise. Objects being released (between the state
     * flip and the push) are not counted.
     */
    @Override
    public int available() {
        long n = depot.size();
        Magazine<T>[] st = stripes;
        if (st != null) {
            for (Magazine<T> m : st) {
                n += m.sizeOpaque();
            }
        }
        return (int) Math.max(0, Math.min(capacity, n));
    }

    /** {@inheritDoc} <p>{@code capacity() - available()}: an estimate while threads work. */
    @Override
    public int inUse() {
        return capacity - available();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Threads notice the close on their next allocation; an allocation that has already passed
     * its check when close runs may still complete. Objects cached in magazines go back to the
     * depot when their owner next touches the pool.
     */
    @Override
    public void close() {
        CONTROL.getAndBitwiseOr(this, CLOSED);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return (control & CLOSED) != 0;
    }

    // ------------------------------------------------------------------------------------------
    // Release

    @Override
    protected Slot<T> newSlot(int index, boolean padded) {
        return padded ? new PaddedCachingSlot<>(this, index) : new CachingSlot<>(this, index);
    }

    @Override
    public void release(Slot<T> slot) {
        if (shortPath) {
            releaseSimple(slot, false);
            return;
        }
        if (shortPathRecorded) {
            releaseSimple(slot, true);
            return;
        }
        int st = slot.lpState();
        // the CAS makes exactly one of two racing closes win
        if ((st & 1) == 0 || !slot.casState(st, st + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        recycle(slot);
    }

    /**
     * The unchecked close with nothing to run on the object. The allocating thread's own close takes
     * its magazine from the slot (every allocation leaves the allocating thread and its magazine
     * there, and a live thread never loses its stripe: only a dead owner's is adopted); any other
     * thread looks its magazine up as {@link #magazineOf} does. The
     * allocating thread's own close checks the state and stores the next one (no atomic, see the
     * class comment); any other thread's close claims the slot with a CAS. Every load the push
     * needs (the magazine, its hot slot, the control word) happens <em>before</em> that CAS: on x86
     * a CAS is a full fence, so loads placed after it would wait for it and then for each other;
     * placed before it they overlap with the allocation's work. The values read stay valid: only
     * this thread writes its magazine.
     *
     * @param recorded whether to tell the recorder (a constant at each call site)
     */
    private void releaseSimple(Slot<T> slot, boolean recorded) {
        Thread t = Thread.currentThread();
        CachingSlot<T> cs = (CachingSlot<T>) slot;
        boolean own = cs.allocator == t;
        // the allocating thread's magazine is still its own: a live owner never loses its stripe
        Magazine<T> m = own ? cs.magazine : magazineOf(t);
        int c = control & ~CLOSED;
        boolean toHot = m != null && m.fastKey == c && m.hot == null;
        int st = slot.lpState();
        if ((st & 1) == 0) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        if (own) {
            slot.srState(st + 1); // the allocating thread's own close: a store (see the class comment)
        } else if (!slot.casState(st, st + 1)) { // odd -> even: of two foreign closes exactly one wins
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        if (recorded) {
            recorder.onRelease(); // before the slot is free to take: see recordRelease
        }
        if (toHot) {
            m.hot = slot;
        } else {
            putFree(m, slot);
        }
    }

    @Override
    public void release(Lease<T> lease) {
        Slot<T> slot = lease.slot;
        if (lease.isClosed() || !slot.casState(lease.state, lease.state + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(lease, slot.laState()));
        }
        LeakTracker.closed(lease);
        recycle(slot);
    }

    /** On the cleaner thread: a lease leaked; if its slot is still on it, discard the object, free the slot. */
    private void recoverLeaked(LeakTracker.Leaked<T> leaked) {
        Slot<T> slot = leaked.slot;
        if (slot.casState(leaked.state, leaked.state + 1)) {
            hooks.discard(slot);
            recordRelease();
            offerToDepot(slot); // never a magazine: the cleaner thread must not claim one
        }
    }

    /**
     * Resets and validates a slot just marked free (a rejected or throwing object is discarded, to
     * be made anew on its next allocation), then puts it back: the slot always goes back.
     */
    private void recycle(Slot<T> slot) {
        Magazine<T> m = magazineOf(Thread.currentThread());
        try {
            hooks.recycleObject(slot);
        } finally {
            recordRelease();
            putFree(m, slot);
        }
    }

    @Override
    public String toString() {
        return KIND + "{name=" + poolName() + ", capacity=" + capacity + ", available=" + available()
                + ", stripes=" + (stripes == null ? 0 : stripes.length) + ", magazine=" + magazineSize
                + (isClosed() ? ", closed" : "") + '}';
    }

    // ------------------------------------------------------------------------------------------
    // For tests

    /** @return S, or 0 for a depot-only pool */
    public int stripeCount() {
        return stripes == null ? 0 : stripes.length;
    }

    /** @return M */
    public int magazineSize() {
        return magazineSize;
    }

    /** @return free slots in the depot now */
    int depotSize() {
        return depot.size();
    }

    /** @return the slot with this index, for white-box tests */
    public Slot<T> slot(int index) {
        return slots[index];
    }
}
