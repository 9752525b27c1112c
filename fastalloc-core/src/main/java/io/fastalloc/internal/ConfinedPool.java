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
 * The single-threaded pool behind {@code FixedPool} and {@code GrowingPool}: a {@link SlotStore}
 * plus the lifecycle, checked mode and events.
 *
 * <p><b>Thread safety</b>: none; confined to one thread. In checked mode the first thread that
 * allocates or releases becomes the owner and any other thread that touches the pool gets an
 * {@link IllegalStateException} naming both threads.
 *
 * @param <T> the type of pooled object
 */
public final class ConfinedPool<T> implements Pool<T>, SlotHome<T> {
    private final String name;
    private final String kind;
    private final boolean checked;
    private final PoolRecorder recorder;
    private final SlotStore<T> store;
    private final LeakTracker<T> leaks;
    private Thread owner;
    private boolean closed;

    /**
     * @param config      the config
     * @param kind        the public kind's name
     * @param maxCapacity the most objects (the config's for a growing pool, the capacity for a fixed one)
     */
    public ConfinedPool(PoolConfig<T> config, String kind, int maxCapacity) {
        this.kind = kind;
        this.name = PoolNames.nameOf(config, kind);
        this.checked = config.checked();
        this.recorder = config.recorder();
        this.store = new SlotStore<>(config, this, config.capacity(), maxCapacity);
        this.leaks = checked ? new LeakTracker<>(config.leakListener()) : null;
        recorder.onCreate(name, kind, store.capacity());
    }

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        if (handle == null) {
            throw new PoolExhaustedException(Messages.exhausted(this, store.capacity()));
        }
        return handle;
    }

    @Override
    public Handle<T> tryAllocate() {
        if (checked) {
            checkThread();
        }
        if (closed) {
            throw new IllegalStateException(Messages.closed(this));
        }
        if (checked) {
            recoverLeaks();
        }
        Slot<T> slot = store.take();
        if (slot == null) {
            recorder.onExhausted();
            return null;
        }
        recorder.onAllocate();
        return checked ? leaks.track(slot, slot.state) : slot;
    }

    /** Checked mode: gives back the slots of leases that became unreachable without being closed. */
    private void recoverLeaks() {
        LeakTracker.Leaked<T> leaked;
        while ((leaked = leaks.poll()) != null) {
            Slot<T> slot = leaked.slot;
            if (slot.state == leaked.state) {
                store.markFree(slot);
                store.recycle(slot, true);
                recorder.onRelease();
            }
        }
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) {
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
        if (closed) {
            throw new IllegalStateException(Messages.closed(this));
        }
        List<Handle<T>> out = new ArrayList<>(count);
        if (store.canTake(count)) {
            int taken = 0;
            try {
                for (; taken < count; taken++) {
                    Slot<T> slot = store.take();
                    if (slot == null) {
                        break;
                    }
                    out.add(checked ? leaks.track(slot, slot.state) : slot);
                }
            } finally {
                if (taken < count) {
                    undo(out, taken);
                }
            }
            if (taken == count) {
                for (int i = 0; i < count; i++) {
                    recorder.onAllocate();
                }
                return out;
            }
        }
        recorder.onExhausted();
        throw new PoolExhaustedException(prefix() + "cannot take " + count + " objects at once: "
                + store.available() + " free of " + store.capacity() + " (max " + store.maxCapacity() + ')');
    }

    private void undo(List<Handle<T>> taken, int n) {
        for (int i = n - 1; i >= 0; i--) {
            Handle<T> h = taken.get(i);
            if (h instanceof Lease) {
                Lease<T> lease = (Lease<T>) h;
                LeakTracker.closed(lease);
                store.untake(lease.slot);
            } else {
                store.untake((Slot<T>) h);
            }
        }
        taken.clear();
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

    @Override
    public void release(Slot<T> slot) {
        if (checked) {
            checkThread();
        }
        if ((slot.state & 1) == 0) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        try {
            store.release(slot);
        } finally {
            recorder.onRelease();
        }
    }

    @Override
    public void release(Lease<T> lease) {
        checkThread();
        Slot<T> slot = lease.slot;
        if (slot.state != lease.state) {
            throw new IllegalStateException(Messages.doubleRelease(lease, slot.state));
        }
        LeakTracker.closed(lease);
        try {
            store.release(slot);
        } finally {
            recorder.onRelease();
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

    private String prefix() {
        return kind + " '" + name + "': ";
    }

    /**
     * Trims free slots above the initial capacity.
     *
     * @return how many objects were given back
     */
    public int trim() {
        if (checked) {
            checkThread();
        }
        return store.trim();
    }

    @Override
    public int capacity() {
        return store.capacity();
    }

    @Override
    public int available() {
        return store.available();
    }

    @Override
    public int inUse() {
        return store.inUse();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String poolName() {
        return name;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String toString() {
        return kind + "{name=" + name + ", capacity=" + store.capacity() + ", available=" + store.available()
                + ", inUse=" + store.inUse() + (closed ? ", closed" : "") + '}';
    }
}
