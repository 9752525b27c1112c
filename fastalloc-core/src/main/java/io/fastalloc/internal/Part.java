package io.fastalloc.internal;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's share of a {@link PerThreadPool}: its free slots, confined to {@link #owner}, and
 * the stack through which other threads give its objects back.
 *
 * <p><b>Free set.</b> With {@link AllocationStrategy#STACK} (the default) the part keeps its free
 * slots itself, as a LIFO list of slot indices ({@code below[i]}: the slot under slot {@code i})
 * whose top slot stays on the list while it is held: {@code topFree} says whether it is free.
 * Allocation takes the top in place when it is free ({@code topFree = false}); closing the held top
 * frees it in place ({@code topFree = true}). Only when the top is held and another slot is wanted
 * (a second allocation, or the close of another slot) is the held top moved off the list
 * ({@code below[i] = OFF}). So the steady state of allocate + close writes two fields (the slot's
 * state and {@code topFree}) and reads nothing the other operation just wrote except through them:
 * from one operation to the next, one store-to-load hop per field instead of the two of a stack
 * index that both push and pop read and write. Invariant: every slot on the list below the top is
 * free; a held slot on the list is the top. No count is kept: the counts are the slots' states
 * (odd = held), read when asked. The other strategies keep their free slots in the part's
 * {@link SlotStore}.
 *
 * <p><b>Closing.</b> In unchecked mode the owner's close checks that the slot is held and writes
 * the next (even) state with a plain store: no atomic instruction. A close on another thread claims
 * the slot with a CAS from odd to even, so of two foreign closes of one handle exactly one wins. A
 * close on the owner racing with a close of the same handle on another thread is the same misuse as
 * closing a stale handle: unchecked mode cannot tell (both may succeed); checked mode can, because
 * there every close, the owner's too, claims the slot with the CAS. A second close after the first
 * is detected in both modes. The return stack is only pushed and taken whole, so it has no ABA
 * problem.
 *
 * <p><b>Thread safety</b>: the free set ({@link #top}, {@link #topFree}, {@link #below}, or the
 * {@link #store}'s for the other strategies) is confined to {@link #owner} (plain accesses); any
 * thread may close a handle of the part (a CAS on the slot's state, then a CAS push on the return
 * stack) and read the counts (estimates). {@link #owner} changes only under the pool's registry lock,
 * when the previous owner has died.
 *
 * <p><b>Memory effects</b>: those of the pool (see {@link PerThreadPool}): a push on the return
 * stack (CAS) happens-before the owner's take of the whole stack (getAndSet) that gets the slot back.
 *
 * <p><b>Progress</b>: the owner's take and close are wait-free; a close on another thread is
 * lock-free (a CAS loop on the return stack's head).
 *
 * @param <T> the type of pooled object
 */
final class Part<T> extends SlotHome<T> {
    static final VarHandle RETURNS;
    static final VarHandle PENDING;
    static final VarHandle OWNER;
    /** {@link #below}: the slot is not on the list. */
    static final int OFF = -2;
    /** {@link #below}: nothing under the slot. */
    static final int BOTTOM = -1;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RETURNS = lookup.findVarHandle(Part.class, "returns", Slot.class);
            PENDING = lookup.findVarHandle(Part.class, "pending", int.class);
            OWNER = lookup.findVarHandle(Part.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Immutable. */
    final PerThreadPool<T> pool;
    /** Immutable; for messages. */
    final int number;
    /** Immutable; the pool's. */
    final boolean checked;
    /**
     * Immutable: whether the owner's close is the short one, a plain state write and a push on
     * {@link #free}: unchecked, STACK, no reset function or validator to run, no recorder.
     */
    final boolean plainRelease;
    /** Immutable; the pool's. */
    final PoolRecorder recorder;
    /**
     * Makes the slots and objects; with STACK only that (and reset, validate), with the other
     * strategies also the free set. Read and written only by {@link #owner} (plain); other
     * threads read only its immutable parts (reset, validator) and, racily, its counts.
     */
    final SlotStore<T> store;
    /** Immutable: whether the free set is the list below (STACK) rather than the store's. */
    final boolean linked;
    /** STACK: the slots by index; immutable. */
    final Slot<T>[] slots;
    /**
     * STACK: for a slot on the list, the index of the slot under it ({@link #BOTTOM} for the last);
     * {@link #OFF} for a slot off the list. Read and written by {@link #owner} only (plain).
     */
    final int[] below;
    /** STACK: the slot on top of the list, {@code null} when empty. {@link #owner} only (plain). */
    Slot<T> top;
    /**
     * STACK: whether {@link #top} is free (else it is held); always {@code false} for the other
     * strategies and with an empty list. {@link #owner} only (plain).
     */
    boolean topFree;
    /**
     * The thread the free set is confined to. Written under the registry lock when made (final
     * publication through the registry) or adopted (release store); read plainly by closes and
     * allocations, which only compare it with the calling thread (see the pool's Memory effects).
     */
    Thread owner;
    /**
     * Head of the return stack, linked through {@link Slot#next}. Pushed by releasing threads
     * (CAS, which releases the reset object and the link), taken whole by the owner
     * (getAndSet, which acquires them).
     */
    @SuppressWarnings("unused")
    private volatile Slot<T> returns;
    /**
     * Objects on the return stack: added by releasers after the push, subtracted by the owner after
     * a take (getAndAdd both); read by the counts only.
     */
    @SuppressWarnings("unused")
    private volatile int pending;

    @SuppressWarnings("unchecked")
    Part(PerThreadPool<T> pool, PoolConfig<T> config, int capacity, Thread owner, int number) {
        super(PerThreadPool.KIND, pool.name);
        this.pool = pool;
        this.number = number;
        this.checked = pool.checked;
        this.recorder = pool.recorder;
        this.owner = owner;
        this.store = new SlotStore<>(config, this, capacity, capacity);
        boolean stacked = config.allocationStrategy() == AllocationStrategy.STACK;
        this.plainRelease = stacked && !checked && config.reset() == null && config.validator() == null
                && recorder == PerThreadPool.NOOP;
        this.linked = stacked;
        if (stacked) {
            Slot<T>[] all = (Slot<T>[]) new Slot<?>[capacity];
            int[] under = new int[capacity];
            for (int i = 0; i < capacity; i++) { // lowest index on top, as SlotStore does
                all[i] = store.slot(i);
                under[i] = i + 1 < capacity ? i + 1 : BOTTOM;
            }
            this.slots = all;
            this.below = under;
            this.top = all[0];
            this.topFree = true;
        } else {
            this.slots = null;
            this.below = null;
        }
    }

    /** Owner only: a free slot marked held, with its object; {@code null} when none is free. */
    Slot<T> take() {
        if (!linked) {
            return store.take();
        }
        Slot<T> slot = top;
        if (slot == null) {
            return null;
        }
        if (!topFree) { // the top is held: move it off the list; the slot under it is free
            int b = below[slot.index];
            below[slot.index] = OFF;
            if (b == BOTTOM) {
                top = null;
                return null;
            }
            slot = slots[b];
            top = slot;
        }
        topFree = false;
        slot.spState(slot.lpState() + 1);
        if (slot.lpObject() == null) {
            fill(slot);
        }
        return slot;
    }

    /** Owner only: makes a lazy object; if the factory throws, the slot goes back untaken. */
    void fill(Slot<T> slot) {
        try {
            store.fill(slot);
        } catch (RuntimeException | Error e) {
            untake(slot);
            throw e;
        }
    }

    /** Owner only: gives back a slot just taken, as if it had never been. */
    void untake(Slot<T> slot) {
        if (linked) { // the top, or (undoing a batch in reverse) a slot moved off the list since
            slot.spState(slot.lpState() - 1);
            putBack(slot);
        } else {
            store.untake(slot);
        }
    }

    /**
     * Owner only.
     *
     * @param limit the most to count (the list is walked)
     * @return free slots on the owner's side, at most {@code limit} (STACK)
     */
    int freeCount(int limit) {
        if (!linked) {
            return store.available();
        }
        Slot<T> t = top;
        if (t == null) {
            return 0;
        }
        int n = topFree ? 1 : 0;
        for (int i = below[t.index]; i != BOTTOM && n < limit; i = below[i]) {
            n++;
        }
        return n;
    }

    /** {@return free slots, counting those on the return stack (racy from other threads)} */
    int available() {
        if (!linked) {
            return store.available() + (int) PENDING.getVolatile(this); // plain read of the owner's count
        }
        return store.capacity() - held();
    }

    /** {@return slots out (racy from other threads)} */
    int inUse() {
        if (!linked) {
            return store.inUse() - (int) PENDING.getVolatile(this); // plain read of the owner's count
        }
        return held();
    }

    /** STACK: the slots whose state is odd (plain reads: exact when the threads are quiet). */
    private int held() {
        int n = 0;
        for (int i = 0, c = store.capacity(); i < c; i++) {
            if (store.slot(i).isHeld()) {
                n++;
            }
        }
        return n;
    }

    /** Owner only: puts a slot it freed (state even, object reset or discarded) back. */
    private void putBack(Slot<T> slot) {
        if (!linked) {
            store.countFreed(slot);
            store.recycle(slot);
            return;
        }
        Slot<T> t = top;
        if (t == slot) { // the held top, freed in place
            topFree = true;
            return;
        }
        if (t != null && !topFree) { // a held top may only be the top: move it off the list
            int b = below[t.index];
            below[t.index] = OFF;
            t = b == BOTTOM ? null : slots[b];
        }
        below[slot.index] = t == null ? BOTTOM : t.index;
        top = slot;
        topFree = true;
    }

    /** Owner only: moves the whole return stack into the free set. @return how many came back */
    int drain() {
        @SuppressWarnings("unchecked")
        Slot<T> s = (Slot<T>) RETURNS.getAndSet(this, null);
        if (s == null) {
            return 0;
        }
        int n = 0;
        while (s != null) {
            Slot<T> next = s.lpNext();
            s.spNext(null);
            putBack(s); // a rejected object was already dropped by its releaser
            n++;
            s = next;
        }
        PENDING.getAndAdd(this, -n);
        return n;
    }

    @Override
    protected Slot<T> newSlot(int index, boolean padded) {
        return PartSlot.create(this, index, padded);
    }

    @Override
    public void release(Slot<T> slot) {
        int s = slot.lpState();
        if ((s & 1) != 0 && plainRelease && top == slot && owner == Thread.currentThread()) {
            // The owner's close of its held top: freed in place. No other thread takes from this
            // free set, and a foreign close of the same handle now would be a double close (see
            // the class comment).
            slot.spState(s + 1);
            topFree = true;
            return;
        }
        releaseSlow(slot, s);
    }

    /** A double close, a close on another thread, with a reset function or validator, or not STACK. */
    private void releaseSlow(Slot<T> slot, int s) {
        if ((s & 1) == 0) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        if (!checked && owner == Thread.currentThread()) { // as above, then the reset outside the fast path
            slot.spState(s + 1);
            try {
                ownerReset(slot);
            } finally {
                recorder.onRelease();
            }
            return;
        }
        if (!slot.casState(s, s + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        released(slot);
    }

    @Override
    public void release(Lease<T> lease) {
        Slot<T> slot = lease.slot;
        if (lease.isClosed() || !slot.casState(lease.state, lease.state + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(lease, slot.lvState()));
        }
        LeakTracker.closed(lease);
        released(slot);
    }

    /** On the cleaner thread: a lease leaked; if its slot is still on it, discard the object and return the slot. */
    void recoverLeaked(LeakTracker.Leaked<T> leaked) {
        Slot<T> slot = leaked.slot;
        if (slot.casState(leaked.state, leaked.state + 1)) {
            store.hooks.discard(slot); // made anew by the owner's next take
            recordAndPush(slot);
        }
    }

    /** Owner only, the slot marked free: reset and validate, then back (a throwing reset discards the object). */
    private void ownerReset(Slot<T> slot) {
        try {
            store.hooks.recycleObject(slot);
        } finally {
            putBack(slot);
        }
    }

    /** After this thread won the close (CAS): back into the free set (owner) or onto the stack (others). */
    private void released(Slot<T> slot) {
        if (owner == Thread.currentThread()) { // the owner is alive, so no one adopts the part now
            try {
                ownerReset(slot);
            } finally {
                recorder.onRelease();
            }
        } else {
            try {
                store.hooks.recycleObject(slot); // immutable: safe from any thread
            } finally {
                recordAndPush(slot);
            }
        }
    }

    /**
     * Tells the recorder of a release by a thread other than the owner, then pushes the slot:
     * counted before the push, since once pushed the owner may take the slot and count its
     * allocation, and the counts would show one more out than there is.
     */
    private void recordAndPush(Slot<T> slot) {
        try {
            recorder.onRelease();
        } finally {
            push(slot);
        }
    }

    /** Any thread: Treiber push; the CAS publishes slot.next, the object and the reset's writes. */
    private void push(Slot<T> slot) {
        Slot<?> head;
        do {
            head = (Slot<?>) RETURNS.getVolatile(this);
            @SuppressWarnings("unchecked")
            Slot<T> h = (Slot<T>) head;
            slot.spNext(h);
        } while (!RETURNS.compareAndSet(this, head, slot));
        PENDING.getAndAdd(this, 1);
    }

    @Override
    public String toString() {
        return PerThreadPool.KIND + "[" + pool.name + "] part " + number + " of thread '" + owner.getName() + "'";
    }
}
