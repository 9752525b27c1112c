package io.fastalloc.stats;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Where pools' statistics live: an Agrona {@link CountersManager} either in this process
 * ({@link #inProcess()}) or in a memory-mapped file that another process reads live
 * ({@link #mapped(Path)}, read by {@link FastallocStat}). It hands out one recorder per pool:
 *
 * <pre>{@code
 * StatsRegistry stats = StatsRegistry.mapped(Path.of("/dev/shm/my-app"));   // or inProcess()
 * FixedPool<Order> orders = FixedPool.create(PoolConfig.<Order>builder()
 *     .name("orders").capacity(1024).factory(Order::new)
 *     .recorder(stats.recorder())              // single-writer pools, and ThreadSafePool
 *     .build());
 * // shared pools without a lock around their recorder calls: .recorder(stats.concurrentRecorder())
 * }</pre>
 *
 * <p>Each pool gets the counters listed in {@link PoolCounter}, all with the same registration id
 * (the pool's number here) and labels {@code "fastalloc <pool> <kind> <counter>"}.
 *
 * <p><b>Names</b>: pool names are unique within a registry. A pool whose name is already
 * registered is rejected: its constructor throws {@link IllegalStateException} from
 * {@link PoolStats#onCreate}. Closing a {@link PoolStats} frees its name.
 *
 * <p><b>The file</b>: {@code <directory>/fastalloc-stats.dat}, a small header (magic number, layout
 * version, lengths, process id) followed by the counters' metadata and values buffers. Making a
 * mapped registry over a directory that a live process still writes is refused; a file left by a
 * process that is gone is replaced. {@link #close()} unmaps and deletes the file.
 *
 * <p><b>Publication</b>: single-writer recorders count allocations and releases in their own fields,
 * concurrent ones in cells picked by thread id, and a daemon thread, {@code fastalloc-stats-publisher} (started with
 * the first such recorder), copies them to the counters every {@link Builder#publishInterval publish interval} (100 ms
 * by default); {@link #publish()} does it at once. Everything else is written to the counters as it
 * happens. Readers in this process always see live values.
 *
 * <p><b>Thread safety</b>: registering, publishing and closing are synchronized; recording goes
 * straight to the recorder's fields or counters without touching the registry.
 *
 * <p><b>Memory effects</b>: a pool registered (by its constructor) happens-before any read of it
 * through {@link #find} or {@link #pools()}; a publication's counter writes are release stores.
 *
 * <p><b>Progress</b>: registering, publishing and closing block on the registry's lock; they never
 * run on a pool's hot path.
 */
public final class StatsRegistry implements AutoCloseable {
    /** The default number of pools a registry holds. */
    public static final int DEFAULT_MAX_POOLS = 256;
    /** The default interval at which single-writer counts are published to the counters: 100 ms. */
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofMillis(100);
    /**
     * How often, at least, the publisher thread reads the counts that pools keep themselves, even
     * with a longer publish interval: some pools derive them from 32-bit per-slot counters, which a
     * read must see before they wrap (over 8 s at the fastest allocate + close measured here).
     */
    static final long COUNT_READ_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * The default floor for {@link PoolWaitEvent}: none ({@link Duration#ZERO}), so JFR's threshold
     * for the event decides alone (1 ms unless the recording sets another).
     */
    public static final Duration DEFAULT_WAIT_EVENT_THRESHOLD = Duration.ZERO;
    /** Freed counters are not reused for this long, so late writes from a closed pool land nowhere visible. */
    private static final long FREE_TO_REUSE_MS = 1_000;
    private static final int COUNTERS_PER_POOL = PoolCounter.values().length + WaitHistogram.COUNTERS;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final ByteBuffer direct;
    private final CountersManager counters;
    private final long waitEventThresholdNanos;
    private final long publishIntervalNanos;
    // Guarded by this.
    private Thread publisher;
    private final Map<String, PoolStats> byName = new HashMap<>();
    private final List<PoolStats> pools = new ArrayList<>();
    private final List<PoolListener> listeners = new ArrayList<>();
    private long nextPoolId = 1;
    private boolean closed;

    private StatsRegistry(Builder b) {
        AgronaAccess.check();
        int n = b.maxPools * COUNTERS_PER_POOL;
        int metadataLength = StatsLayout.metadataLength(n);
        int valuesLength = StatsLayout.valuesLength(n);
        this.waitEventThresholdNanos = b.waitEventThreshold.toNanos();
        this.publishIntervalNanos = b.publishInterval.toNanos();
        AtomicBuffer metadata;
        AtomicBuffer values;
        if (b.directory == null) {
            this.file = null;
            this.mapped = null;
            this.direct = BufferUtil.allocateDirectAligned(metadataLength + valuesLength, 128);
            metadata = new UnsafeBuffer(direct, 0, metadataLength);
            values = new UnsafeBuffer(direct, metadataLength, valuesLength);
        } else {
            this.file = b.directory.resolve(StatsLayout.FILE_NAME);
            this.direct = null;
            prepareDirectory(b.directory, file);
            this.mapped = IoUtil.mapNewFile(file.toFile(),
                    (long) StatsLayout.HEADER_LENGTH + metadataLength + valuesLength);
            UnsafeBuffer header = new UnsafeBuffer(mapped, 0, StatsLayout.HEADER_LENGTH);
            header.putInt(StatsLayout.VERSION_OFFSET, StatsLayout.LAYOUT_VERSION);
            header.putInt(StatsLayout.METADATA_LENGTH_OFFSET, metadataLength);
            header.putInt(StatsLayout.VALUES_LENGTH_OFFSET, valuesLength);
            header.putLong(StatsLayout.PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(StatsLayout.START_TIME_OFFSET, System.currentTimeMillis());
            // the magic last: a reader that sees it sees the rest of the header
            header.putLongVolatile(StatsLayout.MAGIC_OFFSET, StatsLayout.MAGIC);
            metadata = new UnsafeBuffer(mapped, StatsLayout.HEADER_LENGTH, metadataLength);
            values = new UnsafeBuffer(mapped, StatsLayout.HEADER_LENGTH + metadataLength, valuesLength);
        }
        this.counters = new CountersManager(metadata, values, StandardCharsets.UTF_8, SystemEpochClock.INSTANCE,
                FREE_TO_REUSE_MS);
    }

    private static void prepareDirectory(Path directory, Path file) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("directory: " + directory
                    + " (expected: a directory that can be created: " + e + ')', e);
        }
        if (Files.exists(file)) {
            long pid = StatsFileReader.livePid(file);
            if (pid > 0) {
                throw new IllegalStateException("directory: " + directory + " is in use by live process " + pid
                        + (pid == ProcessHandle.current().pid()
                                ? " (this one: close the other StatsRegistry first)" : "")
                        + " (expected: a directory no running process writes statistics to)");
            }
            try {
                Files.delete(file);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot replace stale statistics file " + file + ": " + e, e);
            }
        }
    }

    /**
     * Returns a registry with counters in this process, for {@link #DEFAULT_MAX_POOLS} pools.
     *
     * @return a registry with counters in this process, for {@link #DEFAULT_MAX_POOLS} pools
     * @throws IllegalStateException when the JVM was started without the {@code --add-exports} flag
     *                               Agrona needs (the message names it for the class and module path)
     */
    public static StatsRegistry inProcess() {
        return builder().build();
    }

    /**
     * Creates a registry whose counters live in a memory-mapped file another process can read.
     *
     * @param directory where to put {@code fastalloc-stats.dat}; created if missing
     * @return a registry with counters in a memory-mapped file, for {@link #DEFAULT_MAX_POOLS} pools
     * @throws IllegalStateException when a live process writes statistics in that directory, or when
     *                               the JVM was started without the {@code --add-exports} flag Agrona
     *                               needs (the message names it for the class and module path)
     */
    public static StatsRegistry mapped(Path directory) {
        return builder().directory(directory).build();
    }

    /** {@return a builder for a registry with non-default settings} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A recorder for a pool that calls it from one thread at a time: {@code FixedPool},
     * {@code GrowingPool}, {@code ThreadSafePool} (which makes every recorder call while holding its
     * lock, so its callers take turns with a happens-before edge between them: the cheapest recorder
     * for it), or a pool of your own that makes every recorder call under one lock. Not for
     * {@code ThreadLocalPool} or the lock-free pools: give them {@link #concurrentRecorder()}. With a
     * publish interval (the default) it counts allocations and releases in
     * fields of its own and the registry's publisher thread copies them to the counters; with
     * {@link Builder#publishInterval publishInterval(Duration.ZERO)} it writes the counters directly.
     *
     * @return a single-writer recorder, named after the pool it is given to
     */
    public PoolStats recorder() {
        return singleWriter(null);
    }

    private PoolStats singleWriter(String poolName) {
        return publishIntervalNanos > 0
                ? new PublishingPoolStats(this, poolName, waitEventThresholdNanos)
                : new SingleWriterPoolStats(this, poolName, waitEventThresholdNanos);
    }

    /**
     * A single-writer recorder that files the pool's statistics under another name.
     *
     * @param poolName the name to register the pool's statistics under, in place of the pool's own
     * @return a single-writer recorder
     */
    public PoolStats recorder(String poolName) {
        return singleWriter(checkName(poolName));
    }

    /**
     * A recorder for a pool whose threads call it at the same time without a common lock. With a
     * publish interval (the default) each thread counts in a padded cell picked by its thread id,
     * which it owns (no atomic instruction, no shared cache line, no {@code ThreadLocal} lookup;
     * atomic adds only for a thread whose cell another live thread owns), readers sum the cells,
     * and the peak in use is sampled at
     * each publication and each read of the statistics, so a burst shorter than the interval may be
     * missed; with {@link Builder#publishInterval publishInterval(Duration.ZERO)} every
     * count is an atomic add on the shared counters and the peak is exact.
     *
     * @return a recorder any number of threads may call at once, named after the pool it is given to
     */
    public PoolStats concurrentRecorder() {
        return concurrent(null);
    }

    private PoolStats concurrent(String poolName) {
        return publishIntervalNanos > 0
                ? new StripedPoolStats(this, poolName, waitEventThresholdNanos)
                : new ConcurrentPoolStats(this, poolName, waitEventThresholdNanos);
    }

    /**
     * A concurrent recorder that files the pool's statistics under another name.
     *
     * @param poolName the name to register the pool's statistics under, in place of the pool's own
     * @return a recorder any number of threads may call at once
     */
    public PoolStats concurrentRecorder(String poolName) {
        return concurrent(checkName(poolName));
    }

    private static String checkName(String poolName) {
        if (poolName == null || poolName.isEmpty()) {
            throw new IllegalArgumentException("poolName: " + (poolName == null ? "null" : "\"\"")
                    + " (expected: a non-empty name)");
        }
        return poolName;
    }

    /**
     * Finds a registered pool's statistics by name.
     *
     * @param poolName a pool's name
     * @return its statistics, or {@code null} when no pool of that name is registered
     */
    public synchronized PoolStats find(String poolName) {
        return byName.get(poolName);
    }

    /** {@return the registered pools' statistics, in registration order (a new list)} */
    public synchronized List<PoolStats> pools() {
        return new ArrayList<>(pools);
    }

    /** {@return the statistics file, or {@code null} for an in-process registry} */
    public Path file() {
        return file;
    }

    /**
     * Returns a reader over the counters, for tools.
     *
     * @return a reader over the counters (for tools; reading is safe from any thread)
     */
    public CountersReader countersReader() {
        return counters;
    }

    synchronized void register(PoolStats stats, String poolName, String kind, int capacity) {
        if (closed) {
            throw new IllegalStateException("StatsRegistry" + where() + " is closed: cannot register pool '"
                    + poolName + "'");
        }
        if (stats.isCreated()) {
            throw new IllegalStateException("PoolStats '" + stats.poolName() + "' already serves a pool ("
                    + stats.kind() + "); make one recorder per pool, not one for '" + poolName + "' too");
        }
        if (byName.containsKey(poolName)) {
            throw new IllegalStateException("pool name '" + poolName + "' is already registered in StatsRegistry"
                    + where() + " (" + byName.get(poolName).kind() + "); give the pool another name or close the"
                    + " other pool's PoolStats first");
        }
        if (counters.available() < COUNTERS_PER_POOL) {
            throw new IllegalStateException("StatsRegistry" + where() + " is full: no room for pool '" + poolName
                    + "' (raise StatsRegistry.builder().maxPools)");
        }
        long poolId = nextPoolId++;
        AtomicCounter[] made = new AtomicCounter[COUNTERS_PER_POOL];
        for (PoolCounter pc : PoolCounter.values()) {
            made[pc.ordinal()] = newCounter(poolId, label(poolName, kind, pc.label()), pc.typeId());
        }
        for (int b = 0; b < WaitHistogram.BUCKETS; b++) {
            made[PoolStats.WAIT_BUCKETS_AT + b] = newCounter(poolId, label(poolName, kind, WaitHistogram.label(b)),
                    WaitHistogram.BUCKET_TYPE_ID);
        }
        made[PoolStats.WAIT_BUCKETS_AT + WaitHistogram.BUCKETS] =
                newCounter(poolId, label(poolName, kind, WaitHistogram.MAX_LABEL), WaitHistogram.MAX_TYPE_ID);
        stats.created(poolName, kind, made, capacity);
        byName.put(poolName, stats);
        pools.add(stats);
        if ((stats instanceof PublishingPoolStats || stats instanceof StripedPoolStats) && publisher == null) {
            startPublisher();
        }
        for (int i = 0, n = listeners.size(); i < n; i++) {
            listeners.get(i).registered(stats);
        }
    }

    /**
     * Told of pools as they are registered and unregistered; how {@link FastallocMetrics} binds pools
     * made after {@link FastallocMetrics#bindTo} and drops the meters of closed ones.
     *
     * <p><b>Thread safety</b>: called under the registry's lock, by the thread that registers a pool
     * (the pool's constructor) or closes its {@link PoolStats}, one call at a time. An implementation
     * must not throw and must not call back into the registry from another thread it waits for.
     */
    interface PoolListener {
        /**
         * A pool was registered (or was already, when the listener is added).
         *
         * @param pool its statistics, named and counting
         */
        void registered(PoolStats pool);

        /**
         * A pool's statistics were closed; its counters are detached.
         *
         * @param pool its statistics
         */
        void unregistered(PoolStats pool);
    }

    /**
     * Adds a listener and tells it of every pool registered now, atomically: every pool is told to it
     * exactly once, by this call or by its registration.
     */
    synchronized void addListener(PoolListener listener) {
        listeners.add(listener);
        for (int i = 0, n = pools.size(); i < n; i++) {
            listener.registered(pools.get(i));
        }
    }

    /** Removes a listener added by {@link #addListener}; nothing when it is not there. */
    synchronized void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    private void startPublisher() {
        Thread t = new Thread(this::publishLoop, "fastalloc-stats-publisher");
        t.setDaemon(true);
        publisher = t;
        t.start();
    }

    private void publishLoop() {
        long step = Math.min(publishIntervalNanos, COUNT_READ_INTERVAL_NANOS);
        long sincePublished = 0L;
        while (true) {
            LockSupport.parkNanos(this, step);
            synchronized (this) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    return;
                }
                sincePublished += step;
                if (sincePublished >= publishIntervalNanos) {
                    sincePublished = 0L;
                    publishLocked();
                } else {
                    readCountsLocked();
                }
            }
        }
    }

    /** Reads every pool's counts without publishing them (see {@link #COUNT_READ_INTERVAL_NANOS}). */
    private void readCountsLocked() {
        List<PoolStats> all = pools;
        for (int i = 0, n = all.size(); i < n; i++) {
            PoolStats p = all.get(i);
            p.value(PoolCounter.ALLOCATIONS);
            p.value(PoolCounter.RELEASES);
        }
    }

    /**
     * Publishes the single-writer pools' latest counts to the counters now, for readers in other
     * processes, without waiting for the publisher thread. Allocates nothing.
     */
    public synchronized void publish() {
        publishLocked();
    }

    private void publishLocked() {
        List<PoolStats> all = pools;
        for (int i = 0, n = all.size(); i < n; i++) {
            all.get(i).publish();
        }
    }

    private AtomicCounter newCounter(long poolId, String label, int typeId) {
        AtomicCounter c = counters.newCounter(label, typeId);
        counters.setCounterRegistrationId(c.id(), poolId);
        return c;
    }

    private static String label(String poolName, String kind, String counter) {
        String suffix = ' ' + kind + ' ' + counter;
        String label = "fastalloc " + poolName + suffix;
        while (label.getBytes(StandardCharsets.UTF_8).length > CountersReader.MAX_LABEL_LENGTH) {
            poolName = poolName.substring(0, poolName.length() - 1);
            label = "fastalloc " + poolName + suffix;
        }
        return label;
    }

    synchronized void unregister(PoolStats stats) {
        if (byName.get(stats.poolName()) != stats) {
            return;
        }
        byName.remove(stats.poolName());
        pools.remove(stats);
        stats.detach(detachedCounters());
        for (int i = 0, n = listeners.size(); i < n; i++) {
            listeners.get(i).unregistered(stats);
        }
    }

    private static AtomicCounter[] detachedCounters() {
        UnsafeBuffer scratch = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(COUNTERS_PER_POOL * CountersReader.COUNTER_LENGTH, 128));
        AtomicCounter[] detached = new AtomicCounter[COUNTERS_PER_POOL];
        for (int i = 0; i < detached.length; i++) {
            detached[i] = new AtomicCounter(scratch, i);
        }
        return detached;
    }

    private String where() {
        return file == null ? "(in process)" : "(" + file + ')';
    }

    /**
     * Detaches every pool's statistics, then unmaps and deletes the file. Idempotent.
     * Pools still running afterwards record into detached counters.
     */
    @Override
    public void close() {
        List<PoolStats> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            all = new ArrayList<>(pools);
        }
        for (PoolStats s : all) {
            s.close();
        }
        Thread t;
        synchronized (this) {
            closed = true;
            t = publisher;
            publisher = null;
        }
        if (t != null) {
            t.interrupt();
            LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (mapped != null) {
                IoUtil.unmap(mapped);
                File f = file.toFile();
                IoUtil.deleteIfExists(f);
            }
        }
    }

    @Override
    public String toString() {
        return "StatsRegistry" + where();
    }

    /** Settings for a {@link StatsRegistry}. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private int maxPools = DEFAULT_MAX_POOLS;
        private Duration waitEventThreshold = DEFAULT_WAIT_EVENT_THRESHOLD;
        private Duration publishInterval = DEFAULT_PUBLISH_INTERVAL;

        private Builder() {
        }

        /**
         * Sets {@code directory}.
         *
         * @param directory where to map {@code fastalloc-stats.dat}; {@code null} (the default) keeps
         *                  the counters in this process
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Sets {@code maxPools}.
         *
         * @param maxPools how many pools the registry can hold at once, {@code > 0}
         * @return this builder
         */
        public Builder maxPools(int maxPools) {
            if (maxPools <= 0 || maxPools > 100_000) {
                throw new IllegalArgumentException("maxPools: " + maxPools + " (expected: 1 to 100000)");
            }
            this.maxPools = maxPools;
            return this;
        }

        /**
         * Sets {@code waitEventThreshold}.
         *
         * A floor for {@link PoolWaitEvent} on top of JFR's own threshold for it (set by the
         * recording, 1 ms by default): a wait is committed when it reaches both. Useful to keep short
         * waits out of recordings that lower every threshold; the default,
         * {@link #DEFAULT_WAIT_EVENT_THRESHOLD} (none), leaves the choice to the recording.
         *
         * @param threshold the shortest wait that may emit a {@link PoolWaitEvent}, {@code >= 0}
         * @return this builder
         */
        public Builder waitEventThreshold(Duration threshold) {
            if (threshold == null || threshold.isNegative()) {
                throw new IllegalArgumentException("waitEventThreshold: " + threshold + " (expected: >= 0)");
            }
            this.waitEventThreshold = threshold;
            return this;
        }

        /**
         * How often single-writer recorders' allocation and release counts reach the counters that
         * other processes read. Readers in this process always see the live counts.
         * {@link Duration#ZERO} makes single-writer recorders write every count to the counters
         * directly (no publisher thread, a little more work per operation).
         *
         * @param interval {@code >= 0}; default {@link #DEFAULT_PUBLISH_INTERVAL}
         * @return this builder
         */
        public Builder publishInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("publishInterval: " + interval + " (expected: >= 0)");
            }
            this.publishInterval = interval;
            return this;
        }

        /**
         * Returns the registry.
         *
         * @return the registry
         * @throws IllegalStateException when a live process writes statistics in the directory, or when
         *                               the JVM was started without the {@code --add-exports} flag
         *                               Agrona needs (the message names it)
         */
        public StatsRegistry build() {
            return new StatsRegistry(this);
        }
    }
}
