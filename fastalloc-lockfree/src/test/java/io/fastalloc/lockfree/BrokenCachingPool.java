package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately broken caching pool for the Lincheck test: every thread uses one magazine with
 * plain check-then-act pops and pushes, as if the stripe's owner check were missing. Two threads
 * can pop the same object, and racing pushes lose objects. Close and the array batch work as the
 * contract says (a volatile closed flag checked before each pop; a batch is pops one by one), so
 * that what the Lincheck test catches is the planted race.
 */
final class BrokenCachingPool implements Pool<Item> {
    private final BrokenHandle[] stack;
    private int size;
    private volatile boolean closed;

    BrokenCachingPool(PoolConfig<Item> config) {
        stack = new BrokenHandle[config.capacity()];
        for (int i = 0; i < stack.length; i++) {
            stack[i] = new BrokenHandle(config.factory().get());
        }
        size = stack.length;
    }

    @Override
    public Handle<Item> allocate() {
        Handle<Item> h = tryAllocate();
        if (h == null) {
            throw new PoolExhaustedException("exhausted");
        }
        return h;
    }

    @Override
    public Handle<Item> tryAllocate() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        int n = size;
        if (n == 0) {
            return null;
        }
        BrokenHandle h = stack[n - 1];
        size = n - 1;
        h.held = true;
        return h;
    }

    @Override
    public Handle<Item> allocate(long timeout, TimeUnit unit) {
        return allocate();
    }

    @Override
    public List<Handle<Item>> allocateBatch(int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int allocateBatch(Handle<Item>[] out, int offset, int count) {
        int n = 0;
        try {
            while (n < count) {
                Handle<Item> h = tryAllocate();
                if (h == null) {
                    break;
                }
                out[offset + n++] = h;
            }
        } catch (IllegalStateException e) {
            for (int i = offset + n - 1; i >= offset; i--) {
                out[i].close();
                out[i] = null;
            }
            throw e;
        }
        return n;
    }

    @Override
    public int capacity() {
        return stack.length;
    }

    @Override
    public int available() {
        return size;
    }

    @Override
    public int inUse() {
        return stack.length - size;
    }

    @Override
    public void close() {
        closed = true;
    }

    private final class BrokenHandle implements Handle<Item> {
        private final Item item;
        boolean held;

        BrokenHandle(Item item) {
            this.item = item;
        }

        @Override
        public Item get() {
            return item;
        }

        @Override
        public void close() {
            if (!held) {
                throw new IllegalStateException("double release");
            }
            held = false;
            int n = size;
            stack[n] = this;
            size = n + 1;
        }
    }
}
