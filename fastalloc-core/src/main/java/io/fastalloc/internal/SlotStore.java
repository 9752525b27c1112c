package io.fastalloc.internal;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The slots of one pool and its free set: the engine under {@code FixedPool}, {@code GrowingPool},
 * {@code ThreadSafePool} (under its lock) and each thread's part of {@code ThreadLocalPool}.
 *
 * <p>Growth adds slots above the current ones; existing slots (which are the unchecked handles) and
 * their objects never move. Only the table of references to them is copied into a larger one.
 * Trimming removes free slots from the top down to the initial capacity.
 *
 * <p><b>Thread safety</b>: none; the owning pool confines it to one thread or guards it with a lock.
 * Invariant between operations: {@code available() + inUse() == capacity()}, except while a slot is
 * between {@link #markFree} and {@link #recycle} (a shared pool runs the reset function there,
 * outside its lock): such a slot is counted neither free nor in use. In use is derived
 * ({@code capacity - free - detached}), so the hot path keeps no count of its own.
 *
 * <p>Not final: the engines that are one store ({@link ConfinedPool}, {@link LockedPool}) extend it,
 * so that their hot paths reach the free set without a hop through another object; a
 * {@link Part} holds one.
 *
 * @param <T> the type of pooled object
 */
public class SlotStore<T> extends SlotHome<T> {
    private static final VarHandle TAKES;

