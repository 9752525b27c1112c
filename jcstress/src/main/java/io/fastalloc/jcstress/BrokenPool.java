package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolExhaustedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * DELIBERATELY BROKEN: a "concurrent" pool written with plain fields and check-then-act, the bugs
 * the jcstress suite exists to find. {@link BrokenPoolTests} runs the same tests as the real pools
 * against it, in a separate invocation that must fail; that proves the tests can see a race.
 * Never use it for anything else.
 */
public final class BrokenPool implements Pool<Box> {
    private final BrokenHandle[] free;
    private final int capacity;
    private int top;
    private boolean closed;

    /**
     * @param capacity objects
     */
    public BrokenPool(int capacity) {
        this.capacity = capacity;
        // room for duplicates, so a racy double release shows as a wrong count, not an exception
        this.free = new BrokenHandle[capacity + 8];
        for (int i = 0; i < capacity; i++) {
            free[i] = new BrokenHandle(this, new Box());
        }
        top = capacity;
    }

    @Override
    public Handle<Box> allocate() {
        Handle<Box> h = tryAllocate();
        if (h == null) {
            throw new PoolExhaustedException("BrokenPool exhausted");
        }
        return h;
    }

    @Override
    public Handle<Box> tryAllocate() {
        if (closed) {
            throw new IllegalStateException("BrokenPool is closed");
        }
        int t = top; // check ...
        if (t <= 0) {
            return null;
        }
        BrokenHandle h = free[t - 1];
        top = t - 1; // ... then act: two threads can both take slot t - 1
        h.held = true;
        return h;
    }

    void release(BrokenHandle h) {
        if (!h.held) { // check ...
            throw new IllegalStateException("BrokenPool: double release");
        }
        h.held = false; // ... then act: two closing threads can both pass the check
        h.object.resets++;
        free[top++] = h;
    }

    @Override
    public Handle<Box> allocate(long timeout, TimeUnit unit) {
        return allocate();
    }

    @Override
    public List<Handle<Box>> allocateBatch(int count) {
        List<Handle<Box>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(allocate());
        }
        return out;
    }

    @Override
    public int allocateBatch(Handle<Box>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        int n = 0;
        Handle<Box> h;
        while (n < count && (h = tryAllocate()) != null) {
            out[offset + n++] = h;
        }
        return n;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int available() {
        return top;
    }

    @Override
    public int inUse() {
        return capacity - top;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The broken pool's handle. */
    static final class BrokenHandle implements Handle<Box> {
        final BrokenPool pool;
        final Box object;
        boolean held;

        BrokenHandle(BrokenPool pool, Box object) {
            this.pool = pool;
            this.object = object;
        }

        @Override
        public Box get() {
            return object;
        }

        @Override
        public void close() {
            pool.release(this);
        }
    }
}
