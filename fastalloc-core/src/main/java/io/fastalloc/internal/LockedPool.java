package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The engine of {@code ThreadSafePool}: a {@link SlotStore} (which it extends) guarded by one
 * {@link PoolLock} (a lean, non-reentrant {@code ReentrantLock}: see there why).
 *
 * <p>The lock covers only the bookkeeping (taking a slot from the free set, marking it, putting it
 * back). User code runs outside it: the factory of a lazily made object after the slot was taken,
 * the reset function and validator after the slot was marked free and before it is put back. A
 * factory that throws gives its slot back (re-locked {@link SlotStore#untake}); a reset function or
 * validator that throws still puts the slot back, with its object discarded. Growth (and, with
 * {@code EAGER} initialisation, making the new segment's objects) happens under the lock: it is
 * rare, and doing it outside would let two threads grow at once. The batch allocations, which do
 * the same for many slots at once, are in {@link LockedBatches}.
 *
 * <p><b>Recording</b>: every call of the config's {@link PoolRecorder} is made while holding the lock
 * (an allocation whose object is made lazily, outside the lock, is recorded when the factory has
 * succeeded, under the lock again), so the recorder is called by one thread at a time, with a
 * happens-before edge from each call to the next: a single-writer recorder suffices. A callback may
 * call the read methods ({@link #capacity()}, {@link #available()}, {@link #inUse()},
 * {@link #toString()}): they see that the calling thread holds the lock and read without taking it
 * again. A callback that allocates, closes a handle, trims or closes the pool gets an
 * {@link IllegalStateException} at once instead of deadlocking on the lock it already holds.
 *
 * <p><b>Waking</b>: a give-back of k slots signals up to k timed waiters (each signal wakes one),
 * so no waiter sleeps while an object it could take is free.
 *
 * <p><b>Locking</b>: a non-fair lock is taken with a {@link PoolLock#tryLock()}, then up to
 * {@value #SPIN_ROUNDS} more (each after a look at {@link PoolLock#isLocked()}), with doubling
 * runs of {@link Thread#onSpinWait()} between them, before {@link PoolLock#lock()}: the lock is held
 * for a few nanoseconds, so a contender nearly always gets it by spinning, without queueing, which
 * in {@code AbstractQueuedSynchronizer} allocates a node. A fair lock is always taken with
 * {@code lock()}: {@code tryLock()} would barge past the threads queued before it.
 *
 * <p><b>Thread safety</b>: every method may be called from any thread. {@link Slot#state} is read
 * and written only under the lock (plain accesses), so of two racing closes of one handle exactly
 * one sees it held and wins; the other gets {@link IllegalStateException}.
 *
 * <p><b>Memory effects</b>: closing a handle happens-before the allocation that next hands out the
 * same object (the releasing thread unlocks after putting the slot back, the allocating thread locks
 * before taking it). What a factory wrote is published to later holders the same way.
 *
 * <p><b>Progress</b>: blocking. Threads queue on the lock (fair or not, as configured); the timed
 * {@code allocate} also parks on a {@link Condition} until a release, its deadline or an interrupt.
 *
 * @param <T> the type of pooled object
 */
public final class LockedPool<T> extends SlotStore<T> implements ThreadSafePool<T> {
    /** What {@link #readLocked} reads: {@link SlotStore#capacity()}. */
    private static final int CAPACITY = 0;
    /** What {@link #readLocked} reads: {@link SlotStore#available()}. */
    private static final int AVAILABLE = 1;
    /** What {@link #readLocked} reads: {@link SlotStore#inUse()}. */
    private static final int IN_USE = 2;

    private static final String KIND = "ThreadSafePool";
    /**
     * Polls of the lock, with doubling pauses between them (1, 2, 4, ...), before queueing on it
     * (non-fair locks only).
     */
    static final int SPIN_ROUNDS = 10;

    /** Immutable after construction. */
    private final String name;
    /** Immutable after construction. */
    final boolean checked;
    /** Whether a release must run user code (reset or validator) outside the lock; immutable. */
    private final boolean runsOnRelease;
    /** Immutable; called from every thread, always under {@link #lock}. */
    final PoolRecorder recorder;
    /**
     * Whether the recorder reads this pool's own counts ({@link PoolRecorder#attachCounts}): then
     * allocations are counted in the store, under the lock, on the cache line the lock's holder
     * writes anyway, and releases and the peak are derived from the free set.
     */
    private final boolean countsAttached;
    /**
     * Guards the slot store (the state this class inherits from {@link SlotStore}: extending it
     * rather than holding one saves a dependent load inside every critical section),
     * {@link #waiters}, {@link #closed} writes, every slot's state and the recorder.
     */
    final PoolLock lock;
    /** Immutable: whether {@link #acquire()} may spin on {@code tryLock()} (non-fair lock). */
    private final boolean spin;
    /** Signalled (under the lock) when a slot goes back while a timed allocate waits. */
    private final Condition notEmpty;
    /** Threads waiting in a timed allocate; read and written only under {@link #lock}. */
    private int waiters;
    /** Written under the lock (volatile store); read without it by the fast checks (volatile load). */
    volatile boolean closed;
    /** Checked mode's leak watch; {@code null} in unchecked mode. */
    final LeakTracker<T> leaks;

    /**
     * @param config the config; {@code maxCapacity} bounds growth
     * @param fair   whether the lock hands itself to the longest-waiting thread
     */
    public LockedPool(PoolConfig<T> config, boolean fair) {
        super(config, PoolNames.nameOf(config, KIND), KIND, config.capacity(), config.maxCapacity());
        this.name = poolName();
        this.checked = config.checked();
        this.runsOnRelease = hooks.runsOnRelease();
        this.recorder = config.recorder();
        this.lock = new PoolLock(fair);
        this.spin = !fair;
        this.notEmpty = lock.newCondition();
        this.leaks = checked ? new LeakTracker<>(config.leakListener(), this::recoverLeaked) : null;
        recorder.onCreate(name, KIND, super.capacity());
        this.countsAttached = recorder != PoolRecorder.noop() && recorder.attachCounts(counts());
    }

    /** Under the lock: one allocation, counted in the store or told to the recorder. */
    void recordAllocate() {
        if (countsAttached) {
            countTakes(1);
        } else {
            recorder.onAllocate();
        }
    }

    /** Under the lock: one release, told to a recorder that does not read the pool's counts. */
    private void recordRelease() {
        if (!countsAttached) {
            recorder.onRelease();
        }
    }

    /**
     * Takes the lock: a non-fair lock by spinning on {@code tryLock()} a bounded number of times
     * first (see the class comment), a fair one by queueing at once.
     */
    void acquire() {
        PoolLock l = lock;
        if (spin) {
            if (l.tryLock()) {
                return;
            }
            // exponential backoff: a waiter that polls the lock's word often takes its cache line
            // away from the holder on every poll and slows it down
            for (int round = 0, pauses = 1; round < SPIN_ROUNDS; round++, pauses <<= 1) {
                for (int i = 0; i < pauses; i++) {
                    Thread.onSpinWait();
                }
                if (!l.isLocked() && l.tryLock()) {
                    return;
                }
            }
        }
        checkNotReentered();
        l.lock();
    }

    /**
     * Throws when the calling thread already holds the lock: a recorder callback that allocates or
     * closes. The lock is not reentrant, so taking it again would hang this thread for good.
     */
    private void checkNotReentered() {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(Messages.prefix(this) + "re-entered from a recorder callback: a "
                    + "callback may read capacity(), available(), inUse() and toString(), but not allocate, "
                    + "close a handle, trim or close the pool");
        }
    }

    /**
     * Takes the lock for a read unless the calling thread holds it already (a recorder callback).
     *
     * @return whether this call took the lock, and so must release it
     */
    private boolean lockForRead() {
        if (lock.isHeldByCurrentThread()) {
            return false;
        }
        lock.lock();
        return true;
    }

    /** @return whether the lock is fair */
    public boolean isFair() {
        return lock.isFair();
    }

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
    }

    /** @return the message of the {@code PoolExhaustedException} that {@link #allocate()} throws */
    public String exhaustedMessage() {
        boolean locked = lockForRead();
        try {
            return Messages.exhausted(this, super.capacity()) + " (max " + maxCapacity() + ')';
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    @Override
    public Handle<T> tryAllocate() {
        Slot<T> slot;
        boolean lazy = false;
        acquire();
        try {
            if (closed) {
                throw new IllegalStateException(Messages.closed(this));
            }
            slot = checked ? takeSlot() : takeSlotUnchecked();
            if (slot == null) {
                recorder.onExhausted();
                return null;
            }
            lazy = recordUnlessLazy(slot);
        } finally {
            lock.unlock();
        }
        return handOut(slot, lazy);
    }

    /**
     * Under the lock: records the allocation of a slot just taken, unless its object is still to be
     * made (then {@link #handOut} records it once the object exists).
     *
     * @return {@code true} when the slot has no object yet
     */
    private boolean recordUnlessLazy(Slot<T> slot) {
        if (slot.lpObject() == null) {
            return true;
        }
        recordAllocate();
        return false;
    }

    /**
     * Takes the lock for an allocation that does not wait; when the pool is closed, releases it
     * and throws.
     *
     * @throws IllegalStateException when the pool is closed
     */
    void acquireOpen() {
        acquire();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException(Messages.closed(this));
        }
    }

    /**
     * Makes a lazy object outside the lock (giving the slot back if the factory throws), records
     * that allocation under the lock, and wraps.
     */
    private Handle<T> handOut(Slot<T> slot, boolean lazy) {
        if (lazy) {
            fillOrUntake(slot);
            recordAllocations(1);
        }
        return checked ? leaks.track(slot, slot.lpState()) : slot;
    }

    /** Records {@code n} allocations whose objects were made outside the lock. */
    void recordAllocations(int n) {
        acquire();
        try {
            for (int i = 0; i < n; i++) {
                recordAllocate();
            }
        } finally {
            lock.unlock();
        }
    }

    private void fillOrUntake(Slot<T> slot) {
        try {
            fill(slot);
        } catch (RuntimeException | Error e) {
            acquire();
            try {
                untake(slot);
                signalIfWaiting(1);
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        Slot<T> slot;
        long start = 0L;
        boolean lazy = false;
        checkNotReentered();
        lock.lockInterruptibly();
        try {
            if (closed) {
                throw new IllegalStateException(Messages.closed(this));
            }
            slot = takeSlot();
            if (slot == null) {
                recorder.onExhausted();
                start = System.nanoTime();
                waiters++;
                recorder.onWaitStart(); // ended by the onWait in the finally below, on every path
                try {
                    while (slot == null && nanos > 0L) {
                        nanos = notEmpty.awaitNanos(nanos); // throws InterruptedException: nothing taken
                        if (closed) {
                            throw new IllegalStateException(Messages.closed(this) + " (while waiting)");
                        }
                        slot = takeSlot();
                    }
                } finally {
                    waiters--;
                    recorder.onWait(System.nanoTime() - start);
                }
            }
            lazy = slot != null && recordUnlessLazy(slot);
        } finally {
            lock.unlock();
        }
        if (slot == null) {
            throw new PoolExhaustedException(Messages.noneReleasedWithin(exhaustedMessage(), timeout, unit));
        }
        return handOut(slot, lazy);
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        return LockedBatches.allocate(this, count);
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        return LockedBatches.allocate(this, out, offset, count);
    }

    @Override
    protected Slot<T> newSlot(int index, boolean padded) {
        return LockedSlot.create(this, index, padded);
    }

    @Override
    public void release(Slot<T> slot) {
        release(slot, null);
    }

    @Override
    public void release(Lease<T> lease) {
        release(lease.slot, lease);
    }

    /**
     * Frees a slot under the lock and puts it back: at once without user code to run, else after
     * the reset function and validator ran outside the lock.
     *
     * @param slot  the slot being closed
     * @param lease its checked lease, or {@code null} for an unchecked close
     */
    private void release(Slot<T> slot, Lease<T> lease) {
        acquire();
        try {
            if (lease == null ? (slot.lpState() & 1) == 0 : lease.isClosed() || slot.lpState() != lease.state) {
                throw new IllegalStateException(lease == null ? Messages.doubleRelease(slot)
                        : Messages.doubleRelease(lease, slot.lpState()));
            }
            if (lease != null) {
                LeakTracker.closed(lease);
            }
            markFree(slot);
            if (!runsOnRelease) {
                putBackLocked(slot);
            }
        } finally {
            lock.unlock();
        }
        if (runsOnRelease) {
            resetAndRecycle(slot);
        }
    }

    /** Under the lock: the slot, marked free, back into the free set; wakes a waiter, counts the release. */
    private void putBackLocked(Slot<T> slot) {
        recycle(slot);
        signalIfWaiting();
        recordRelease();
    }

    /** On the cleaner thread: a lease leaked; if its slot is still on that lease, discard and recycle it. */
    private void recoverLeaked(LeakTracker.Leaked<T> leaked) {
        Slot<T> slot = leaked.slot;
        acquire();
        try {
            if (slot.lpState() == leaked.state) {
                markFree(slot);
                hooks.discard(slot);
                putBackLocked(slot);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Outside the lock: runs reset and validator, then puts the slot back under the lock. */
    private void resetAndRecycle(Slot<T> slot) {
        try {
            hooks.recycleObject(slot);
        } finally { // a throwing reset discards the object, the slot still goes back
            acquire();
            try {
                putBackLocked(slot);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: one slot went back; wakes one timed allocate, touching the condition only when one waits. */
    private void signalIfWaiting() {
        if (waiters > 0) {
            notEmpty.signal();
        }
    }

    /**
     * Under the lock: {@code k} slots went back; wakes up to {@code k} timed allocates (a waiter
     * already signalled but not yet running may be counted in {@link #waiters}: a signal with nobody
     * left on the condition does nothing).
     */
    void signalIfWaiting(int k) {
        for (int i = Math.min(k, waiters); i > 0; i--) {
            notEmpty.signal();
        }
    }

    /**
     * Trims free slots above the initial capacity.
     *
     * @return how many objects were given back
     */
    public int trim() {
        checkNotReentered();
        lock.lock();
        try {
            return super.trim();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return readLocked(CAPACITY);
    }

    @Override
    public int available() {
        return readLocked(AVAILABLE);
    }

    @Override
    public int inUse() {
        return readLocked(IN_USE);
    }

    /**
     * Reads one of the store's counts under the lock, or without taking it again when this thread
     * holds it already (a recorder called under the lock reads the pool: see {@link #lockForRead}).
     */
    private int readLocked(int what) {
        boolean locked = lockForRead();
        try {
            switch (what) {
                case CAPACITY:
                    return super.capacity();
                case AVAILABLE:
                    return super.available();
                default:
                    return super.inUse();
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        checkNotReentered();
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll(); // timed allocates give up with IllegalStateException
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        boolean locked = lockForRead();
        try {
            return KIND + "{name=" + name + ", capacity=" + super.capacity() + ", available=" + super.available()
                    + ", inUse=" + super.inUse() + (closed ? ", closed" : "") + ", fair=" + lock.isFair() + '}';
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
