package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A small, correct lock-based pool into which exactly one of the defects found in review can be
 * planted: the control that shows each of {@link ContractCheckers}' checks can fail. Without a
 * planted bug ({@link Bug#NONE}) it passes every check.
 *
 * @param <T> the type of pooled object
 */
final class PlantedBugPool<T> implements Pool<T> {
    /** The defect planted, one at a time. */
    enum Bug {
        NONE,
        /** The allocation reads the closed flag with a plain load that the JIT may hoist out of a loop. */
        PLAIN_CLOSED_READ,
        /** A failed batch gives back all its slots but wakes one waiter. */
        ONE_SIGNAL_PER_GIVE_BACK,
        /** The array batch keeps what it took when the factory throws part-way. */
        BATCH_KEEPS_ON_THROW,
        /** Read methods take the (non-reentrant) lock that callbacks run under. */
        READS_TAKE_CALLBACK_LOCK,
        /** The timed allocate sums start and timeout into a deadline that overflows. */
        DEADLINE_OVERFLOW,
        /** A null unit is ignored while an object is free. */
        NULL_UNIT_IGNORED,
        /** A handle's generation is the slot's 32-bit state alone, which wraps. */
        WRAPPING_GENERATION,
        /** A thread's closes go to a stash of its own that nobody takes over when it dies. */
        DEAD_THREADS_KEEP_THEIR_SHARE
    }

    /** {@link Bug#DEAD_THREADS_KEEP_THEIR_SHARE}: each thread's stash of closed entries; under {@link #lock}. */
    private final java.util.Map<Thread, java.util.ArrayDeque<Entry>> stashes = new java.util.HashMap<>();

    private final Bug bug;
    private final Supplier<? extends T> factory;
    private final PoolRecorder recorder;
    private final Entry[] entries;
    /** Free entries, a stack; guarded by {@link #lock}. */
    private final Entry[] free;
    private int freeCount;
    /** {@link Bug#PLAIN_CLOSED_READ}'s free count: plain, one thread. */
    private int plainFree;
    private final Lock lock;
    private final Condition notEmpty;
    /** Volatile unless the planted bug makes the allocation read {@link #plainClosed}. */
    private volatile boolean closed;
    private boolean plainClosed;

    PlantedBugPool(PoolConfig<T> config, Bug bug) {
        this.bug = bug;
        this.factory = config.factory();
        this.recorder = config.recorder();
        this.entries = new Entry[config.capacity()];
        this.free = new Entry[config.capacity()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry(i);
            entries[i].handle = new PlainHandle(entries[i]);
            free[freeCount++] = entries[i];
        }
        this.plainFree = freeCount;
        this.lock = bug == Bug.READS_TAKE_CALLBACK_LOCK ? new NonReentrantLock() : new ReentrantLock();
        this.notEmpty = lock.newCondition();
    }

    /** The stale-lease hook for {@link Bug#WRAPPING_GENERATION} and the fixed form alike. */
    static void advanceGeneration(Handle<?> handle, long cycles) {
        PlantedBugPool<?>.Lease l = (PlantedBugPool<?>.Lease) handle;
        l.entry.state += 2 * cycles;
    }

    private boolean isClosed() {
        return bug == Bug.PLAIN_CLOSED_READ ? plainClosed : closed;
    }

    @Override
    public Handle<T> allocate() {
        Handle<T> h = tryAllocate();
        if (h == null) {
            throw new PoolExhaustedException("PlantedBugPool: exhausted");
        }
        return h;
    }

    @Override
    public Handle<T> tryAllocate() {
        if (bug == Bug.PLAIN_CLOSED_READ) { // a one-thread fast path of plain accesses, as an owner's part
            if (plainClosed) {
                throw new IllegalStateException("PlantedBugPool: closed");
            }
            if (plainFree > 0) {
                Entry e = free[--plainFree];
                e.state++;
                if (e.object == null) {
                    e.object = factory.get();
                }
                @SuppressWarnings("unchecked")
                Handle<T> h = (Handle<T>) e.handle;
                return h;
            }
            return null;
        }
        if (isClosed()) {
            throw new IllegalStateException("PlantedBugPool: closed");
        }
        Entry e;
        lock.lock();
        try {
            e = take();
        } finally {
            lock.unlock();
        }
        return e == null ? null : handOut(e);
    }

    /** Under the lock. */
    private Entry take() {
        if (bug == Bug.DEAD_THREADS_KEEP_THEIR_SHARE) {
            java.util.ArrayDeque<Entry> mine = stashes.get(Thread.currentThread());
            if (mine != null && !mine.isEmpty()) {
                Entry e = mine.pop();
                e.state++;
                recorder.onAllocate();
                return e;
            }
        }
        if (freeCount == 0) {
            recorder.onExhausted();
            return null;
        }
        Entry e = free[--freeCount];
        e.state++;
        recorder.onAllocate();
        return e;
    }

    private Handle<T> handOut(Entry e) {
        if (e.object == null) {
            try {
                e.object = factory.get();
            } catch (RuntimeException | Error x) {
                giveBack(new Entry[] {e}, 1);
                throw x;
            }
        }
        return new Lease(e, e.state);
    }

    private void giveBack(Entry[] es, int n) {
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                es[i].state++;
                if (bug == Bug.DEAD_THREADS_KEEP_THEIR_SHARE) {
                    stashes.computeIfAbsent(Thread.currentThread(), t -> new java.util.ArrayDeque<>()).push(es[i]);
                } else {
                    free[freeCount++] = es[i];
                }
                recorder.onRelease();
            }
            int signals = bug == Bug.ONE_SIGNAL_PER_GIVE_BACK ? 1 : n;
            for (int i = 0; i < signals; i++) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        if (bug != Bug.NULL_UNIT_IGNORED) {
            Objects.requireNonNull(unit, "unit");
        }
        Handle<T> h = tryAllocate();
        if (h != null) {
            return h;
        }
        long nanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        Entry e = null;
        lock.lockInterruptibly();
        try {
            while ((e = take()) == null) {
                long now = System.nanoTime();
                boolean due = bug == Bug.DEADLINE_OVERFLOW
                        ? now - (start + nanos) >= 0 // the overflowing form: start + MIN_VALUE wraps
                        : now - start >= nanos;
                if (due) {
                    break;
                }
                notEmpty.awaitNanos(bug == Bug.DEADLINE_OVERFLOW ? (start + nanos) - now : nanos - (now - start));
                if (closed) {
                    throw new IllegalStateException("PlantedBugPool: closed while waiting");
                }
            }
        } finally {
            recorder.onWait(System.nanoTime() - start);
            lock.unlock();
        }
        if (e == null) {
            throw new PoolExhaustedException("PlantedBugPool: none released within " + timeout + " " + unit);
        }
        return handOut(e);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Handle<T>> allocateBatch(int count) {
        Handle<T>[] out = (Handle<T>[]) new Handle<?>[count];
        int n = allocateBatch(out, 0, count);
        List<Handle<T>> list = new ArrayList<>(java.util.Arrays.asList(out).subList(0, n));
        if (n < count) {
            for (Handle<T> h : list) {
                h.close();
            }
            throw new PoolExhaustedException("PlantedBugPool: cannot take " + count);
        }
        return list;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        Entry[] taken = new Entry[count];
        int n = 0;
        lock.lock();
        try {
            while (n < count) {
                Entry e = take();
                if (e == null) {
                    break;
                }
                taken[n++] = e;
            }
        } finally {
            lock.unlock();
        }
        int made = 0;
        try {
            for (; made < n; made++) {
                if (taken[made].object == null) {
                    taken[made].object = factory.get();
                }
                out[offset + made] = new Lease(taken[made], taken[made].state);
            }
        } catch (RuntimeException | Error x) {
            if (bug == Bug.BATCH_KEEPS_ON_THROW) {
                giveBack(new Entry[] {taken[made]}, 1); // only the one that failed
                for (int i = made + 1; i < n; i++) {
                    out[offset + i] = new Lease(taken[i], taken[i].state); // kept: nobody holds them
                }
            } else {
                java.util.Arrays.fill(out, offset, offset + n, null);
                giveBack(taken, n);
            }
            throw x;
        }
        return n;
    }

    @Override
    public int capacity() {
        return entries.length;
    }

    @Override
    public int available() {
        if (bug == Bug.PLAIN_CLOSED_READ) {
            return plainFree;
        }
        if (bug == Bug.READS_TAKE_CALLBACK_LOCK) {
            lock.lock();
            try {
                return freeCount;
            } finally {
                lock.unlock();
            }
        }
        return freeCount;
    }

    @Override
    public int inUse() {
        return capacity() - available();
    }

    @Override
    public void close() {
        closed = true;
        plainClosed = true;
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PlantedBugPool{" + bug + ", available=" + available() + '}';
    }

    private static final class Entry {
        final int index;
        /** Odd while held; a 32-bit generation, compared alone under {@link Bug#WRAPPING_GENERATION}. */
        int state;
        Object object;
        /** {@link Bug#PLAIN_CLOSED_READ}'s reused handle: plain state check, plain push. */
        Handle<?> handle;

        Entry(int index) {
            this.index = index;
        }
    }

    /** {@link Bug#PLAIN_CLOSED_READ}'s handle of an entry, made once with it. */
    private final class PlainHandle implements Handle<T> {
        private final Entry entry;

        PlainHandle(Entry entry) {
            this.entry = entry;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            return (T) entry.object;
        }

        @Override
        public void close() {
            if ((entry.state & 1) == 0) {
                throw new IllegalStateException("PlantedBugPool: double release");
            }
            entry.state++;
            free[plainFree++] = entry;
        }
    }

    private final class Lease implements Handle<T> {
        final Entry entry;
        final int state;
        boolean closed;

        Lease(Entry entry, int state) {
            this.entry = entry;
            this.state = state;
        }

        private boolean stale() {
            return (bug != Bug.WRAPPING_GENERATION && closed) || entry.state != state;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            if (stale()) {
                throw new IllegalStateException("PlantedBugPool: get() on a released lease");
            }
            return (T) entry.object;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (stale()) {
                    throw new IllegalStateException("PlantedBugPool: double release");
                }
                closed = true;
            } finally {
                lock.unlock();
            }
            giveBack(new Entry[] {entry}, 1);
        }
    }

    /** A lock that hangs its holder when taken again, as ThreadSafePool's lock is non-reentrant. */
    private static final class NonReentrantLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        @Override
        public void lock() {
            if (isHeldByCurrentThread()) {
                while (true) { // what a non-reentrant lock does: wait for itself
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            super.lock();
        }
    }

    /**
     * {@link Bug#PLAIN_CLOSED_READ} on its own: a one-thread pool of plain accesses (as a per-thread
     * pool's owner path) whose allocation reads its closed flag with a plain load, which the JIT may
     * hoist out of a compiled loop.
     */
    static final class PlainClosedReadPool implements Pool<Object> {
        private final Object[] objects;
        private final Handle<Object>[] handles;
        private final int[] states;
        private final int[] free;
        private int freeCount;
        /** Plain: the planted bug. */
        private boolean closed;

        @SuppressWarnings("unchecked")
        PlainClosedReadPool(PoolConfig<Object> config) {
            int n = config.capacity();
            objects = new Object[n];
            handles = (Handle<Object>[]) new Handle<?>[n];
            states = new int[n];
            free = new int[n];
            for (int i = 0; i < n; i++) {
                objects[i] = config.factory().get();
                int index = i;
                handles[i] = new Handle<Object>() {
                    @Override
                    public Object get() {
                        return objects[index];
                    }

                    @Override
                    public void close() {
                        if ((states[index] & 1) == 0) {
                            throw new IllegalStateException("double release");
                        }
                        states[index]++;
                        free[freeCount++] = index;
                    }
                };
                free[freeCount++] = i;
            }
        }

        @Override
        public Handle<Object> allocate() {
            Handle<Object> h = tryAllocate();
            if (h == null) {
                throw new PoolExhaustedException("exhausted");
            }
            return h;
        }

        @Override
        public Handle<Object> tryAllocate() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (freeCount == 0) {
                return null;
            }
            int i = free[--freeCount];
            states[i]++;
            return handles[i];
        }

        @Override
        public Handle<Object> allocate(long timeout, TimeUnit unit) {
            return allocate();
        }

        @Override
        public List<Handle<Object>> allocateBatch(int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int allocateBatch(Handle<Object>[] out, int offset, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int capacity() {
            return objects.length;
        }

        @Override
        public int available() {
            return freeCount;
        }

        @Override
        public int inUse() {
            return objects.length - freeCount;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
