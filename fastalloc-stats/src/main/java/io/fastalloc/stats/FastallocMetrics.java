package io.fastalloc.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for pools' statistics. Micrometer is an optional dependency of fastalloc-stats:
 * add {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * new FastallocMetrics(stats).bindTo(meterRegistry);   // every pool of stats, now and later
 * }</pre>
 *
 * <p>Bound to a {@link StatsRegistry}, the binder follows it, as Micrometer's commons-pool2 binder
 * follows pools' MBeans: every pool registered there, before or after {@link #bindTo}, gets its
 * meters, and a pool whose {@link PoolStats} is closed loses them (so a later pool of the same name
 * gets meters of its own). Bound to given {@link PoolStats}, it binds those and drops their meters
 * when they are closed.
 *
 * <p>Meters, each tagged {@code pool} (the pool's name) and {@code kind} (such as {@code FixedPool}),
 * named after Micrometer's conventions (base unit {@code objects} only on gauges of objects; counts of
 * events carry no unit, so Prometheus shows {@code fastalloc_pool_exhaustions_total}):
 * <ul>
 *   <li>function counters {@code fastalloc.pool.allocations}, {@code .releases}, {@code .exhaustions},
 *       {@code .waits}, {@code .growths}, {@code .discards}: counted since the pool was made;</li>
 *   <li>gauges, in {@code objects}: {@code fastalloc.pool.in.use}, {@code .peak.in.use},
 *       {@code .capacity}, {@code .idle} (capacity minus in use); in {@code threads}:
 *       {@code fastalloc.pool.waiting} (threads waiting for a free object now); unitless:
 *       {@code fastalloc.pool.utilization} (in use / capacity);</li>
 *   <li>a {@link Timer} {@code fastalloc.pool.wait}: every bounded wait for a free object that ends
 *       after the pool is bound, recorded by the waiting thread. Percentiles and histograms are
 *       Micrometer's, configured as for any timer (a {@code MeterFilter}, or
 *       {@code management.metrics.distribution.*} in Spring Boot).</li>
 * </ul>
 * The counters and gauges read the live counters when the registry polls them.
 *
 * <p>Bind a pool once per {@link MeterRegistry}: a second binder bound to the same registry would
 * find the meters already there and feed the wait timer twice.
 *
 * <p><b>Thread safety</b>: {@link #bindTo}, {@link #close} and {@link #withTags} may be called from
 * any thread. Meters are registered on the thread that registers a pool (its constructor) and
 * removed on the thread that closes its {@link PoolStats}, under the {@link StatsRegistry}'s lock.
 *
 * <p><b>Memory effects</b>: a pool registered before {@link #bindTo} returns, or whose registration
 * happens-before it, has its meters when {@code bindTo} returns; a later pool has them when its
 * constructor returns.
 *
 * <p><b>Progress</b>: binding blocks on the {@link StatsRegistry}'s lock; recording a wait into the
 * timer is Micrometer's {@link Timer#record(long, TimeUnit)}.
 */
public final class FastallocMetrics implements MeterBinder, AutoCloseable {
    private final StatsRegistry registry;
    private final List<PoolStats> pools;
    private final Iterable<Tag> extraTags;
    // Guarded by this: one per bindTo, until close.
    private final List<Binding> bindings = new ArrayList<>();
    private boolean closed;

    /**
     * Binds every pool registered in {@code registry}, when {@link #bindTo} runs and later.
     *
     * @param registry the statistics registry
     */
    public FastallocMetrics(StatsRegistry registry) {
        this(registry, null, Tags.empty());
    }

    /**
     * Binds the given pools.
     *
     * @param pools pools' statistics (each already given to its pool)
     */
    public FastallocMetrics(PoolStats... pools) {
        this(null, Arrays.asList(pools.clone()), Tags.empty());
    }

    private FastallocMetrics(StatsRegistry registry, List<PoolStats> pools, Iterable<Tag> extraTags) {
        this.registry = registry;
        this.pools = pools;
        this.extraTags = extraTags;
    }

    /**
     * Adds tags to every meter this binder registers.
     *
     * @param tags tags added to every meter
     * @return a new binder like this one (not bound yet) with those tags too
     */
    public FastallocMetrics withTags(Iterable<Tag> tags) {
        return new FastallocMetrics(registry, pools, Tags.concat(extraTags, tags));
    }

    /**
     * Registers the meters of every pool this binder covers in {@code meters}, and keeps following
     * the registry: pools registered later get theirs as they are made, closed ones lose theirs.
     *
     * @param meters where to register
     * @throws IllegalStateException when a given {@link PoolStats} is not used by any pool yet, or
     *                               after {@link #close()}
     */
    @Override
    public void bindTo(MeterRegistry meters) {
        Binding binding;
        if (registry != null) {
            binding = new Binding(meters, null, Collections.singletonList(registry));
        } else {
            Set<PoolStats> given = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<StatsRegistry> registries = new LinkedHashSet<>();
            for (PoolStats s : pools) {
                if (s.poolName() == null) {
                    throw new IllegalStateException(
                            "FastallocMetrics: a PoolStats is not used by any pool yet, so it has no name");
                }
                given.add(s);
                registries.add(s.registry);
            }
            binding = new Binding(meters, given, new ArrayList<>(registries));
        }
        // this lock, then each registry's: close takes them in the same order
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("FastallocMetrics is closed: cannot bind to " + meters);
            }
            bindings.add(binding);
            for (StatsRegistry r : binding.followed) {
                r.addListener(binding); // binds every pool registered now, and those registered later
            }
        }
    }

    /**
     * Stops following the registry (pools registered from now on get no meters) and stops feeding
     * the wait timers. Meters already registered stay in their {@link MeterRegistry}, as with
     * Micrometer's own binders. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        for (Binding b : bindings) {
            b.close();
        }
        bindings.clear();
    }

    /** The meters of one bindTo: a listener of the registries it follows. */
    private final class Binding implements StatsRegistry.PoolListener {
        private final MeterRegistry meters;
        // The pools this binding covers, or null for every pool of its registry. Read-only after construction.
        private final Set<PoolStats> only;
        // The registries this binding listens to. Read-only after construction.
        final List<StatsRegistry> followed;
        // Guarded by this Binding; written by the registries' listener calls (under their locks) and
        // by close. Never held while a registry's lock is taken.
        private final Map<PoolStats, Bound> bound = new IdentityHashMap<>();

        Binding(MeterRegistry meters, Set<PoolStats> only, List<StatsRegistry> followed) {
            this.meters = meters;
            this.only = only;
            this.followed = followed;
        }

        @Override
        public void registered(PoolStats pool) {
            if (only != null && !only.contains(pool)) {
                return;
            }
            Bound b = bind(pool);
            synchronized (this) {
                bound.put(pool, b);
            }
        }

        @Override
        public void unregistered(PoolStats pool) {
            Bound b;
            synchronized (this) {
                b = bound.remove(pool);
            }
            if (b != null) {
                pool.removeWaitObserver(b.observer);
                for (Meter m : b.meters) {
                    meters.remove(m);
                }
            }
        }

        void close() {
            for (StatsRegistry r : followed) {
                r.removeListener(this); // no listener call comes after this returns
            }
            List<Map.Entry<PoolStats, Bound>> all;
            synchronized (this) {
                all = new ArrayList<>(bound.entrySet());
                bound.clear();
            }
            for (Map.Entry<PoolStats, Bound> e : all) {
                e.getKey().removeWaitObserver(e.getValue().observer);
            }
        }

        private Bound bind(PoolStats s) {
            Tags tags = Tags.concat(extraTags, "pool", s.poolName(), "kind", s.kind());
            List<Meter> made = new ArrayList<>(13);
            made.add(counter(s, "fastalloc.pool.allocations", PoolCounter.ALLOCATIONS, "objects handed out", tags));
            made.add(counter(s, "fastalloc.pool.releases", PoolCounter.RELEASES, "objects given back", tags));
            made.add(counter(s, "fastalloc.pool.exhaustions", PoolCounter.EXHAUSTIONS,
                    "allocation attempts that found no free object", tags));
            made.add(counter(s, "fastalloc.pool.waits", PoolCounter.WAITS, "bounded waits for a free object", tags));
            made.add(counter(s, "fastalloc.pool.growths", PoolCounter.GROWTHS, "times the capacity grew", tags));
            made.add(counter(s, "fastalloc.pool.discards", PoolCounter.DISCARDS,
                    "objects dropped because reset or validation failed", tags));
            made.add(gauge(s, "fastalloc.pool.in.use", p -> p.value(PoolCounter.IN_USE), "objects out now",
                    BaseUnits.OBJECTS, tags));
            made.add(gauge(s, "fastalloc.pool.peak.in.use", p -> p.value(PoolCounter.PEAK_IN_USE),
                    "most objects out at once", BaseUnits.OBJECTS, tags));
            made.add(gauge(s, "fastalloc.pool.capacity", p -> p.value(PoolCounter.CAPACITY),
                    "objects the pool holds now", BaseUnits.OBJECTS, tags));
            made.add(gauge(s, "fastalloc.pool.idle", FastallocMetrics::idle,
                    "objects free now (capacity minus in use)", BaseUnits.OBJECTS, tags));
            made.add(gauge(s, "fastalloc.pool.waiting", PoolStats::waitingThreads,
                    "threads waiting for a free object now", BaseUnits.THREADS, tags));
            made.add(gauge(s, "fastalloc.pool.utilization", p -> p.statistics().utilizationRate(),
                    "objects out now / capacity", null, tags));
            Timer timer = Timer.builder("fastalloc.pool.wait")
                    .description("time bounded allocations waited for a free object").tags(tags).register(meters);
            made.add(timer);
            WaitObserver observer = nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
            s.addWaitObserver(observer);
            return new Bound(made, observer);
        }

        private Meter counter(PoolStats s, String name, PoolCounter c, String description, Tags tags) {
            // a count of events: no base unit (Micrometer's convention; "objects" would make
            // Prometheus name it fastalloc_pool_..._objects_total)
            return FunctionCounter.builder(name, s, p -> p.value(c)).description(description).tags(tags)
                    .register(meters);
        }

        private Meter gauge(PoolStats s, String name, ToDoubleFunction<PoolStats> f, String description,
                String baseUnit, Tags tags) {
            return Gauge.builder(name, s, f).description(description).baseUnit(baseUnit).tags(tags)
                    .strongReference(true).register(meters);
        }
    }

    /** Objects free now, from one snapshot, so that it is never negative. */
    private static double idle(PoolStats p) {
        PoolStatistics s = p.statistics();
        return Math.max(0L, s.capacity() - s.currentUsage());
    }

    /** One pool's meters in one binding, and the observer that feeds its wait timer. */
    private static final class Bound {
        final List<Meter> meters;
        final WaitObserver observer;

        Bound(List<Meter> meters, WaitObserver observer) {
            this.meters = meters;
            this.observer = observer;
        }
    }
}
