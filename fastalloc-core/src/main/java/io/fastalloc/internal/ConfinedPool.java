package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The single-threaded pool that {@code FixedPool} and {@code GrowingPool} are: a {@link SlotStore}
 * plus the lifecycle, checked mode and events. The public kinds extend it rather than wrap it, so
 * that allocate and close reach the free set without a hop through another object (a dependent
 * load on every call, measured at about a third of FixedPool's allocate + close); everything here
 * that is not {@link Pool} API is protected or package-private, so it is not theirs to offer.
 *
 * <p><b>Thread safety</b>: none; confined to one thread. In checked mode the first thread that
 * allocates or releases becomes the owner and any other thread that touches the pool gets an
 * {@link IllegalStateException} naming both threads.
 *
 * <p><b>Memory effects</b>: the {@link PoolRecorder.Counts} offered to a recorder are read from any
 * thread. The owner counts each take with a plain store after it ({@link #countTakes}); a reader
 * loads the count with acquire and then derives releases from the free set
 * ({@code allocations - inUse}), so releases read while the owner runs may be behind by the take
 * in flight, never ahead. The peak is the store's low-water mark of free slots, read plainly.
 *
 * @param <T> the type of pooled object
 */
public abstract class ConfinedPool<T> extends SlotStore<T> implements Pool<T> {

    /** {@link #mode} bit: checked mode. */
    private static final int CHECKED = 1;
    /** {@link #mode} bit: a recorder other than the no-op one is attached. */
    private static final int RECORDING = 2;
    /** {@link #mode} bit: the pool is closed. */
    private static final int CLOSED = 4;
    /** {@link #mode} bit: the recorder reads this pool's own {@link PoolRecorder.Counts}. */
    private static final int COUNTS_ATTACHED = 8;

    private final boolean checked;
    private final PoolRecorder recorder;
    private final LeakTracker<T> leaks;
    private Thread owner;
    /**
     * What the hot path must look at, in one field: zero for an open, unchecked pool without a
     * recorder, whose allocate and close then take the short path (one load and one branch of
     * overhead). Confined like everything else here.
     */
    private int mode;

    /**
     * @param config      the config
     * @param kind        the public kind's name
     * @param maxCapacity the most objects (the config's for a growing pool, the capacity for a fixed one)
     */
    @SuppressWarnings("this-escape") // the public kinds that extend it add no state of their own
    protected ConfinedPool(PoolConfig<T> config, String kind, int maxCapacity) {
        super(config, PoolNames.nameOf(config, kind), kind, config.capacity(), maxCapacity);
        this.checked = config.checked();
        this.recorder = config.recorder();
        this.leaks = checked ? new LeakTracker<>(config.leakListener()) : null;
        recorder.onCreate(poolName(), kind, capacity());
        int m = checked ? CHECKED : 0;
        if (recorder != PoolRecorder.noop()) {
            m |= recorder.attachCounts(counts()) ? COUNTS_ATTACHED : RECORDING;
        }
        this.mode = m;
    }

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
    }

    /** @return the message of the {@code PoolExhaustedException} that {@link #allocate()} throws */
    public String exhaustedMessage() {
        return Messages.exhausted(this, capacity());
    }

    @Override
    public Handle<T> tryAllocate() {
        int m = mode;
        if (m == 0) { // open, unchecked, no recorder
            Slot<T> slot = takeUnchecked(false);
            if (slot != null) {
                return slot;
            }
        } else if (m == COUNTS_ATTACHED) { // the same, with a recorder that reads our counts
            Slot<T> slot = takeUnchecked(true);
            if (slot != null) {
                return slot;
            }
        }
        return tryAllocateSlow();
    }

    /** Counts one allocation: the recorder is either told or reads the {@link #counts()}. */
    private void onAllocate() {
        if ((mode & COUNTS_ATTACHED) != 0) {
            count();
        } else {
            recorder.onAllocate();
        }
    }

    private void count() {
        countTakes(1);
    }

    /** Counts one release: a COUNTS_ATTACHED recorder derives it from the free set. */
    private void onRelease() {
        if ((mode & COUNTS_ATTACHED) == 0) {
            recorder.onRelease();
        }
    }

    private Handle<T> tryAllocateSlow() {
        if (checked) {
            checkThread();
        }
        if ((mode & CLOSED) != 0) {
            throw new IllegalStateException(Messages.closed(this));
        }
        if (checked) {
            recoverLeaks();
        }
        Slot<T> slot = take();
        if (slot == null) {
            recorder.onExhausted();
            return null;
        }
        onAllocate();
        return checked ? leaks.track(slot, slot.lpState()) : slot;
    }

    /** Checked mode: gives back the slots of leases that became unreachable without being closed. */
    private void recoverLeaks() {
        LeakTracker.Leaked<T> leaked;
        while ((leaked = leaks.poll()) != null) {
            Slot<T> slot = leaked.slot;
            if (slot.lpState() == leaked.state) {
                markFree(slot);
                hooks.discard(slot);
                recycle(slot);
                onRelease();
            }
        }
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return allocate();
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        if (checked) {
            checkThread();
        }
        if ((mode & CLOSED) != 0) {
            throw new IllegalStateException(Messages.closed(this));
        }
        List<Handle<T>> out = new ArrayList<>(count);
        if (canTake(count)) {
            int taken = 0;
            try {
                for (; taken < count; taken++) {
                    Slot<T> slot = take();
                    if (slot == null) {
                        break;
                    }
                    out.add(checked ? leaks.track(slot, slot.lpState()) : slot);
                }
            } finally {
                if (taken < count) {
                    undo(out, taken);
                }
            }
            if (taken == count) {
                for (int i = 0; i < count; i++) {
                    onAllocate();
                }
                return out;
            }
        }
        recorder.onExhausted();
        throw new PoolExhaustedException(Messages.batchShort(this, count, available(), capacity())
                + " (max " + maxCapacity() + ')');
    }

    private void undo(List<Handle<T>> taken, int n) {
        for (int i = n - 1; i >= 0; i--) {
            Handle<T> h = taken.get(i);
            if (h instanceof Lease) {
                Lease<T> lease = (Lease<T>) h;
                LeakTracker.closed(lease);
                untake(lease.slot);
            } else {
                untake((Slot<T>) h);
            }
        }
        taken.clear();
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        return Batches.fill(this, out, offset, count);
    }

    @Override
    protected final Slot<T> newSlot(int index, boolean padded) {
        return ConfinedSlot.create(this, index, padded);
    }

    @Override
    protected final void release(Slot<T> slot) {
        int s = slot.lpState();
        if ((s & 1) != 0 && isHot(slot)) { // only the unchecked, unrecorded take makes a slot hot
            releaseHot(slot, s);
            return;
        }
        if ((mode & (CHECKED | RECORDING)) == 0 && (s & 1) != 0) {
            releaseSlot(slot);
            return;
        }
        releaseSlow(slot);
    }

    private void releaseSlow(Slot<T> slot) {
        if (checked) {
            checkThread();
        }
        if ((slot.lpState() & 1) == 0) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        try {
            releaseSlot(slot);
        } finally {
            onRelease();
        }
    }

    @Override
    protected final void release(Lease<T> lease) {
        checkThread();
        Slot<T> slot = lease.slot;
        if (lease.isClosed() || slot.lpState() != lease.state) {
            throw new IllegalStateException(Messages.doubleRelease(lease, slot.lpState()));
        }
        LeakTracker.closed(lease);
        try {
            releaseSlot(slot);
        } finally {
            onRelease();
        }
    }

    private void checkThread() {
        Thread current = Thread.currentThread();
        Thread o = owner;
        if (o == null) {
            owner = current;
        } else if (o != current) {
            throw new IllegalStateException(Messages.wrongThread(this, o, current));
        }
    }

    /**
     * Trims free slots above the initial capacity.
     *
     * @return how many objects were given back
     */
    @Override
    protected int trim() {
        if (checked) {
            checkThread();
        }
        return super.trim();
    }

    /** {@return whether {@link #close()} was called} */
    final boolean isClosed() {
        return (mode & CLOSED) != 0;
    }

    @Override
    public void close() {
        mode |= CLOSED;
    }


    @Override
    public String toString() {
        return kind() + "{name=" + poolName() + ", capacity=" + capacity() + ", available=" + available()
                + ", inUse=" + inUse() + (isClosed() ? ", closed" : "") + '}';
    }
}
