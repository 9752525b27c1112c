package io.fastalloc.stats;

import io.fastalloc.PoolRecorder;
import jdk.jfr.EventType;
import org.agrona.concurrent.status.AtomicCounter;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

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
 * counted before it. Releases are read before allocations, so in use as read is never negative.
 * Different counters are read at slightly different moments.
 *
 * <p><b>Progress</b>: recording is wait-free, except the concurrent write-through peak's
 * compare-and-set, which is lock-free; it never allocates (JFR events allocate only while a
 * recording enables them; the striped recorder's cells are made with it).
 */
public abstract class PoolStats implements PoolRecorder, AutoCloseable {
    private static final EventType EXHAUSTED_EVENT = EventType.getEventType(PoolExhaustedEvent.class);
    private static final EventType GROWTH_EVENT = EventType.getEventType(PoolGrowthEvent.class);
    private static final EventType WAIT_EVENT = EventType.getEventType(PoolWaitEvent.class);

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

    PoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        this.registry = registry;
        this.fixedName = fixedName;
        this.waitEventThresholdNanos = waitEventThresholdNanos;
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
        this.capacity.setRelease(initialCapacity);
        this.kind = poolKind;
        this.name = poolName;
    }

    final boolean isCreated() {
        return created;
    }

    /**
     * Returns whether several threads may record at once.
     *
     * @return whether several threads may record at once
     */
    public abstract boolean isConcurrent();

    /**
     * Returns the pool's name, or {@code null} before a pool uses this recorder.
     *
     * @return the pool's name, or {@code null} before a pool uses this recorder
     */
    public final String poolName() {
        return name;
    }

    /**
     * Returns the pool kind, such as {@code "FixedPool"}, or "" before a pool uses this recorder.
     *
     * @return the pool kind, such as {@code "FixedPool"}, or "" before a pool uses this recorder
     */
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
        return c == null ? 0 : read(counter, c);
    }

    /**
     * Reads a counter's current value. A flavour that keeps some counts on the heap and publishes
     * them lazily overrides this to read the live count.
     */
    long read(PoolCounter counter, AtomicCounter c) {
        return c.getAcquire();
    }

    /**
     * Copies counts kept on the heap into the Agrona counters. Called under the registry's lock by
     * its publisher; a no-op for flavours that write the counters directly.
     */
    void publish() {
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
        // releases before allocations: both are released by the writer in the order allocation,
        // release, so in-use derived from them never goes negative
        long rel = read(PoolCounter.RELEASES, releases);
        long alloc = read(PoolCounter.ALLOCATIONS, allocations);
        target.set(name, kind, alloc, rel, read(PoolCounter.IN_USE, inUse), read(PoolCounter.PEAK_IN_USE, peakInUse),
                capacity.getAcquire(),
                exhaustions.getAcquire(), waits.getAcquire(), waitNanos.getAcquire(), growths.getAcquire(),
                discards.getAcquire());
        return target;
    }

    /**
     * Returns a new snapshot of the counters.
     *
     * @return a new snapshot of the counters
     */
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

    final void waitEvent(long waitedNanos) {
        if (waitedNanos >= waitEventThresholdNanos && WAIT_EVENT.isEnabled()) {
            PoolWaitEvent e = new PoolWaitEvent();
            if (e.shouldCommit()) {
                e.poolName = name;
                e.kind = kind;
                e.waited = waitedNanos;
                e.commit();
            }
        }
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
                throw new IllegalStateException("PoolStats '" + name + "': cannot unregister MXBean " + on + ": " + e, e);
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
        this.detached = true;
        for (int i = 0; i < live.length; i++) {
            detached[i].setRelease(live[i].getAcquire());
            live[i].close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + '{' + statistics() + '}';
    }
}
