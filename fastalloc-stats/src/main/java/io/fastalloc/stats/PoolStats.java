package io.fastalloc.stats;

import io.fastalloc.PoolRecorder;
import jdk.jfr.EventType;
import org.agrona.concurrent.status.AtomicCounter;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * One pool's statistics: the {@link PoolRecorder} the pool reports to, and the counters it writes.
 * Made by {@link StatsRegistry#recorder()} (single writer) or
 * {@link StatsRegistry#concurrentRecorder()} (any number of writers) and given to the pool with
 * {@link io.fastalloc.PoolConfig.Builder#recorder(PoolRecorder)}:
 *
 * <pre>{@code
 * StatsRegistry stats = StatsRegistry.mapped(Path.of("/dev/shm/orders-app"));
 * PoolStats orderStats = stats.recorder();
 * FixedPool<Order> orders = FixedPool.create(PoolConfig.<Order>builder()
 *     .name("orders").capacity(1024).factory(Order::new).recorder(orderStats).build());
 * PoolStatistics snapshot = orderStats.statistics();
 * }</pre>
 *
 * <p>The counters are registered when the pool starts using the recorder ({@link #onCreate}); a
 * recorder serves exactly one pool, and a name already registered in the same registry is rejected
 * there with an {@link IllegalStateException}, so the pool is not created.
 *
 * <p>Four implementations, picked by the registry: single-writer with lazy publication (the
 * default {@link StatsRegistry#recorder()}: counts in its own fields, published to the counters
 * every publish interval), single-writer write-through ({@code publishInterval(Duration.ZERO)}:
 * release stores into the counters), concurrent striped (the default
 * {@link StatsRegistry#concurrentRecorder()}: cells picked by thread id, summed on read, sampled
 * peak) and concurrent write-through (atomic adds, exact peak). {@code FixedPool},
 * {@code GrowingPool} and {@code ThreadSafePool} (which makes every recorder call under its lock)
 * take a single-writer recorder; {@code ThreadLocalPool} and the lock-free pools a concurrent one
 * (a concurrent recorder also works on any kind).
 *
 * <p><b>Thread safety</b>: the read side ({@link #statistics()}, {@link #snapshotInto},
 * {@link #value(PoolCounter)}, JMX, Micrometer) may be used from any thread at any time. The
 * recording side depends on the flavour ({@link #isConcurrent()}): a single-writer recorder must be
 * called by one thread at a time with a happens-before edge between callers (a confined pool, or a
 * pool that makes every call under one lock); a concurrent recorder may be called by any number of threads
 * at once.
 *
 * <p><b>Memory effects</b>: every count is written with a release store (by its only writer) or an
 * atomic add, and read with an acquire load, so a reader that sees a count sees what its writer
 * counted before it.
 *
 * <p><b>What every read guarantees</b>, while any number of threads work the pool, for every reader
 * ({@link #statistics()}, {@link #snapshotInto}, {@link #value(PoolCounter)}, JMX, Micrometer, and
 * {@code fastalloc-stat} from another process):
 * <ol>
 *   <li>{@code releases <= allocations}: releases are read before allocations, and a pool counts
 *       an object's allocation (after it took the slot) before its release (before the slot can be
 *       taken again).</li>
 *   <li>{@code 0 <= inUse <= capacity}: in use is one value the pool or a writer kept (the pool's
 *       free set, or a counter one writer stores), or {@code allocations - releases} from a pair
 *       of reads between which no release was counted (then it was the count out at one instant),
 *       or, when releases kept coming through a few tries, a lower bound of what was out as
 *       the last try began. It never counts an object twice.</li>
 *   <li>{@code inUse <= peak <= capacity}: the peak read is raised to the in use read.</li>
 *   <li>No count, nor the peak, is below what an earlier read reported: reads keep high-water marks
 *       of their own (readers write them, recording never touches them).</li>
 * </ol>
 * In use and the capacity may fall from one read to the next; after {@code trim()} the peak of a
 * grown pool may exceed its capacity now.
 *
 * <p><b>Progress</b>: recording is wait-free, except the concurrent write-through peak's
 * compare-and-set, which is lock-free; it never allocates (JFR events allocate only while a
 * recording enables them; the striped recorder's cells are made with it). Waits, a slow path, also
 * count the threads waiting now ({@link #waitingThreads()}: an atomic add when one starts, a
 * compare-and-set loop when it ends, lock-free) and feed the wait timers of bound
 * {@link FastallocMetrics} on the waiting thread.
 */
public abstract class PoolStats implements PoolRecorder, AutoCloseable {
    private static final EventType EXHAUSTED_EVENT = EventType.getEventType(PoolExhaustedEvent.class);
    private static final EventType GROWTH_EVENT = EventType.getEventType(PoolGrowthEvent.class);
    private static final EventType WAIT_EVENT = EventType.getEventType(PoolWaitEvent.class);
    private static final VarHandle WAITING;
    private static final VarHandle READ_ALLOCATIONS;
    private static final VarHandle READ_RELEASES;
    private static final VarHandle READ_PEAK;
    private static final WaitObserver[] NO_WAIT_OBSERVERS = {};
    /**
     * The {@link PoolWaitEvent} the current thread began in {@link #onWaitStart()}, ended by its
     * {@link #onWait(long)}: a thread waits for one pool at a time, so one slot per thread serves
     * every pool. Set only while a recording enables the event, so a thread never touches it while
     * JFR is off (nothing allocated).
     */
    private static final ThreadLocal<PoolWaitEvent> WAIT_IN_PROGRESS = new ThreadLocal<>();
    /**
     * Whether any thread ever began a {@link PoolWaitEvent}; from then on a wait that starts while
     * the event is disabled clears the thread's slot, so a wait never ends an event begun by an
     * earlier one. Written (once, false to true) and read by waiting threads, volatile.
     */
    private static volatile boolean waitEventBegun;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITING = lookup.findVarHandle(PoolStats.class, "waiting", long.class);
            READ_ALLOCATIONS = lookup.findVarHandle(PoolStats.class, "readAllocations", long.class);
            READ_RELEASES = lookup.findVarHandle(PoolStats.class, "readReleases", long.class);
            READ_PEAK = lookup.findVarHandle(PoolStats.class, "readPeak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final StatsRegistry registry;
    private final String fixedName;
    final long waitEventThresholdNanos;

    // Written once under the registry's lock in onCreate, read by any thread after the pool is
    // published (the pool's own publication, or the registry lock for readers that find it there).
    volatile String name;
    volatile String kind = "";
    // Guarded by this (registerMBean / unregisterMBean).
    private ObjectName objectName;
    private MBeanServer mbeanServer;
    private boolean created;
    // Set by detach() under the registry's lock; read by counterId (volatile).
    private volatile boolean detached;

    /** Where a pool's wait buckets start in the counters the registry makes for it: after the PoolCounters. */
    static final int WAIT_BUCKETS_AT = PoolCounter.values().length;
    /** How many times {@link #snapshotInto} reads the counts again, at most, before it settles for a bound. */
    static final int COLLECTS = 4;

    // The highest values reads have reported, so that no read reports less than an earlier one:
    // raised by readers only (compareAndExchange), read by readers (getAcquire). Recording never
    // touches them.
    @SuppressWarnings("unused") // through READ_ALLOCATIONS
    private long readAllocations;
    @SuppressWarnings("unused") // through READ_RELEASES
    private long readReleases;
    @SuppressWarnings("unused") // through READ_PEAK
    private long readPeak;
    // Threads between onWaitStart and onWait: added to by waiting threads as they start (getAndAdd),
    // taken from as they end (compareAndSet, never below 0); read by waitingThreads (volatile).
    private volatile long waiting;
    // The bound FastallocMetrics' wait timers: replaced (copy on write) under this by
    // addWaitObserver / removeWaitObserver; read by waiting threads in onWait (volatile).
    private volatile WaitObserver[] waitObservers = NO_WAIT_OBSERVERS;

    // The counters: assigned in register() before the pool's first operation; swapped for detached
    // counters by close(). Recording threads read the fields plainly: they were set before the
    // pool was published to them.
    AtomicCounter allocations;
    AtomicCounter releases;
    AtomicCounter exhaustions;
    AtomicCounter waits;
    AtomicCounter waitNanos;
    AtomicCounter growths;
    AtomicCounter inUse;
    AtomicCounter peakInUse;
    AtomicCounter capacity;
    AtomicCounter discards;
    // The waits per bucket of WaitHistogram and the longest wait: assigned and swapped as the counters
    // above; written by waiting threads (getAndAdd, proposeMax), read with acquire.
    AtomicCounter[] waitBuckets;
    AtomicCounter waitMax;

    PoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos, boolean concurrent) {
        this.registry = registry;
        this.fixedName = fixedName;
        this.waitEventThresholdNanos = waitEventThresholdNanos;
        this.concurrent = concurrent;
    }

    /**
     * Whether several threads may call this recorder at once ({@link #isConcurrent()}): the counts
     * that every recorder keeps alike (exhaustions, waits, growths, discards) then take atomic adds,
     * else a single writer's release stores.
     */
    private final boolean concurrent;

    /** {@return {@code true} when several threads may record at once (made for a shared pool)} */
    public final boolean isConcurrent() {
        return concurrent;
    }

    /** Adds {@code delta} to a counter: an atomic add for a concurrent recorder, else a release store. */
    private void add(AtomicCounter counter, long delta) {
        if (concurrent) {
            counter.getAndAdd(delta);
        } else {
            counter.setRelease(counter.getPlain() + delta);
        }
    }

    @Override
    public final void onExhausted() {
        add(exhaustions, 1);
        exhaustedEvent();
    }

    @Override
    public final void onWait(long waitedNanos) {
        add(waits, 1);
        add(waitNanos, waitedNanos);
        waitEvent(waitedNanos);
    }

    @Override
    public final void onCapacityChange(int oldCapacity, int newCapacity) {
        if (concurrent) {
            capacity.set(newCapacity);
        } else {
            capacity.setRelease(newCapacity);
        }
        if (newCapacity > oldCapacity) {
            add(growths, 1);
            growthEvent(oldCapacity, newCapacity);
        }
    }

    @Override
    public final void onDiscard() {
        add(discards, 1);
    }

    /**
     * Registers this pool's counters. Called once by the pool as it is made.
     *
     * @throws IllegalStateException when this recorder already serves a pool, when another pool of
     *                               the registry has the same name, or when the registry is closed or full
     */
    @Override
    public final void onCreate(String poolName, String kind, int capacity) {
        String n = fixedName != null ? fixedName : poolName;
        registry.register(this, n, kind, capacity);
    }

    /** Called by the registry under its lock. */
    final void created(String poolName, String poolKind, AtomicCounter[] counters, long initialCapacity) {
        if (created) {
            throw new IllegalStateException("PoolStats '" + name + "' already serves a pool (" + kind
                    + "); make one recorder per pool");
        }
        created = true;
        this.allocations = counters[PoolCounter.ALLOCATIONS.ordinal()];
        this.releases = counters[PoolCounter.RELEASES.ordinal()];
        this.exhaustions = counters[PoolCounter.EXHAUSTIONS.ordinal()];
        this.waits = counters[PoolCounter.WAITS.ordinal()];
        this.waitNanos = counters[PoolCounter.WAIT_NANOS.ordinal()];
        this.growths = counters[PoolCounter.GROWTHS.ordinal()];
        this.inUse = counters[PoolCounter.IN_USE.ordinal()];
        this.peakInUse = counters[PoolCounter.PEAK_IN_USE.ordinal()];
        this.capacity = counters[PoolCounter.CAPACITY.ordinal()];
        this.discards = counters[PoolCounter.DISCARDS.ordinal()];
        this.waitBuckets = Arrays.copyOfRange(counters, WAIT_BUCKETS_AT, WAIT_BUCKETS_AT + WaitHistogram.BUCKETS);
        this.waitMax = counters[WAIT_BUCKETS_AT + WaitHistogram.BUCKETS];
        this.capacity.setRelease(initialCapacity);
        this.kind = poolKind;
        this.name = poolName;
    }

    final boolean isCreated() {
        return created;
    }

    /** {@return the pool's name, or {@code null} before a pool uses this recorder} */
    public final String poolName() {
        return name;
    }

    /** {@return the pool kind, such as {@code "FixedPool"}, or "" before a pool uses this recorder} */
    public final String kind() {
        return kind;
    }

    /**
     * Reads one counter now.
     *
     * @param counter which counter
     * @return its value now (acquire load), or 0 before a pool uses this recorder
     */
    public final long value(PoolCounter counter) {
        AtomicCounter c = counter(counter);
        if (c == null) {
            return 0;
        }
        switch (counter) {
            case ALLOCATIONS:
            case RELEASES:
            case IN_USE:
            case PEAK_IN_USE:
                // read with the others, so that the invariants hold between separate calls too
                PoolStatistics s = snapshotInto(new PoolStatistics());
                return counter == PoolCounter.ALLOCATIONS ? s.totalAllocations()
                        : counter == PoolCounter.RELEASES ? s.totalReleases()
                        : counter == PoolCounter.IN_USE ? s.currentUsage() : s.peakUsage();
            default:
                return c.getAcquire();
        }
    }

    /**
     * Allocations counted so far, including the pool's own counts: any thread. Every allocation
     * adds exactly one, and a pool counts an object's allocation after it took the slot.
     */
    long allocationsNow() {
        return allocations.getAcquire();
    }

    /**
     * Releases counted so far, as {@link #allocationsNow()}. A pool counts a release before the slot
     * can be taken again, so no allocation of a slot is counted before the release that freed it.
     */
    long releasesNow() {
        return releases.getAcquire();
    }

    /**
     * Objects out now when this flavour knows it from one value (a counter its writers keep, or the
     * pool's own free set), never below 0 nor above the capacity; {@code -1} to have
     * {@link #snapshotInto} derive it from the counts.
     */
    long inUseNow() {
        return -1;
    }

    /** The peak in use this flavour's writers (or the pool) keep; the reads raise it further. */
    long peakNow() {
        return peakInUse.getAcquire();
    }

    /**
     * Copies counts kept on the heap into the Agrona counters. Called under the registry's lock by
     * its publisher; a no-op for flavours that write the counters directly.
     */
    void publish() {
    }

    /**
     * {@link #publish()} for the flavours that keep counts on the heap: copies a consistent read
     * into the counters, for another process, the allocations before the releases and the peak
     * before in use, so that a reader that reads releases, then allocations, then in use, then the
     * peak never sees {@code releases > allocations} nor {@code inUse > peak}. A concurrent
     * recorder's peak counter is also raised by reads, so it only ever raises it.
     *
     * @param scratch the flavour's own statistics object, reused
     */
    final void publishRead(PoolStatistics scratch) {
        AtomicCounter a = allocations;
        if (a == null) {
            return;
        }
        PoolStatistics s = snapshotInto(scratch);
        a.setRelease(s.totalAllocations());
        releases.setRelease(s.totalReleases());
        if (concurrent) {
            peakInUse.proposeMax(s.peakUsage());
        } else {
            peakInUse.setRelease(s.peakUsage());
        }
        inUse.setRelease(s.currentUsage());
    }

    /**
     * Returns the Agrona counter id of one counter.
     *
     * @param counter which counter
     * @return the Agrona counter id in the registry's counters, or -1 before a pool uses this recorder
     *         and after it is closed
     */
    public final int counterId(PoolCounter counter) {
        AtomicCounter c = counter(counter);
        return c == null || detached ? -1 : c.id();
    }

    private AtomicCounter counter(PoolCounter counter) {
        switch (counter) {
            case ALLOCATIONS:
                return allocations;
            case RELEASES:
                return releases;
            case EXHAUSTIONS:
                return exhaustions;
            case WAITS:
                return waits;
            case WAIT_NANOS:
                return waitNanos;
            case GROWTHS:
                return growths;
            case IN_USE:
                return inUse;
            case PEAK_IN_USE:
                return peakInUse;
            case CAPACITY:
                return capacity;
            case DISCARDS:
                return discards;
            default:
                throw new IllegalArgumentException("counter: " + counter + " (expected: a PoolCounter)");
        }
    }

    /**
     * Fills {@code target} with the counters' values now, allocating nothing.
     *
     * @param target receives the values
     * @return {@code target}
     */
    public final PoolStatistics snapshotInto(PoolStatistics target) {
        if (allocations == null) {
            target.set(fixedName == null ? "" : fixedName, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            return target;
        }
        // Releases before allocations: an object's allocation is counted before its release, so r <= a.
        long r = releasesNow();
        long a = allocationsNow();
        long u = inUseNow();
        if (u < 0) {
            for (int collect = 1; ; collect++) {
                long again = releasesNow();
                if (again == r) {
                    // No release was counted while the allocations were read, and those rise one
                    // at a time: a - r was the count out at one instant in between.
                    u = a - r;
                    break;
                }
                if (collect == COLLECTS) {
                    // Objects kept being released: a - again is at most what was out when that
                    // last read began (a was read before it, again at or after it).
                    u = Math.max(0, a - again);
                    break;
                }
                r = again;
                a = allocationsNow();
            }
        }
        // No read reports less than an earlier one did: the releases' mark is read before the
        // allocations' (raised in the other order below), so r <= a still holds.
        r = Math.max(r, (long) READ_RELEASES.getAcquire(this));
        a = Math.max(a, (long) READ_ALLOCATIONS.getAcquire(this));
        raise(READ_ALLOCATIONS, a);
        raise(READ_RELEASES, r);
        long peak = Math.max(Math.max(peakNow(), u), (long) READ_PEAK.getAcquire(this));
        raise(READ_PEAK, peak);
        // the capacity last: it only rises while objects are out (trim gives back free ones only)
        target.set(name, kind, a, r, u, peak, capacity.getAcquire(),
                exhaustions.getAcquire(), waits.getAcquire(), waitNanos.getAcquire(), growths.getAcquire(),
                discards.getAcquire());
        return target;
    }

    /** Raises a read mark to {@code value} unless another read raised it further. */
    private void raise(VarHandle mark, long value) {
        long seen = (long) mark.getAcquire(this);
        while (seen < value) {
            long witness = (long) mark.compareAndExchange(this, seen, value);
            if (witness == seen) {
                return;
            }
            seen = witness;
        }
    }

    /** {@return a new snapshot of the counters} */
    public final PoolStatistics statistics() {
        return snapshotInto(new PoolStatistics());
    }

    final void exhaustedEvent() {
        if (EXHAUSTED_EVENT.isEnabled()) {
            PoolExhaustedEvent e = new PoolExhaustedEvent();
            if (e.shouldCommit()) {
                e.poolName = name;
                e.kind = kind;
                e.capacity = capacity.getPlain();
                e.commit();
            }
        }
    }

    final void growthEvent(int oldCapacity, int newCapacity) {
        if (GROWTH_EVENT.isEnabled()) {
            PoolGrowthEvent e = new PoolGrowthEvent();
            if (e.shouldCommit()) {
                e.poolName = name;
                e.kind = kind;
                e.oldCapacity = oldCapacity;
                e.newCapacity = newCapacity;
                e.commit();
            }
        }
    }

    /**
     * A thread starts waiting for a free object: counts it in {@link #waitingThreads()} and, while a
     * recording enables {@link PoolWaitEvent}, begins the thread's event (the only allocation, and
     * only then). Called by the pool on the waiting thread; the pool then calls {@link #onWait(long)}
     * on the same thread when the wait ends, whichever way it ends.
     */
    @Override
    public final void onWaitStart() {
        WAITING.getAndAdd(this, 1L);
        if (WAIT_EVENT.isEnabled()) {
            PoolWaitEvent e = new PoolWaitEvent();
            e.begin();
            WAIT_IN_PROGRESS.set(e);
            if (!waitEventBegun) {
                waitEventBegun = true;
            }
        } else if (waitEventBegun) {
            WAIT_IN_PROGRESS.remove(); // an event begun while a recording was on and never ended
        }
    }

    /**
     * Returns how many threads wait for a free object now: those between {@link #onWaitStart()} and
     * {@link #onWait(long)}. A pool that calls {@code onWait} without {@code onWaitStart} (written
     * before that hook) may make it read low for a while, never below 0. Lives in this process only
     * (not in the counters another process reads).
     *
     * @return the threads waiting for a free object now (volatile read)
     */
    public final long waitingThreads() {
        return (long) WAITING.getVolatile(this);
    }

    /**
     * The end of a wait, called by every flavour's {@link #onWait(long)} after it counted the wait:
     * ends the wait begun by {@link #onWaitStart()}, feeds the bound wait timers and commits the
     * thread's {@link PoolWaitEvent} when JFR's threshold (and the registry's
     * {@link StatsRegistry.Builder#waitEventThreshold floor}) lets it.
     */
    final void waitEvent(long waitedNanos) {
        waitMax.proposeMax(waitedNanos); // before the bucket: a reader that counts the wait sees it here
        waitBuckets[WaitHistogram.bucket(Math.max(0, waitedNanos))].getAndAdd(1);
        long w;
        do {
            w = (long) WAITING.getVolatile(this);
            if (w == 0L) {
                break; // an onWait with no onWaitStart: no started wait to end
            }
        } while (!WAITING.compareAndSet(this, w, w - 1L));
        WaitObserver[] observers = waitObservers;
        for (int i = 0; i < observers.length; i++) {
            observers[i].waited(waitedNanos);
        }
        if (waitEventBegun && WAIT_EVENT.isEnabled()) {
            PoolWaitEvent e = WAIT_IN_PROGRESS.get();
            if (e != null) {
                WAIT_IN_PROGRESS.set(null);
                e.end();
                if (waitedNanos >= waitEventThresholdNanos && e.shouldCommit()) {
                    e.poolName = name;
                    e.kind = kind;
                    e.commit();
                }
            }
        }
    }

    /** Feeds {@code observer} every wait that ends from now on (FastallocMetrics' wait timer). */
    final synchronized void addWaitObserver(WaitObserver observer) {
        WaitObserver[] old = waitObservers;
        WaitObserver[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = observer;
        waitObservers = grown;
    }

    /** Stops feeding {@code observer}; nothing when it is not fed. */
    final synchronized void removeWaitObserver(WaitObserver observer) {
        WaitObserver[] old = waitObservers;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == observer) {
                WaitObserver[] shrunk = new WaitObserver[old.length - 1];
                System.arraycopy(old, 0, shrunk, 0, i);
                System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
                waitObservers = shrunk;
                return;
            }
        }
    }

    /**
     * A percentile of the time bounded allocations ({@code allocate(timeout, unit)}) spent waiting
     * for a free object, from fixed power-of-two buckets: the upper bound of the bucket that holds
     * it, capped at the longest wait, so at most twice the true value and never below it.
     *
     * @param fraction which percentile, in (0, 1]: 0.5 for the median, 0.99, 0.999
     * @return that percentile in nanoseconds, or 0 before any wait
     * @throws IllegalArgumentException when {@code fraction} is not in (0, 1]
     */
    public final long waitPercentileNanos(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction: " + fraction + " (expected: > 0 and <= 1)");
        }
        AtomicCounter[] buckets = waitBuckets;
        if (buckets == null) {
            return 0;
        }
        long[] counts = new long[buckets.length];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = buckets[b].getAcquire();
        }
        // the longest wait after the buckets: at least every wait they counted
        return WaitHistogram.percentile(counts, fraction, waitMax.getAcquire());
    }

    /**
     * The longest time a bounded allocation waited for a free object.
     *
     * @return the longest wait in nanoseconds, or 0 before any wait
     */
    public final long waitMaxNanos() {
        AtomicCounter max = waitMax;
        return max == null ? 0 : max.getAcquire();
    }

    /**
     * Registers an MXBean for this pool in the platform MBean server under
     * {@code io.fastalloc:type=Pool,name=<pool>} (the name quoted when it holds characters that
     * object names reserve). {@link #close()} unregisters it.
     *
     * @return the bean's name
     * @throws IllegalStateException before a pool uses this recorder, or when JMX refuses the bean
     *                               (for example a bean of that name is already registered)
     */
    public final ObjectName registerMBean() {
        return registerMBean(ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * As {@link #registerMBean()}, in the given server.
     *
     * @param server where to register
     * @return the bean's name
     */
    public final synchronized ObjectName registerMBean(MBeanServer server) {
        String n = name;
        if (n == null) {
            throw new IllegalStateException("PoolStats: no pool uses this recorder yet, so it has no name to register");
        }
        ObjectName on = objectName(n);
        try {
            server.registerMBean(new PoolStatsBean(this), on);
        } catch (JMException e) {
            throw new IllegalStateException("PoolStats '" + n + "': cannot register MXBean " + on + ": " + e, e);
        }
        objectName = on;
        mbeanServer = server;
        return on;
    }

    /** Unregisters the MXBean registered by {@link #registerMBean()}, if any. */
    public final synchronized void unregisterMBean() {
        ObjectName on = objectName;
        if (on != null) {
            objectName = null;
            try {
                mbeanServer.unregisterMBean(on);
            } catch (InstanceNotFoundException ignored) {
                // already gone: nothing to do
            } catch (JMException e) {
                throw new IllegalStateException("PoolStats '" + name + "': cannot unregister MXBean " + on + ": " + e,
                        e);
            }
        }
    }

    /**
     * Returns the JMX name a pool's MXBean is registered under.
     *
     * @param poolName a pool's name
     * @return the MXBean name fastalloc uses for it: {@code io.fastalloc:type=Pool,name=<pool>}
     */
    public static ObjectName objectName(String poolName) {
        String value = needsQuoting(poolName) ? ObjectName.quote(poolName) : poolName;
        try {
            return new ObjectName("io.fastalloc:type=Pool,name=" + value);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("poolName: " + poolName + " (expected: a name JMX accepts)", e);
        }
    }

    private static boolean needsQuoting(String s) {
        if (s.isEmpty()) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * Unregisters the MXBean, frees the counters in the registry and the name for reuse. Close it
     * after the pool is closed and its objects are back: later events from the pool are recorded
     * into detached counters that nothing reads. Idempotent.
     */
    @Override
    public final void close() {
        unregisterMBean();
        registry.unregister(this);
    }

    /** Called by the registry under its lock: points the counters at detached memory and frees the real ones. */
    final void detach(AtomicCounter[] detached) {
        publish();
        AtomicCounter[] live = {allocations, releases, exhaustions, waits, waitNanos, growths, inUse, peakInUse,
            capacity, discards};
        this.allocations = detached[PoolCounter.ALLOCATIONS.ordinal()];
        this.releases = detached[PoolCounter.RELEASES.ordinal()];
        this.exhaustions = detached[PoolCounter.EXHAUSTIONS.ordinal()];
        this.waits = detached[PoolCounter.WAITS.ordinal()];
        this.waitNanos = detached[PoolCounter.WAIT_NANOS.ordinal()];
        this.growths = detached[PoolCounter.GROWTHS.ordinal()];
        this.inUse = detached[PoolCounter.IN_USE.ordinal()];
        this.peakInUse = detached[PoolCounter.PEAK_IN_USE.ordinal()];
        this.capacity = detached[PoolCounter.CAPACITY.ordinal()];
        this.discards = detached[PoolCounter.DISCARDS.ordinal()];
        AtomicCounter[] liveBuckets = waitBuckets;
        AtomicCounter liveMax = waitMax;
        this.waitBuckets = Arrays.copyOfRange(detached, WAIT_BUCKETS_AT, WAIT_BUCKETS_AT + WaitHistogram.BUCKETS);
        this.waitMax = detached[WAIT_BUCKETS_AT + WaitHistogram.BUCKETS];
        this.detached = true;
        for (int i = 0; i < live.length; i++) {
            detached[i].setRelease(live[i].getAcquire());
            live[i].close();
        }
        for (int b = 0; b < liveBuckets.length; b++) {
            waitBuckets[b].setRelease(liveBuckets[b].getAcquire());
            liveBuckets[b].close();
        }
        waitMax.setRelease(liveMax.getAcquire());
        liveMax.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + '{' + statistics() + '}';
    }
}
