package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * DELIBERATELY BROKEN: a per-thread view whose handles, closed on ANY thread, go back into the
 * allocating view's plain local stack with a plain check-then-store of the held flag, as if the
 * view's owner check were missing from the close. A foreign close then pushes into a stack that
 * its owner pops and pushes at the same time (lost or duplicated objects, no publication of the
 * closer's writes), and two foreign closes of one handle can both pass the check.
 * {@link BrokenViewTests} runs the view tests of {@code CachingPoolTests} against it, in the
 * separate invocation that must fail; that proves the view tests can see a foreign close that is
 * not claimed atomically. The shared part ({@link Home}, a thread-safe queue) is correct, so what
 * the tests catch is the planted race. Never use it for anything else.
 *
 * <p><b>Thread safety</b>: none where it matters, on purpose (see above).
 */
public final class BrokenView implements PoolView<Box> {
    private final Home home;
    /** The view's local stack of free handles: plain, pushed by any closing thread (the bug). */
    private final BrokenHandle[] stack;
    private int size;
    private boolean closed;

    private BrokenView(Home home) {
        this.home = home;
        // room for duplicates, so a racy double release shows as a wrong count, not an exception
        this.stack = new BrokenHandle[home.capacity + 8];
    }

    @Override
    public Handle<Box> allocate() {
        Handle<Box> h = tryAllocate();
        if (h == null) {
            throw new PoolExhaustedException("BrokenView exhausted");
        }
        return h;
    }

    @Override
    public Handle<Box> tryAllocate() {
        if (closed || home.closed) {
            throw new IllegalStateException("BrokenView or its pool is closed");
        }
        int n = size;
        BrokenHandle h;
        if (n > 0) {
            h = stack[n - 1]; // null when a racing push has raised size but not yet stored its handle
            size = n - 1;
        } else {
            h = home.free.poll();
        }
        if (h == null) {
            return null; // the race shows as a lost object (an outcome), not a crash
        }
        h.view = this;
        h.held = true;
        return h;
    }

    @Override
    public Handle<Box> allocate(long timeout, TimeUnit unit) {
        return allocate();
    }

    /** Gives the local stack back to the pool (owner only, as the real view). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            while (size > 0) {
                home.free.offer(stack[--size]);
            }
        }
    }

    /** The close's push, on whichever thread closes: a plain read-modify-write of the owner's stack. */
    void push(BrokenHandle h) {
        stack[size++] = h;
    }

    /**
     * The pool the broken views come from: a thread-safe queue of free handles (correct), and the
     * views it made, whose local stacks {@link #available()} counts.
     */
    public static final class Home implements Pool<Box> {
        final int capacity;
        final Queue<BrokenHandle> free = new ConcurrentLinkedQueue<>();
        final List<BrokenView> views = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        /**
         * @param capacity objects
         */
        public Home(int capacity) {
            this.capacity = capacity;
            for (int i = 0; i < capacity; i++) {
                free.offer(new BrokenHandle(this, new Box()));
            }
        }

        /**
         * @return a new broken view (not confined to the calling thread: nothing of it checks threads)
         */
        public BrokenView view() {
            if (closed) {
                throw new IllegalStateException("BrokenView.Home is closed");
            }
            BrokenView v = new BrokenView(this);
            views.add(v);
            return v;
        }

        @Override
        public Handle<Box> allocate() {
            Handle<Box> h = tryAllocate();
            if (h == null) {
                throw new PoolExhaustedException("BrokenView.Home exhausted");
            }
            return h;
        }

        @Override
        public Handle<Box> tryAllocate() {
            if (closed) {
                throw new IllegalStateException("BrokenView.Home is closed");
            }
            BrokenHandle h = free.poll();
            if (h != null) {
                h.view = null;
                h.held = true;
            }
            return h;
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

        /** @return the free queue's size plus every view's local stack */
        @Override
        public int available() {
            int n = free.size();
            for (BrokenView v : views) {
                n += v.size;
            }
            return n;
        }

        @Override
        public int inUse() {
            return capacity - available();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The broken view's handle: remembers the view it came through. */
    static final class BrokenHandle implements Handle<Box> {
        final Home home;
        final Box object;
        /** The view that allocated it, or {@code null} when the pool did; plain. */
        BrokenView view;
        /** Whether it is out; plain. */
        boolean held;

        BrokenHandle(Home home, Box object) {
            this.home = home;
            this.object = object;
        }

        @Override
        public Box get() {
            return object;
        }

        @Override
        public void close() {
            if (!held) { // check ...
                throw new IllegalStateException("BrokenView: double release");
            }
            held = false; // ... then store: two closing threads can both pass the check
            BrokenView v = view;
            if (v != null) {
                v.push(this); // on any thread, into the allocating view's plain stack
            } else {
                home.free.offer(this);
            }
        }
    }
}