    static {
        try {
            TAKES = MethodHandles.lookup().findVarHandle(SlotStore.class, "takes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SlotHome<T> home;
    /** The user's factory, reset function and validator, and the release sequence that runs them. */
    final ObjectHooks<T> hooks;
    /**
     * The reset function again, for {@link #releaseHot}: the hot slot's release reads it straight
     * from this store, without the hop through {@link #hooks}.
     */
    private final Consumer<? super T> reset;
    /** Whether a validator is set: a pool with one does not use the {@link #hot} slot. */
    private final boolean validates;
    private final GrowthStrategy growth;
    private final PoolRecorder recorder;
    private final boolean eager;
    private final int alignment;
    private final int initialCapacity;
    private final int maxCapacity;
    /** The free set for FREE_LIST and BITMAP; {@code null} for STACK, which uses {@link #refs}. */
    private final FreeSlots free;
    /**
     * STACK's free set: the free slots themselves, the most recently released on top at
     * {@code refTop - 1}. Holding references instead of indices saves the hot path one dependent
     * load (index, then slot); {@code null} for the other strategies.
     */
    private Slot<T>[] refs;
    private int refTop;
    /**
     * STACK, unchecked single-threaded pools only ({@link #takeUnchecked}, {@link #releaseHot}):
     * the slot the owner took last from the stack, or {@code null}. It is never in {@link #refs};
     * while its state is even it is free, and it is then the top of the free stack (the most
     * recently released slot). So an allocate + close in one scope takes and gives back this slot
     * by its state alone: neither touches the stack, and the next allocation does not wait for a
     * store to the pool, only for the slot's own state. Every other operation on the free set
     * first puts a free hot slot back on the stack ({@link #flushHot}).
     */
    private Slot<T> hot;
    private Slot<T>[] slots;
    private int capacity;
    /** Slots between {@link #markFree} (or {@link #countFreed}) and {@link #recycle}. */
    private int detached;
    /**
     * The fewest free slots seen by {@link #countTakes} since the capacity last changed: the peak
     * in use since then is {@code capacity - lowFree}. Kept only for an owner that counts (its
     * statistics read its own counts), so the take path pays nothing for it otherwise.
     */
    private int lowFree;
    /** The peak in use before the capacity last changed. */
    private int peakBefore;
    /**
     * Takes counted by the owner for its statistics ({@link #countTakes}): written by the owner's
     * thread or the holder of its lock with a plain store (a release store cost a measurable part of
     * the statistics budget per allocate + close on {@code FixedPool}; HotSpot does not split a
     * 64-bit store on the 64-bit platforms it runs on), read by any thread
     * (acquire load, then the free set). So while the owner works, releases derived as takes - in
     * use may be off by one either way; they are exact when it is quiet.
     */
    private long takes;

    /**
     * Builds the slots, and with {@code EAGER} initialisation their objects.
     *
     * @param config          the pool's config
     * @param home            the pool the slots belong to
     * @param initialCapacity slots to start with
     * @param maxCapacity     the most slots growth may reach
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    SlotStore(PoolConfig<T> config, SlotHome<T> home, int initialCapacity, int maxCapacity) {
        this(config, initialCapacity, maxCapacity, home, home.poolName(), home.kind());
    }

    /**
     * For a pool that is its own store and its slots' home: it overrides the {@link SlotHome}
     * releases; its name and kind are set (in {@link SlotHome}) before any slot is made.
     *
     * @param config          the pool's config
     * @param name            the pool's name
     * @param kind            the pool's kind
     * @param initialCapacity slots to start with
     * @param maxCapacity     the most slots growth may reach
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    protected SlotStore(PoolConfig<T> config, String name, String kind, int initialCapacity, int maxCapacity) {
        this(config, initialCapacity, maxCapacity, null, name, kind);
    }

    @SuppressWarnings({"unchecked", "this-escape"})
    private SlotStore(PoolConfig<T> config, int initialCapacity, int maxCapacity, SlotHome<T> home,
                      String name, String kind) {
        super(kind, name);
        this.home = home != null ? home : this;
        this.hooks = new ObjectHooks<>(config);
        this.reset = config.reset();
        this.validates = config.validator() != null;
        this.growth = config.growthStrategy();
        this.recorder = config.recorder();
        this.eager = config.initialization() == InitializationStrategy.EAGER;
        this.alignment = config.alignment();
        this.initialCapacity = initialCapacity;
        this.maxCapacity = maxCapacity;
        this.slots = newSlots(initialCapacity, 0, initialCapacity);
        this.capacity = initialCapacity;
        if (config.allocationStrategy() == AllocationStrategy.STACK) {
            this.free = null;
            this.refs = newSlotArray(initialCapacity);
            pushRange(0, initialCapacity);
        } else {
            this.free = FreeSlots.create(config.allocationStrategy(), initialCapacity);
        }
        this.lowFree = freeCount();
    }

    @SuppressWarnings("unchecked")
    private static <T> Slot<T>[] newSlotArray(int length) {
        return (Slot<T>[]) new Slot<?>[length];
    }

    /** STACK: frees the new slots [from, to) below the free ones, lowest index nearest the top. */
    private void pushRange(int from, int to) {
        flushHot();
        int n = to - from;
        Slot<T>[] r = refs;
        if (r.length < to) { // room for every slot: all may be free at once
            refs = r = Arrays.copyOf(r, to);
        }
        System.arraycopy(r, 0, r, n, refTop);
        for (int i = 0; i < n; i++) {
            r[i] = slots[to - 1 - i];
        }
        refTop += n;
    }

    /** {@return a free slot taken from the free set, or {@code null}} */
    private Slot<T> pollFree() {
        Slot<T>[] r = refs;
        if (r != null) {
            Slot<T> h = hot;
            if (h != null) {
                hot = null;
                if ((h.lpState() & 1) == 0) {
                    return h;
                }
            }
            int t = refTop;
            if (t == 0) {
                return null;
            }
            refTop = --t;
            return r[t];
        }
        int i = free.poll();
        return i < 0 ? null : slots[i];
    }

    private void pushFree(Slot<T> slot) {
        Slot<T>[] r = refs;
        if (r != null) {
            if (hot == slot) {
                hot = null;
            } else {
                flushHot(); // a free hot slot goes on the stack first: this one is newer
            }
            r[refTop++] = slot;
        } else {
            free.push(slot.index);
        }
    }

    /** Puts the hot slot on the free stack if it is free, and forgets it. */
    private void flushHot() {
        Slot<T> h = hot;
        if (h != null) {
            hot = null;
            if ((h.lpState() & 1) == 0) {
                refs[refTop++] = h;
            }
        }
    }

    /** Free slots; read by other threads too (statistics), where it is an estimate. */
    private int freeCount() {
        if (refs == null) {
            return free.size();
        }
        Slot<T> h = hot;
        return h != null && (h.lpState() & 1) == 0 ? refTop + 1 : refTop;
    }

    @SuppressWarnings("unchecked")
    private Slot<T>[] newSlots(int length, int from, int to) {
        Slot<T>[] made = (Slot<T>[]) new Slot<?>[length];
        for (int i = from; i < to; i++) {
            Slot<T> slot = Slot.create(home, i, alignment);
            if (eager) {
                try {
                    slot.spObject(hooks.make());
                } catch (RuntimeException | Error e) {
                    if (from == 0) {
                        throw new IllegalStateException(Messages.factoryFailed(home, i, to), e);
                    }
                    throw e; // growth: the caller reports it, the pool keeps its old capacity
                }
            }
            made[i - from] = slot;
        }
        return made;
    }

    /**
     * Takes a free slot and marks it held, growing if the free set is empty. Does not make the
     * object: call {@link #fill} next (outside any lock if wanted), and {@link #untake} if that fails.
     *
     * @return the slot, or {@code null} when none is free and the store cannot grow
     */
    final Slot<T> takeSlot() {
        Slot<T> slot = pollOrGrow();
        if (slot != null) {
            slot.spState(slot.lpState() + 1);
        }
        return slot;
    }

    /** {@return a free slot, not yet marked held, growing first if none is free; {@code null} when it cannot grow} */
    private Slot<T> pollOrGrow() {
        Slot<T> slot = pollFree();
        return slot != null || !grow() ? slot : pollFree();
    }

    /**
     * As {@link #takeSlot()}, for a pool that reads no generations (unchecked, slots guarded by
     * one thread or one lock): marks the slot held by storing {@link Slot#HELD}, see
     * {@link #takeUnchecked}.
     *
     * @return a free slot marked held, its object possibly not yet made; {@code null} when none is
     *         free and the store cannot grow
     */
    final Slot<T> takeSlotUnchecked() {
        Slot<T> slot = pollOrGrow();
        if (slot != null) {
            slot.spState(Slot.HELD);
        }
        return slot;
    }

    /**
     * Takes a free slot with its object.
     *
     * @return the slot, held, or {@code null} when none is free and the store cannot grow
     * @throws RuntimeException whatever the factory threw for a lazily made object; nothing was taken
     */
    final Slot<T> take() {
        Slot<T>[] r = refs;
        int t = refTop - 1;
        if (r != null && t >= 0 && hot == null) { // STACK with a free slot: the hot path
            Slot<T> slot = r[t];
            refTop = t;
            slot.spState(slot.lpState() + 1);
            if (slot.lpObject() != null) {
                return slot;
            }
            return filled(slot);
        }
        Slot<T> slot = takeSlot();
        return slot != null && slot.lpObject() == null ? filled(slot) : slot;
    }

    /**
     * As {@link #take()}, for a single-threaded pool that reads no generations (unchecked): marks
     * the slot held by storing {@link Slot#HELD} instead of counting a generation (a store does not
     * wait for the slot's last write, where an increment would), and with STACK takes the
     * {@link #hot} slot when it is free, or else pops the stack and makes the popped slot the hot
     * one. The pool releases a hot slot with {@link #releaseHot}, any other with {@link #releaseSlot}.
     *
     * @param count whether to count the take for the owner's statistics ({@link #countTakes}):
     *              a constant at each call site, so the compiled path has no test of it
     * @return a free slot, marked held, with its object; {@code null} when none is free and the
     *         store cannot grow
     * @throws RuntimeException whatever the factory threw; the slot stays free
     */
    final Slot<T> takeUnchecked(boolean count) {
        Slot<T> h = hot;
        if (h != null && (h.lpState() & 1) == 0) { // free again, so the top of the free set
            h.spState(Slot.HELD);
            if (h.lpObject() == null) {
                filled(h);
            }
            if (count) { // countTakes(1) less its look at the free set: no hot slot is free now
                int f = refTop;
                if (f < lowFree) { // a pop whose lazy factory failed left h hot and uncounted
                    lowFree = f;
                }
                takes++; // plain: see the field
            }
            return h;
        }
        Slot<T>[] r = refs;
        int t = refTop - 1;
        Slot<T> slot;
        if (r != null && t >= 0) {
            slot = r[t];
            refTop = t;
            if (!validates) { // see releaseHot
                hot = slot; // a held hot slot that is replaced is forgotten: its release pushes it
            }
            slot.spState(Slot.HELD);
            if (slot.lpObject() == null) {
                filled(slot);
            }
        } else if ((slot = take()) == null) {
            return null;
        }
        if (count) {
            countTakes(1);
        }
        return slot;
    }

    private Slot<T> filled(Slot<T> slot) {
        try {
            fill(slot);
        } catch (RuntimeException | Error e) {
            untake(slot);
            throw e;
        }
        return slot;
    }

    /**
     * Makes the slot's object if it has none.
     *
     * @param slot a slot just taken
     */
    final void fill(Slot<T> slot) {
        if (slot.lpObject() == null) {
            slot.spObject(hooks.make());
        }
    }

    /**
     * Gives back a slot that {@link #takeSlot()} returned, as if it had never been taken. Undo the
     * takes of a batch in reverse order to restore the free set's order exactly.
     *
     * @param slot the slot
     */
    final void untake(Slot<T> slot) {
        slot.spState(slot.lpState() - 1);
        if (refs != null) {
            if (slot != hot) { // the hot slot is free, and the top, by its state alone
                pushFree(slot);
            }
        } else {
            free.undoPoll(slot.index);
        }
    }

    /**
     * Marks a held slot free (next generation); the caller has checked that it was held.
     *
     * @param slot the slot
     */
    final void markFree(Slot<T> slot) {
        slot.spState(slot.lpState() + 1);
        detached++;
    }

    /**
     * Counts a held slot as free whose state the caller already advanced from odd to even (a
     * concurrent pool's CAS, which decides which of two racing closes wins). Then, as after
     * {@link #markFree}: {@link ObjectHooks#recycleObject} and {@link #recycle}.
     *
     * @param slot the slot, its state already even
     */
    final void countFreed(Slot<T> slot) {
        detached++;
    }

    /**
     * Puts a slot marked free back in the free set, after {@link ObjectHooks#recycleObject} (or
     * {@link ObjectHooks#discard}) ran on it.
     *
     * @param slot the slot
     */
    final void recycle(Slot<T> slot) {
        detached--;
        pushFree(slot);
    }

    /**
     * Releases a held slot: marks it free, resets and validates its object, and gives it back (the
     * {@link #hot} slot by its state alone, any other onto the free set). If the reset function or
     * validator throws, the object is discarded, the slot still goes back, and the exception
     * reaches the caller.
     *
     * @param slot a held slot, checked by the caller
     */
    final void releaseSlot(Slot<T> slot) {
        slot.spState(slot.lpState() + 1);
        try {
            hooks.recycleObject(slot);
        } finally {
            giveBack(slot);
        }
    }

    /**
     * @param slot a slot
     * @return whether it is the {@link #hot} slot, which only {@link #takeUnchecked} sets, and
     *         only for a pool without a validator
     */
    final boolean isHot(Slot<T> slot) {
        return slot == hot;
    }

    /**
     * Releases the {@link #hot} slot (the caller checked {@link #isHot}): marks it free and resets
     * its object; that is all, since a free hot slot is the top of the free set by its state. A
     * hot slot's pool has no validator. If the reset function throws, the object is discarded
     * (made anew on its next allocation), the slot is still free, and the exception reaches the
     * caller.
     *
     * @param slot the hot slot, held
     * @param s    its state as the caller read it (odd)
     */
    final void releaseHot(Slot<T> slot, int s) {
        slot.spState(s + 1);
        T object = slot.lpObject();
        if (object != null && reset != null) {
            try {
                reset.accept(object);
            } catch (RuntimeException | Error e) {
                hooks.discard(slot);
                throw e;
            }
        }
    }

    private void giveBack(Slot<T> slot) {
        if (slot != hot) {
            pushFree(slot);
        }
    }

    /**
     * Grows by the growth strategy, up to the maximum. The new slots (and, eagerly, their objects)
     * are all made before any is added, so a failing factory leaves the store as it was.
     *
     * @return whether it grew
     */
    final boolean grow() {
        int newCapacity = growth.nextCapacity(capacity, maxCapacity);
        return newCapacity > capacity && growTo(newCapacity);
    }

    /**
     * Grows to exactly {@code newCapacity}.
     *
     * @param newCapacity the new capacity, above the current one and at most the maximum
     * @return {@code true}
     */
    final boolean growTo(int newCapacity) {
        int old = capacity;
        int peak = peakTaken();
        Slot<T>[] segment = newSlots(newCapacity - old, old, newCapacity);
        if (slots.length < newCapacity) {
            slots = Arrays.copyOf(slots, Math.max(newCapacity, Math.min(maxCapacity, slots.length * 2)));
        }
        System.arraycopy(segment, 0, slots, old, segment.length);
        if (refs != null) {
            pushRange(old, newCapacity);
        } else {
            free.addRange(old, newCapacity);
        }
        capacity = newCapacity;
        peakBefore = peak;
        lowFree = freeCount();
        recorder.onCapacityChange(old, newCapacity);
        return true;
    }

    /**
     * Gives back the free slots at the top, down to the initial capacity: stops at the highest slot
     * that is held. Effective with {@code BITMAP}, which keeps the live set at the bottom.
     *
     * @return how many slots were removed
     */
    protected int trim() {
        if (capacity <= initialCapacity || freeCount() == 0) {
            return 0;
        }
        long[] freeBits = new long[(capacity + 63) >>> 6];
        if (refs != null) {
            flushHot();
            for (int i = 0; i < refTop; i++) {
                int index = refs[i].index;
                freeBits[index >>> 6] |= 1L << index;
            }
        } else {
            free.markFree(freeBits);
        }
        int newCapacity = capacity;
        while (newCapacity > initialCapacity && (freeBits[(newCapacity - 1) >>> 6] & (1L << (newCapacity - 1))) != 0) {
            newCapacity--;
        }
        int removed = capacity - newCapacity;
        if (removed == 0) {
            return 0;
        }
        if (refs != null) {
            int kept = 0;
            for (int i = 0; i < refTop; i++) {
                if (refs[i].index < newCapacity) {
                    refs[kept++] = refs[i];
                }
            }
            Arrays.fill(refs, kept, refTop, null);
            refTop = kept;
        } else {
            free.removeAtOrAbove(newCapacity);
        }
        Arrays.fill(slots, newCapacity, capacity, null);
        int old = capacity;
        int peak = peakTaken();
        capacity = newCapacity;
        peakBefore = peak;
        lowFree = freeCount();
        recorder.onCapacityChange(old, newCapacity);
        return removed;
    }

    /**
     * @param count objects wanted
     * @return whether {@code count} slots can be had now, growing as needed
     */
    final boolean canTake(int count) {
        int reachable = freeCount();
        int c = capacity;
        while (reachable < count) { // follow the growth strategy: it may stop below maxCapacity
            int next = growth.nextCapacity(c, maxCapacity);
            if (next <= c) {
                return false;
            }
            reachable += next - c;
            c = next;
        }
        return true;
    }

    /** {@return slots now} */
    public int capacity() {
        return capacity;
    }

    /** {@return the most slots} */
    final int maxCapacity() {
        return maxCapacity;
    }

    /** {@return slots to start with, the floor for trimming} */
    final int initialCapacity() {
        return initialCapacity;
    }

    /** {@return free slots} */
    public int available() {
        return freeCount();
    }

    /**
     * Returns the most slots that were not free at once (held, or detached for their reset), as
     * seen at each {@link #countTakes}. Racy but harmless when read from another thread.
     *
     * @return the most slots that were not free at once
     */
    final int peakTaken() {
        return Math.max(peakBefore, capacity - lowFree);
    }

    /**
     * Counts takes for a pool's statistics, after they are taken, and notes the peak; one writer at
     * a time (the owner's thread, or the holder of the owner's lock).
     *
     * @param n takes to add
     */
    final void countTakes(int n) {
        int f = refs != null ? refTop : free.size(); // freeCount(): after a take no hot slot is free
        if (f < lowFree) {
            lowFree = f;
        }
        takes += n; // plain: see the field
    }

    /**
     * Returns the takes counted by {@link #countTakes}; any thread.
     *
     * @return the takes counted by {@link #countTakes}
     */
    final long takesCounted() {
        return (long) TAKES.getAcquire(this);
    }

    /** {@return held slots} */
    public int inUse() {
        return heldSlots();
    }

    private int heldSlots() {
        return capacity - freeCount() - detached;
    }

    /**
     * For an owner that offers its counts to statistics: allocations are the takes counted by
     * {@link #countTakes}, releases are derived (those takes minus the slots held now, read without
     * the owner's lock, if it has one; the {@code takes} field says how far a live read may be
     * off), the peak is {@link #peakTaken()}. Any thread may read them.
     *
     * @return a view of this store's counts
     */
    final PoolRecorder.Counts counts() {
        return new Counts<>(this);
    }

    /** See {@link #counts()}. */
    private static final class Counts<T> implements PoolRecorder.Counts {
        private final SlotStore<T> store;

        Counts(SlotStore<T> store) {
            this.store = store;
        }

        @Override
        public long allocations() {
            return store.takesCounted();
        }

        @Override
        public long releases() {
            return store.takesCounted() - store.heldSlots();
        }

        @Override
        public long peakInUse() {
            return store.peakTaken();
        }

        /** The held slots as the free set shows them; read racily, so kept within 0 and the capacity. */
        @Override
        public long inUse() {
            SlotStore<T> st = store;
            return Math.max(0, Math.min(st.heldSlots(), st.capacity));
        }
    }

    /**
     * @param index a slot index below {@link #capacity()}
     * @return the slot
     */
    final Slot<T> slot(int index) {
        return slots[index];
    }

    /** As {@link #release(Slot)}: a store whose slots have another home asks that home. */
    @Override
    protected Slot<T> newSlot(int index, boolean padded) {
        throw new UnsupportedOperationException("the slots of this store are made by their home");
    }

    /**
     * A store whose slots have another home (a {@code ThreadLocalPool}'s part) is never asked:
     * its slots go back to that home. A pool that is its own store overrides this.
     */
    @Override
    protected void release(Slot<T> slot) {
        throw new UnsupportedOperationException("the slots of this store are released to their home");
    }

    /** As {@link #release(Slot)}. */
    @Override
    protected void release(Lease<T> lease) {
        throw new UnsupportedOperationException("the leases of this store are released to their home");
    }
}
