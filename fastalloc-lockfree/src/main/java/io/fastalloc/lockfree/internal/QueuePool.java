package io.fastalloc.lockfree.internal;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.WaitStrategy;
import io.fastalloc.internal.Exhaustion;
import io.fastalloc.internal.Lease;
import io.fastalloc.internal.LeakTracker;
import io.fastalloc.internal.Messages;
import io.fastalloc.internal.ObjectHooks;
import io.fastalloc.internal.PoolNames;
import io.fastalloc.internal.Slot;
import io.fastalloc.internal.SlotHome;
import io.fastalloc.internal.ThreadRole;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.QueueProgressIndicators;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The engine of the four queue pools ({@code MpmcPool}, {@code SpscPool}, {@code MpscPool},
 * {@code SpmcPool}): a fixed set of {@link Slot}s whose free ones sit in a JCTools queue. The kinds
 * differ only in the queue and in which thread roles checked mode enforces.
 *
 * <pre>
 *   allocate:  free queue --poll--> slot (state even -> odd, plain/opaque) --> handle
 *   release:   handle --CAS state odd -> even (the allocating thread's own close, short path:
 *              a store)--> reset, validate --offer--> free queue
 * </pre>
 *
 * <p><b>Statistics</b>: unchecked, every poll is an allocation or a give-back and every offer after
 * the first {@code capacity} a release or a give-back, so a recorder that takes the pool's own
 * counts ({@link PoolRecorder#attachCounts}) reads them from the queues' indices, and allocate and
 * release record nothing per operation.
 *
 * <p><b>Thread safety</b>: as safe as the queue: any number of allocating threads iff the queue
 * has multiple consumers, any number of releasing threads iff it has multiple producers.
 * {@link #close()}, {@link #available()}, {@link #inUse()} and {@link #capacity()} may be called
 * from any thread. In checked mode a single-consumer kind remembers the first allocating thread
 * and a single-producer kind the first releasing thread, and any other thread in that role gets
 * an {@link IllegalStateException} naming both threads.
 *
 * <p>Slots that an allocating thread must give back without having handed them out (the factory
 * threw, a batch fell short, the pool was closed under it) go back to the free queue when the
 * allocating thread may offer to it (multi-producer queues), otherwise to a side queue
 * ({@code returns}) that only allocating threads offer to and poll from; allocation polls it after
 * the free queue comes up empty.
 *
 * <p><b>Memory effects</b>: a release ends with {@code offer}, which publishes the slot with a
 * release store (JCTools' ordered element/sequence store); an allocation begins with {@code poll},
 * which reads it with a volatile load. So everything the previous holder and the reset function
 * wrote happens-before the next holder gets the object.
 *
 * <p><b>Double close</b>: a second close after the first throws in both modes. A release claims the
 * slot with a CAS from odd to even, so of two racing closes on threads other than the allocating
 * one exactly one wins; with two exceptions, taken for speed as {@code ThreadLocalPool}'s owner
 * close takes them, in unchecked mode without a reset function, validator or per-operation
 * recorder (the short path), where the close checks the state and stores the next one, no atomic:
 * the allocating thread's own close, and every close of a single-releaser kind (SPSC, SPMC), where
 * two threads closing at once already break the kind's thread rule. A store-close racing with a
 * close of the same handle on another thread is the misuse that unchecked mode cannot tell from
 * closing a stale handle (both may succeed); checked mode catches it, since every checked close
 * claims its lease with the CAS (and checks the releasing thread's role).
 *
 * <p><b>Progress</b>: allocate and release are lock-free when the queue is (JCTools' MPMC queue is
 * lock-free only in the absence of a stalled peer in mid-operation: a consumer can spin briefly
 * waiting for a producer that has claimed a cell but not yet written it); {@code tryAllocate}
 * never blocks; {@link #allocate(long, TimeUnit)} waits with the configured {@link WaitStrategy}.
 *
 * @param <T> the type of pooled object
 */
// Not final: each public kind's engine is a subclass that only names its role, so that the run-time
// class is the kind (MpmcQueuePool is an MpmcPool, and nothing else is). Tests build broken variants
// on it with the public constructor.
public class QueuePool<T> extends SlotHome<T> implements Pool<T> {
    private static final VarHandle GIVEN_BACK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            GIVEN_BACK = lookup.findVarHandle(QueuePool.class, "givenBack", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The free slots. Offered to by releasing threads, polled by allocating threads. */
    private final MessagePassingQueue<Slot<T>> queue;
    /**
     * Slots given back by allocating threads when they may not offer to {@link #queue} (a
     * single-producer queue); {@code null} when they may. Offered to and polled by allocating
     * threads only.
     */
    private final MessagePassingQueue<Slot<T>> returns;
    private final int capacity;
    private final boolean checked;
    /**
     * Checked mode's leak watch ({@code null} unchecked). Leaked slots are queued and taken by the
     * next allocation on the allocating thread, so no thread outside the roles ever offers.
     */
    private final LeakTracker<T> leaks;
    /** Checked mode's one allocating thread; {@code null} when any thread may allocate. */
    private final ThreadRole allocating;
    /** Checked mode's one releasing thread; {@code null} when any thread may release. */
    private final ThreadRole releasing;
    /** The user's factory, reset function and validator, and the release sequence that runs them. */
    private final ObjectHooks<T> hooks;
    private final WaitStrategy waitStrategy;
    private final PoolRecorder recorder;
    /**
     * Where allocations and releases are recorded: {@link #recorder}, or the no-op recorder when the
     * recorder took the queues' own indices as its counts ({@link PoolRecorder#attachCounts}).
     */
    private final PoolRecorder events;
    /**
     * Whether allocate and release may take the short path: unchecked, nothing to record per
     * operation, no reset, no validator and eager objects (a slot's object is never {@code null}).
     * One branch on the hot path instead of six; the short path does exactly what the long one
     * would in that configuration.
     */
    private final boolean shortPath;
    /**
     * Whether one thread at a time releases (SPSC, SPMC): then no two closes can race without
     * breaking the kind's thread rule, and an unchecked close needs no atomic on any thread.
     */
    private final boolean singleReleaser;
    /**
     * Slots an allocating thread polled and gave back without handing them out, so that the queues'
     * indices minus these are the allocations and releases. Added to (getAndAdd) on those rare
     * give-backs only; read (getOpaque) by statistics readers.
     */
    @SuppressWarnings("unused") // accessed through GIVEN_BACK
    private long givenBack;
    /** Written once by {@link #close()} (volatile); read by allocating threads (volatile). */
    private volatile boolean closed;

    /**
     * Makes a pool in {@code role} on the role's own queues.
     *
     * @param config the config
     * @param role   which threads may allocate and release
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    protected QueuePool(PoolConfig<T> config, QueueRole role) {
        this(config, role, role.kind(), role.newFreeQueue(config.capacity()), role.newReturnsQueue(config.capacity()));
    }

    /**
     * Makes the slots (and, with {@code EAGER} initialisation, their objects) and puts them all in
     * {@code queue}. The constructing thread offers to the queue here, so it counts as the queue's
     * first producer; handing the pool to other threads safely (a final field, a volatile, a
     * concurrent collection) orders this before their use.
     *
     * @param config  the config
     * @param role    which threads may allocate and release (checked in checked mode)
     * @param kind    the kind's name, for messages
     * @param queue   the free queue: empty, room for {@code config.capacity()} slots
     * @param returns the side queue for allocating threads' give-backs, or {@code null} when they may
     *                offer to {@code queue}
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public QueuePool(PoolConfig<T> config, QueueRole role, String kind, MessagePassingQueue<Slot<T>> queue,
                     MessagePassingQueue<Slot<T>> returns) {
        super(kind, PoolNames.nameOf(config, kind));
        this.capacity = config.capacity();
        this.checked = config.checked();
        this.leaks = checked ? new LeakTracker<>(config.leakListener()) : null;
        this.allocating = role.singleAllocator() ? new ThreadRole(this, "allocating") : null;
        this.releasing = role.singleReleaser() ? new ThreadRole(this, "releasing") : null;
        this.hooks = new ObjectHooks<>(config);
        this.waitStrategy = config.waitStrategy();
        this.recorder = config.recorder();
        this.queue = queue;
        this.returns = returns;
        boolean eager = config.initialization() == InitializationStrategy.EAGER;
        int alignment = config.alignment();
        for (int i = 0; i < capacity; i++) {
            Slot<T> slot = Slot.create(this, i, alignment);
            if (eager) {
                try {
                    slot.spObject(hooks.make());
                } catch (RuntimeException | Error e) {
                    throw new IllegalStateException(Messages.factoryFailed(this, i, capacity), e);
                }
            }
            if (!queue.offer(slot)) {
                throw new IllegalArgumentException("queue: capacity " + queue.capacity() + " (expected: >= "
                        + capacity + ")");
            }
        }
        recorder.onCreate(poolName(), kind, capacity);
        // Unchecked, every poll is an allocation or a give-back and every offer (after the first
        // capacity ones) a release or a give-back, so the queues' indices are the counts. Checked
        // mode also reclaims leaked slots without a poll: it keeps recording each operation.
        boolean indexed = !checked && queue instanceof QueueProgressIndicators
                && (returns == null || returns instanceof QueueProgressIndicators);
        this.events = indexed && recorder.attachCounts(new IndexCounts(this)) ? PoolRecorder.noop() : recorder;
        this.shortPath = !checked && !hooks.runsOnRelease() && eager && events == PoolRecorder.noop();
        this.singleReleaser = role.singleReleaser();
    }

    /**
     * The pool's allocations and releases read from its queues' indices: polls and offers, minus
     * the first {@code capacity} offers and the give-backs.
     */
    private static final class IndexCounts implements PoolRecorder.Counts {
        private final QueuePool<?> pool;

        IndexCounts(QueuePool<?> pool) {
            this.pool = pool;
        }

        @Override
        public long allocations() {
            QueuePool<?> p = pool;
            long polls = ((QueueProgressIndicators) p.queue).currentConsumerIndex();
            if (p.returns != null) {
                polls += ((QueueProgressIndicators) p.returns).currentConsumerIndex();
            }
            return polls - (long) GIVEN_BACK.getOpaque(p);
        }

        @Override
        public long releases() {
            QueuePool<?> p = pool;
            long offers = ((QueueProgressIndicators) p.queue).currentProducerIndex() - p.capacity;
            if (p.returns != null) {
                offers += ((QueueProgressIndicators) p.returns).currentProducerIndex();
            }
            return offers - (long) GIVEN_BACK.getOpaque(p);
        }

        @Override
        public long inUse() {
            return pool.inUse();
        }
    }

    // ------------------------------------------------------------------ allocation

    @Override
    public Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
    }

    /** @return the message of the {@code PoolExhaustedException} that {@link #allocate()} throws */
    public String exhaustedMessage() {
        return Messages.exhausted(this, capacity);
    }

    @Override
    public Handle<T> tryAllocate() {
        if (shortPath) {
            return tryAllocateSimple();
        }
        beginAllocation();
        Slot<T> slot = pollSlot();
        if (slot == null) {
            recorder.onExhausted();
            return null;
        }
        return handOut(slot);
    }

    /**
     * {@link #tryAllocate()} in the {@link #shortPath} configuration: the same steps (closed check,
     * poll, closed re-check, mark held) with the ones that configuration skips left out.
     */
    private Handle<T> tryAllocateSimple() {
        if (closed) {
            throw new IllegalStateException(Messages.closed(this));
        }
        Slot<T> slot = queue.poll();
        if (slot == null && (returns == null || (slot = returns.poll()) == null)) {
            recorder.onExhausted();
            return null;
        }
        if (closed) { // see handOut
            offerBack(slot);
            throw new IllegalStateException(Messages.closed(this));
        }
        // the poller owns the slot it polled: opaque is enough (see markHeld)
        slot.srState(slot.lpState() + 1);
        ((QueueSlot<T>) slot).allocator = Thread.currentThread();
        return slot;
    }

    @Override
    public Handle<T> allocate(long timeout, TimeUnit unit) throws InterruptedException {
        long waitNanos = unit.toNanos(timeout);
        beginAllocation();
        if (Thread.interrupted()) {
            throw new InterruptedException(Messages.interrupted(Messages.prefix(this), true));
        }
        Slot<T> slot = pollSlot();
        if (slot != null) {
            return handOut(slot);
        }
        recorder.onExhausted();
        long start = System.nanoTime();
        // Waiting allocates nothing: a counter, two longs and the strategy's idle call. The elapsed
        // time is compared with the budget (toNanos saturates), so no deadline sum can overflow.
        recorder.onWaitStart(); // ended by the onWait in the finally below, on every path
        try {
            for (int attempt = 0; ; attempt = attempt == Integer.MAX_VALUE ? attempt : attempt + 1) {
                long now = System.nanoTime();
                if (now - start >= waitNanos) {
                    break; // timed out: the exception is made once the wait is recorded as ended
                }
                waitStrategy.idle(attempt);
                if (Thread.interrupted()) {
                    throw new InterruptedException(Messages.interrupted(Messages.prefix(this), false));
                }
                if (closed) {
                    throw new IllegalStateException(Messages.closed(this));
                }
                slot = pollSlot();
                if (slot != null) {
                    break;
                }
            }
        } finally {
            recorder.onWait(System.nanoTime() - start);
        }
        if (slot == null) {
            throw new PoolExhaustedException(Messages.noneReleasedWithin(Messages.exhausted(this, capacity),
                    timeout, unit));
        }
        return handOut(slot);
    }

    @Override
    public List<Handle<T>> allocateBatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        beginAllocation();
        List<Handle<T>> out = new ArrayList<>(count);
        @SuppressWarnings("unchecked")
        Handle<T>[] taken = (Handle<T>[]) new Handle<?>[count];
        int n = takeSlots(taken, 0, count);
        if (n < count) {
            giveBack(taken, 0, n);
            recorder.onExhausted();
            throw new PoolExhaustedException(Messages.batchShort(this, count, n, capacity));
        }
        for (int i = 0; i < count; i++) {
            out.add(markHeld(slotAt(taken, i)));
        }
        return out;
    }

    @Override
    public int allocateBatch(Handle<T>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        beginAllocation();
        // The slots are parked in out itself (a Slot is a Handle) until all have objects.
        int n = takeSlots(out, offset, count);
        if (n < count) {
            recorder.onExhausted();
        }
        for (int i = offset; i < offset + n; i++) {
            out[i] = markHeld(slotAt(out, i));
        }
        return n;
    }

    private static <T> Slot<T> slotAt(Handle<T>[] parked, int i) {
        return (Slot<T>) parked[i];
    }

    /**
     * Polls up to {@code count} slots into {@code into[offset..]} and makes their objects; on a
     * factory failure gives them all back and rethrows; when the pool turns out to be closed,
     * gives them all back and throws.
     */
    private int takeSlots(Handle<T>[] into, int offset, int count) {
        int n = 0;
        while (n < count) {
            Slot<T> slot = pollSlot();
            if (slot == null) {
                break;
            }
            into[offset + n++] = slot;
        }
        try {
            for (int i = offset; i < offset + n; i++) {
                Slot<T> slot = slotAt(into, i);
                if (slot.lpObject() == null) {
                    slot.spObject(hooks.make());
                }
            }
        } catch (RuntimeException | Error e) {
            giveBack(into, offset, n);
            throw e;
        }
        if (closed) {
            giveBack(into, offset, n);
            throw new IllegalStateException(Messages.closed(this));
        }
        return n;
    }

    private void giveBack(Handle<T>[] slots, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            offerBack(slotAt(slots, i));
            slots[i] = null;
        }
    }

    /** Role check and closed check before an allocation. */
    private void beginAllocation() {
        if (allocating != null && checked) {
            allocating.check();
        }
        if (closed) {
            throw new IllegalStateException(Messages.closed(this));
        }
    }

    /**
     * Makes the object if needed, re-checks {@link #closed} and marks the slot held.
     *
     * <p>Why the second look at {@code closed}: if it reads {@code false}, that volatile read comes
     * before {@code close()}'s volatile write in the synchronization order, so the poll before it
     * (program order) also came before {@code close()} returned. Any slot polled after
     * {@code close()} returned therefore sees {@code true} and goes back. Hence no object is handed
     * out by an allocation that polled after {@code close()} returned, and once it has returned
     * the free set only grows.
     */
    private Handle<T> handOut(Slot<T> slot) {
        if (slot.lpObject() == null) {
            try {
                slot.spObject(hooks.make());
            } catch (RuntimeException | Error e) {
                offerBack(slot);
                throw e;
            }
        }
        if (closed) {
            offerBack(slot);
            throw new IllegalStateException(Messages.closed(this));
        }
        return markHeld(slot);
    }

    private Handle<T> markHeld(Slot<T> slot) {
        // The poller owns a slot it polled: no other thread writes its state until it is handed
        // out. Opaque is enough; the handle reaches other threads through the user's own hand-off.
        int held = slot.lpState() + 1;
        slot.srState(held);
        ((QueueSlot<T>) slot).allocator = Thread.currentThread();
        events.onAllocate();
        return checked ? leaks.track(slot, held) : slot;
    }

    private Slot<T> pollSlot() {
        if (leaks != null) {
            Slot<T> leaked = reclaimLeaked();
            if (leaked != null) {
                return leaked;
            }
        }
        Slot<T> slot = queue.poll();
        if (slot == null && returns != null) {
            slot = returns.poll();
        }
        return slot;
    }

    /**
     * Checked mode, on the allocating thread: takes a slot whose lease leaked, if it is still on
     * that lease, with its object discarded (made anew by {@link #handOut}).
     */
    private Slot<T> reclaimLeaked() {
        LeakTracker.Leaked<T> leaked;
        while ((leaked = leaks.poll()) != null) {
            Slot<T> slot = leaked.slot;
            if (slot.casState(leaked.state, leaked.state + 1)) {
                hooks.discard(slot);
                events.onRelease();
                return slot;
            }
        }
        return null;
    }

    /** An allocating thread gives back a slot it polled and did not hand out. */
    private void offerBack(Slot<T> slot) {
        GIVEN_BACK.getAndAdd(this, 1L); // before the offer: the releases read never run ahead
        offer(returns != null ? returns : queue, slot);
    }

    private void offer(MessagePassingQueue<Slot<T>> into, Slot<T> slot) {
        if (!into.offer(slot)) {
            // Only a thread-role violation in unchecked mode can corrupt a single-producer queue so.
            throw new IllegalStateException(Messages.prefix(this) + "the free queue refused slot " + slot.index
                    + ": was the pool used against its thread rules?");
        }
    }

    // ------------------------------------------------------------------ release

    @Override
    protected Slot<T> newSlot(int index, boolean padded) {
        return QueueSlot.create(this, index, padded);
    }

    @Override
    public void release(Slot<T> slot) {
        if (shortPath) {
            // read before the CAS: on x86 the CAS is a full fence that loads after it wait for
            MessagePassingQueue<Slot<T>> q = queue;
            int state = slot.lrState();
            if ((state & 1) == 0) {
                throw new IllegalStateException(Messages.doubleRelease(slot));
            }
            if (singleReleaser || ((QueueSlot<T>) slot).allocator == Thread.currentThread()) {
                // the only releasing thread, or the allocating thread's own close: a store, no
                // atomic (see the class comment)
                slot.srState(state + 1);
            } else if (!slot.casState(state, state + 1)) { // odd -> even: of two foreign closes one wins
                throw new IllegalStateException(Messages.doubleRelease(slot));
            }
            offer(q, slot); // publishes the slot to the next poller (release store)
            return;
        }
        if (releasing != null && checked) {
            releasing.check();
        }
        int state = slot.lrState();
        // CAS odd -> even: of two racing closes exactly one wins
        if ((state & 1) == 0 || !slot.casState(state, state + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(slot));
        }
        recycle(slot);
    }

    @Override
    public void release(Lease<T> lease) {
        if (releasing != null) {
            releasing.check();
        }
        Slot<T> slot = lease.slot;
        if (lease.isClosed() || !slot.casState(lease.state, lease.state + 1)) {
            throw new IllegalStateException(Messages.doubleRelease(lease, slot.lvState()));
        }
        LeakTracker.closed(lease);
        recycle(slot);
    }

    /** Runs reset and validator on a slot marked free, then offers it: the slot always goes back. */
    private void recycle(Slot<T> slot) {
        try {
            hooks.recycleObject(slot);
        } finally {
            try {
                // counted before the offer: once offered, another thread may take the slot and count
                // its allocation, and the counts would show one more out than there is
                events.onRelease();
            } finally {
                // offer publishes the reset object (release store) to the next poller
                offer(queue, slot);
            }
        }
    }

    // ------------------------------------------------------------------ thread roles

    // ------------------------------------------------------------------ state

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int available() {
        int free = queue.size();
        if (returns != null) {
            free += returns.size();
        }
        return Math.min(Math.max(free, 0), capacity);
    }

    @Override
    public int inUse() {
        return capacity - available();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        int free = available();
        return kind() + "{name=" + poolName() + ", capacity=" + capacity + ", available=" + free + ", inUse="
                + (capacity - free) + (closed ? ", closed" : "") + '}';
    }
}
