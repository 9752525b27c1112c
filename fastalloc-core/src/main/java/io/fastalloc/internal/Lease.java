package io.fastalloc.internal;

import io.fastalloc.Handle;

/**
 * A checked-mode handle: one per allocation, remembering the slot's state (its generation) at the
 * time it was handed out, so that use after release and double release are always caught.
 *
 * <p><b>Thread safety</b>: immutable; {@link #get()} reads the slot's state with acquire ordering.
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
     * @param slot           the slot, already marked held
     * @param state          the slot's state now
     * @param allocationSite where it was allocated, or {@code null}
     */
    public Lease(Slot<T> slot, int state, Throwable allocationSite) {
        this.slot = slot;
        this.state = state;
        this.allocationSite = allocationSite;
    }

    /** @return whether the slot is still on this lease's generation and held */
    public boolean isCurrent() {
        return (int) Slot.STATE.getAcquire(slot) == state;
    }

    @Override
    public T get() {
        if (!isCurrent()) {
            throw new IllegalStateException(Messages.useAfterRelease(this, (int) Slot.STATE.getAcquire(slot)));
        }
        return slot.object;
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
