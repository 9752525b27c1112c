package io.fastalloc.internal;

import io.fastalloc.Handle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One place in a pool: the object, its index and its state. In unchecked mode the slot is also the
 * handle users hold, made once with the slot, so allocation allocates nothing.
 *
 * <p>The state is a generation counter: even while the slot is free, odd while it is held;
 * every allocation and every release adds one. A checked {@link Lease} remembers the odd value it
 * was handed out with, so any later use can tell that the slot moved on. An unchecked
 * single-threaded pool, which reads no generations, stores {@link #HELD} on allocation instead of
 * adding one (a store does not wait for the slot's last write); the parity still tells held from
 * free, which is all that unchecked mode's double-close check reads.
 *
 * <p><b>Thread safety</b>: single-threaded pools and pools that guard slots with a lock use plain
 * accesses; lock-free pools claim a release with {@link #casState} from odd to even (so exactly one
 * of two racing closes wins) and store even to odd on allocation plainly or relaxed (the allocating
 * thread owns the slot after taking it from the free set). The accessors' names say each access
 * mode, in JCTools' vocabulary (see the package documentation).
 *
 * <p><b>One handle class per engine.</b> Every engine has its own subclass, whose {@link #close()}
 * calls that engine's release directly (a cast to the engine's class, then a call the JIT binds
 * statically). A single {@code close()} shared by all kinds would be one call site in the library
 * whose type profile sees every kind an application uses, and the JIT would then call through the
 * virtual table there even where the application's own call site is typed by kind.
 *
 * @param <T> the type of pooled object
 */
public abstract class Slot<T> implements Handle<T> {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The state an unchecked single-threaded pool stores on allocation, instead of counting a
     * generation: odd, so the slot reads as held; the release after it makes the state even again.
     */
    public static final int HELD = 1;

    /**
     * The generation: even while free, odd while held. Written by the pool that owns the slot, read
     * by any thread that holds a handle on it; only through the accessors below, whose names say the
     * access mode (see the package documentation).
     */
    private int state;
    /**
     * The pooled object; {@code null} until made (lazy initialisation) or after it was discarded.
     * Written only by the thread that holds the slot or owns the free set, with plain stores;
     * published with the slot (by the free set's lock, queue or CAS that hands the slot over).
     */
    private T object;
    /**
     * Intrusive link for pools that keep slots on a linked list (a lock-free return stack). Owned by
     * whichever structure the slot is in, plain accesses published by that structure's CAS;
     * {@code null} otherwise.
     */
    private Slot<T> next;
    /** Where this slot is in its pool; fixed. */
    public final int index;
    /** The pool the slot belongs to; fixed. */
    public final SlotHome<T> home;

    /**
     * @param home  the owning pool
     * @param index the slot's index
     */
    protected Slot(SlotHome<T> home, int index) {
        this.home = home;
        this.index = index;
    }

    /**
     * @param home      the owning pool
     * @param index     the slot's index
     * @param alignment the configured alignment: from 64 bytes up the slot is padded so that two
     *                  slots' states are at least 128 bytes apart (two cache lines, which also
     *                  defeats adjacent-line prefetch); smaller alignments need no padding, since an
     *                  unpadded slot already spans 32 bytes
     * @param <T>       the type of pooled object
     * @return a new slot
     */
    public static <T> Slot<T> create(SlotHome<T> home, int index, int alignment) {
        return home.newSlot(index, alignment >= 64);
    }

    /** @return the state, plain load */
    public final int lpState() {
        return state;
    }

    /** @return the state, relaxed (opaque) load: atomic, never hoisted out of a loop, no ordering */
    public final int lrState() {
        return (int) STATE.getOpaque(this);
    }

    /** @return the state, acquire load */
    public final int laState() {
        return (int) STATE.getAcquire(this);
    }

    /** @return the state, volatile load */
    public final int lvState() {
        return (int) STATE.getVolatile(this);
    }

    /** @param value the new state, plain store */
    public final void spState(int value) {
        state = value;
    }

    /** @param value the new state, relaxed (opaque) store: atomic, no ordering */
    public final void srState(int value) {
        STATE.setOpaque(this, value);
    }

    /**
     * Volatile compare-and-set of the state.
     *
     * @param expected the state expected
     * @param value    the new state
     * @return {@code true} if the state was {@code expected} and is now {@code value}
     */
    public final boolean casState(int expected, int value) {
        return STATE.compareAndSet(this, expected, value);
    }

    /** @return the object, plain load */
    public final T lpObject() {
        return object;
    }

    /** @param value the new object, plain store */
    public final void spObject(T value) {
        object = value;
    }

    /** @return the next slot of the list the slot is on, plain load */
    public final Slot<T> lpNext() {
        return next;
    }

    /** @param value the next slot of the list the slot is on, plain store */
    public final void spNext(Slot<T> value) {
        next = value;
    }

    /** @return whether the slot is held now (plain read) */
    public final boolean isHeld() {
        return (state & 1) != 0;
    }

    @Override
    public final T get() {
        if ((state & 1) == 0) {
            throw new IllegalStateException(Messages.prefix(home) + "get() on a released handle of slot " + index);
        }
        return object;
    }

    /**
     * Releases this slot to its engine: each engine's subclass calls that engine's release directly.
     */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return home.kind() + "[" + home.poolName() + "] slot " + index + " gen " + (state >>> 1)
                + ((state & 1) != 0 ? " held" : " free");
    }
}
