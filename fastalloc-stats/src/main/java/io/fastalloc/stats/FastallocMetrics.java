package io.fastalloc.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Micrometer meters for pools' statistics. Micrometer is an optional dependency of fastalloc-stats:
 * add {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * new FastallocMetrics(stats).bindTo(meterRegistry);   // every pool registered in stats so far
 * }</pre>
 *
 * <p>Meters, each tagged {@code pool} (the pool's name) and {@code kind} (such as {@code FixedPool}):
 * function counters {@code fastalloc.pool.allocations}, {@code .releases}, {@code .exhaustions},
 * {@code .waits}, {@code .growths}, {@code .discards}; gauges {@code fastalloc.pool.in.use},
 * {@code .peak.in.use}, {@code .capacity}, {@code .utilization}. They read the live counters
 * when the registry polls them.
 *
 * <p><b>Thread safety</b>: {@link #bindTo} may be called from any thread.
 */
public final class FastallocMetrics implements MeterBinder {
    private final StatsRegistry registry;
    private final List<PoolStats> pools;
    private final Iterable<Tag> extraTags;

    /**
     * Binds every pool registered in {@code registry} when {@link #bindTo} runs.
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
     * @return a binder like this one with those tags
     */
    public FastallocMetrics withTags(Iterable<Tag> tags) {
        return new FastallocMetrics(registry, pools, Tags.concat(extraTags, tags));
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        List<PoolStats> targets = registry != null ? registry.pools() : new ArrayList<>(pools);
        for (PoolStats s : targets) {
            if (s.poolName() == null) {
                throw new IllegalStateException("FastallocMetrics: a PoolStats is not used by any pool yet, so it has no name");
            }
            Tags tags = Tags.concat(extraTags, "pool", s.poolName(), "kind", s.kind());
            counter(meters, s, "fastalloc.pool.allocations", PoolCounter.ALLOCATIONS, "objects handed out", tags);
            counter(meters, s, "fastalloc.pool.releases", PoolCounter.RELEASES, "objects given back", tags);
            counter(meters, s, "fastalloc.pool.exhaustions", PoolCounter.EXHAUSTIONS,
                    "allocation attempts that found no free object", tags);
            counter(meters, s, "fastalloc.pool.waits", PoolCounter.WAITS, "bounded waits for a free object", tags);
            counter(meters, s, "fastalloc.pool.growths", PoolCounter.GROWTHS, "times the capacity grew", tags);
            counter(meters, s, "fastalloc.pool.discards", PoolCounter.DISCARDS,
                    "objects dropped because reset or validation failed", tags);
            gauge(meters, s, "fastalloc.pool.in.use", PoolCounter.IN_USE, "objects out now", tags);
            gauge(meters, s, "fastalloc.pool.peak.in.use", PoolCounter.PEAK_IN_USE, "most objects out at once", tags);
            gauge(meters, s, "fastalloc.pool.capacity", PoolCounter.CAPACITY, "objects the pool holds now", tags);
            Gauge.builder("fastalloc.pool.utilization", s, p -> p.statistics().utilizationRate())
                    .description("objects out now / capacity").tags(tags).register(meters);
        }
    }

    private static void counter(MeterRegistry meters, PoolStats s, String name, PoolCounter c, String description,
            Tags tags) {
        FunctionCounter.builder(name, s, p -> p.value(c)).description(description).baseUnit("objects").tags(tags)
                .register(meters);
    }

    private static void gauge(MeterRegistry meters, PoolStats s, String name, PoolCounter c, String description,
            Tags tags) {
        Gauge.builder(name, s, p -> p.value(c)).description(description).baseUnit("objects").tags(tags)
                .strongReference(true).register(meters);
    }
}
