package io.fastalloc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A role in a pool that one thread only may take, such as the allocating side of a single-consumer
 * queue pool: checked mode gives it to the first thread that acts in it, and any other thread that
 * acts in it afterwards gets an {@link IllegalStateException} naming both threads.
 *
 * <p><b>Thread safety</b>: any thread may call {@link #check()}. <b>Memory effects</b>: the holder
 * is set once, by a compare-and-exchange from {@code null}, and read with a volatile load.
 * <b>Progress</b>: wait-free (one load, at most one compare-and-exchange).
 */
public final class ThreadRole {
    private static final VarHandle HOLDER;

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(ThreadRole.class, "holder", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SlotHome<?> home;
    private final String action;
    /** The thread that took the role: written once (CAS from null), read volatile. */
    @SuppressWarnings("unused") // accessed through HOLDER
    private volatile Thread holder;

    /**
     * @param home   the pool, for messages
     * @param action what the role does, for messages, such as {@code "allocating"}
     */
    public ThreadRole(SlotHome<?> home, String action) {
        this.home = home;
        this.action = action;
    }

    /**
     * Gives the role to the calling thread if no thread has it yet.
     *
     * @throws IllegalStateException naming both threads when another thread has the role
     */
    public void check() {
        Thread current = Thread.currentThread();
        Thread first = holder;
        if (first == current) {
            return;
        }
        if (first == null) {
            Thread witness = (Thread) HOLDER.compareAndExchange(this, (Thread) null, current);
            if (witness == null || witness == current) {
                return;
            }
            first = witness;
        }
        throw new IllegalStateException(Messages.wrongRole(home, action, first, current));
    }
}
