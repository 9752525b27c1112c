package io.fastalloc.lockfree.internal;

import io.fastalloc.Handle;
import io.fastalloc.PoolView;
import io.fastalloc.internal.Exhaustion;
import io.fastalloc.internal.Messages;

import java.util.concurrent.TimeUnit;

/**
 * A {@link CachingCore}'s view for one thread: the thread's magazine, held by the caller, so an
 * allocation goes straight to {@link CachingCore#tryAllocate(Magazine, Thread)} without the stripe
 * look-up. Everything else is the pool's: the magazine is the one the thread would find through the
 * pool, and handles are the pool's slots (or leases, checked).
 *
 * <p><b>Thread safety</b>: confined to {@link #owner}; every method checks the calling thread first
 * (one compare with {@link Thread#currentThread()}) and throws on another one, in both modes, so a
 * misplaced view cannot corrupt the magazine, whose fields only its owner touches.
 *
 * <p><b>Memory effects</b>: none of its own; those of the pool.
 *
 * @param <T> the type of pooled object
 */
final class CachingView<T> implements PoolView<T> {
    private final CachingCore<T> core;
    /** The thread the view belongs to; fixed. */
    private final Thread owner;
    /** The owner's magazine in {@link #core}, or {@code null} when no stripe was free for it; fixed. */
    private final Magazine<T> magazine;
    /** Whether {@link #close()} ran; owner only, plain. */
    private boolean closed;

    CachingView(CachingCore<T> core, Thread owner, Magazine<T> magazine) {
        this.core = core;
        this.owner = owner;
        this.magazine = magazine;
    }

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(core.exhaustedMessage());
    }

    @Override
    public Handle<T> tryAllocate() {
        Thread t = Thread.currentThread();
        if (t != owner || closed) {
            throw misuse(t);
        }
        return core.tryAllocate(magazine, t);
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        Thread t = Thread.currentThread();
        if (t != owner || closed) {
            throw misuse(t);
        }
        return core.allocate(timeout, unit); // finds the same magazine: waiting is the slow path anyway
    }

    @Override
    public void close() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw misuse(t);
        }
        if (!closed) {
            closed = true;
            core.giveBackView(magazine, t);
        }
    }

    private IllegalStateException misuse(Thread t) {
        if (t != owner) {
            return new IllegalStateException(Messages.prefix(core) + "a view made on thread '" + owner.getName()
                    + "' (id " + owner.getId() + ") used on thread '" + t.getName() + "' (id " + t.getId()
                    + "): a view belongs to the thread that made it");
        }
        return new IllegalStateException(Messages.prefix(core) + "allocation through a closed view");
    }

    @Override
    public String toString() {
        return "view of " + core + " for thread '" + owner.getName() + "'" + (closed ? ", closed" : "");
    }
}
