package io.fastalloc.internal;

import io.fastalloc.Handle;

/**
 * A checked-mode handle: one per allocation, remembering the slot's state (its generation) at the
 * time it was handed out, so that use after release and double release are always caught.
 *
 * <p>The state alone is 32 bits and a slot's state wraps after 2^31 cycles, when a stale lease's
 * state would match its slot again. So a lease also remembers that it was closed ({@link #closed}):
 * a closed lease is stale for good, however many cycles its slot has run since. A lease is made for
 * one allocation and is closed at most once, so the two together catch every use after release and
 * every double release, for any length of run.
 *
 * <p><b>Thread safety</b>: thread-safe. {@link #get()} reads {@link #closed} (volatile) and the
 * slot's state with acquire ordering.
 *
 * @param <T> the type of pooled object
 */
public final class Lease<T> implements Handle<T> {
    /** The slot this lease is on. */
    public final Slot<T> slot;
    /** The slot's (odd) state when this lease was handed out. */
    public final int state;
    /** Where the lease was made, for leak reports; {@code null} when not recorded. */
    public final Throwable allocationSite;
    /** The leak watch on this lease, or {@code null}; set once by {@link LeakTracker#track}. */
    LeakTracker.Action<?> leakAction;
    /**
     * Whether this lease was closed: written once, {@code true}, by the one close that won (volatile
     * store, in {@link LeakTracker#closed}); read by every later check of this lease (volatile load).
     */
    volatile boolean closed;

    /**
     * @param slot           the slot, already marked held
     * @param state          the slot's state now
     * @param allocationSite where it was allocated, or {@code null}
     */
    public Lease(Slot<T> slot, int state, Throwable allocationSite) {
        this.slot = slot;
        this.state = state;
        this.allocationSite = allocationSite;
    }

    /** @return whether this lease is not closed and its slot is still on its generation and held */
    public boolean isCurrent() {
        return !closed && slot.laState() == state;
    }

    /**
     * Returns whether this lease was closed already: a close of it must fail, whatever its slot's
     * state now reads (see the class comment).
     *
     * @return whether this lease was closed already
     */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public T get() {
        if (!isCurrent()) {
            throw new IllegalStateException(Messages.useAfterRelease(this, slot.laState()));
        }
        return slot.lpObject();
    }

    @Override
    public void close() {
        slot.home.release(this);
    }

    @Override
    public String toString() {
        return "Lease{" + slot.home.kind() + "[" + slot.home.poolName() + "] slot " + slot.index
                + " gen " + (state >>> 1) + '}';
    }
}
