package io.fastalloc.internal;

import io.fastalloc.LeakListener;

import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Checked mode's leak detection for one pool: every lease is registered with a {@link Cleaner};
 * a lease that becomes unreachable without being closed is reported to the pool's
 * {@link LeakListener} with its allocation stack, and its slot is queued for recovery. The pool
 * drains that queue on its own thread, at its next allocation, so single-threaded pools never see
 * another thread touch their slots. Unchecked mode does none of this (no cost on the hot path).
 *
 * <p><b>Thread safety</b>: {@link #track} and {@link #closed} run on the lease's user threads, the
 * report on the cleaner thread; {@link #poll()} on the pool's allocating thread. The queue is a
 * {@link ConcurrentLinkedQueue} (checked mode may allocate).
 *
 * @param <T> the type of pooled object
 */
public final class LeakTracker<T> {
    private static final Cleaner CLEANER = Cleaner.create();

    private final LeakListener listener;
    private final ConcurrentLinkedQueue<Leaked<T>> leaked = new ConcurrentLinkedQueue<>();
    private final Consumer<Leaked<T>> recoverNow;

    /**
     * For a single-threaded pool: leaked slots are queued for the pool's own thread ({@link #poll()}).
     *
     * @param listener where leaks are reported
     */
    public LeakTracker(LeakListener listener) {
        this(listener, null);
    }

    /**
     * For a thread-safe pool: leaked slots are recovered at once, on the cleaner thread.
     *
     * @param listener   where leaks are reported
     * @param recoverNow recovers a leaked slot (thread-safe); {@code null} to queue instead
     */
    public LeakTracker(LeakListener listener, Consumer<Leaked<T>> recoverNow) {
        this.listener = listener;
        this.recoverNow = recoverNow;
    }

    /**
     * Makes a tracked lease on a slot just marked held.
     *
     * @param slot  the slot
     * @param state its state now (odd)
     * @return the lease
     */
    public Lease<T> track(Slot<T> slot, int state) {
        Throwable site = new Throwable("allocated here");
        Lease<T> lease = new Lease<>(slot, state, site);
        Action<T> action = new Action<>(this, slot, state, site);
        lease.leakAction = action;
        action.cleanable = CLEANER.register(lease, action);
        return lease;
    }

    /**
     * Marks a lease closed: it is stale for good (see {@link Lease}) and no longer watched.
     *
     * @param lease the lease being closed
     */
    public static void closed(Lease<?> lease) {
        lease.closed = true;
        Action<?> action = lease.leakAction;
        if (action != null) {
            action.disarmed = true;
            action.cleanable.clean();
        }
    }

    /**
     * @return the next leaked slot to recover (with the state it leaked at), or {@code null}
     */
    public Leaked<T> poll() {
        return leaked.poll();
    }

    /**
     * A slot whose lease leaked.
     *
     * @param <T> the type of pooled object
     */
    public static final class Leaked<T> {
        /** The slot. */
        public final Slot<T> slot;
        /** Its state when it leaked: recover it only if it is still this. */
        public final int state;

        Leaked(Slot<T> slot, int state) {
            this.slot = slot;
            this.state = state;
        }
    }

    /** Runs when a lease becomes unreachable, or when it is closed (then disarmed). */
    static final class Action<T> implements Runnable {
        private final LeakTracker<T> tracker;
        private final Slot<T> slot;
        private final int state;
        private final Throwable site;
        volatile boolean disarmed;
        Cleaner.Cleanable cleanable;

        Action(LeakTracker<T> tracker, Slot<T> slot, int state, Throwable site) {
            this.tracker = tracker;
            this.slot = slot;
            this.state = state;
            this.site = site;
        }

        @Override
        public void run() {
            if (disarmed) {
                return;
            }
            // Recover (or queue) first, then report: a listener that has been told may rely on the
            // slot being on its way back (a single-threaded pool picks it up at its next allocation).
            Leaked<T> l = new Leaked<>(slot, state);
            try {
                if (tracker.recoverNow != null) {
                    tracker.recoverNow.accept(l);
                } else {
                    tracker.leaked.add(l);
                }
            } finally {
                try {
                    tracker.listener.onLeak(slot.home.poolName(), slot.home.kind(), slot.index, site);
                } catch (RuntimeException ignored) {
                    // a failing listener changes nothing: the slot is already recovered or queued
                }
            }
        }
    }
}
