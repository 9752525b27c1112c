package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolView;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately broken source of views for {@link CachingPoolViewLincheckTest}: a real
 * {@link CachingPool} underneath, but its views keep one plain stack of closed handles that every
 * view and every closing thread shares, popped and pushed with check-then-act, as if a view's
 * magazine were not confined to its thread. Two views can pop the same object, and racing pushes
 * lose objects. Close works as the contract says (a view checks the pool's closed flag before each
 * pop), so that what the Lincheck test catches is the planted race. Allocation straight from the
 * pool is the real pool's.
 */
final class BrokenCachingView implements Pool<Item> {
    private final CachingPool<Item> inner;
    /** Closed handles of the real pool, kept out of it: plain, shared by every thread (the bug). */
    private final Handle<Item>[] stack;
    private int size;

    @SuppressWarnings("unchecked")
    BrokenCachingView(PoolConfig<Item> config) {
        inner = CachingPool.create(config, 2, 1);
        stack = (Handle<Item>[]) new Handle<?>[config.capacity() + 8];
    }

    /** @return a view that pops the shared plain stack before the real pool */
    PoolView<Item> view() {
        if (inner.isClosed()) {
            throw new IllegalStateException("closed");
        }
        return new BrokenView();
    }

    @Override
    public Handle<Item> allocate() {
        return inner.allocate();
    }

    @Override
    public Handle<Item> tryAllocate() {
        return inner.tryAllocate();
    }

    @Override
    public Handle<Item> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        return inner.allocate(timeout, unit);
    }

    @Override
    public List<Handle<Item>> allocateBatch(int count) {
        return inner.allocateBatch(count);
    }

    @Override
    public int allocateBatch(Handle<Item>[] out, int offset, int count) {
        return inner.allocateBatch(out, offset, count);
    }

    @Override
    public int capacity() {
        return inner.capacity();
    }

    /** @return the real pool's free objects and the shared stack's */
    @Override
    public int available() {
        return inner.available() + size;
    }

    @Override
    public int inUse() {
        return capacity() - available();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** A view: pops the shared stack (check-then-act), else allocates from the real pool. */
    private final class BrokenView implements PoolView<Item> {
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
            if (inner.isClosed()) {
                throw new IllegalStateException("closed");
            }
            int n = size;
            if (n > 0) {
                Handle<Item> h = stack[n - 1]; // check ...
                size = n - 1; // ... then act: two views can both pop slot n - 1
                return new Wrapped(h);
            }
            Handle<Item> h = inner.tryAllocate();
            return h == null ? null : new Wrapped(h);
        }

        @Override
        public Handle<Item> allocate(long timeout, TimeUnit unit) {
            return allocate();
        }

        @Override
        public void close() {
        }
    }

    /** A view's handle: its close keeps the real handle in the shared stack instead of closing it. */
    private final class Wrapped implements Handle<Item> {
        private final Handle<Item> real;
        private boolean closed;

        Wrapped(Handle<Item> real) {
            this.real = real;
        }

        @Override
        public Item get() {
            return real.get();
        }

        @Override
        public void close() {
            if (closed) {
                throw new IllegalStateException("double release");
            }
            closed = true;
            int n = size;
            stack[n] = real; // a racing push or pop of the same index loses one of them
            size = n + 1;
        }
    }
}
