// Run: java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
//      -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.Statistics
package io.fastalloc.examples;

import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.stats.PoolStatistics;
import io.fastalloc.stats.PoolStats;
import io.fastalloc.stats.StatsRegistry;

import java.util.List;

/**
 * Statistics in the process: a {@link StatsRegistry} on Agrona counters, a recorder given to a
 * pool through its config, and a {@link PoolStatistics} snapshot (allocations, releases, peak use,
 * exhaustions, growths, hit rate). {@code StatsRegistry.mapped(dir)} instead puts the same counters
 * in a file that {@code fastalloc-stat.jar} reads live from another JVM (docs/statistics.md).
 * Agrona 2 needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, hence the flag in
 * the command above.
 */
public final class Statistics {
    private Statistics() {
    }

    /** A pooled request buffer. */
    static final class Request {
        final StringBuilder body = new StringBuilder(64);

        void clear() {
            body.setLength(0);
        }
    }

    /**
     * Runs the example.
     *
     * @return a snapshot of the pool's statistics at the end
     */
    public static PoolStatistics run() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder(); // single writer: the pool is used from one thread
            PoolConfig<Request> config = PoolConfig.<Request>builder()
                    .name("requests")
                    .capacity(8)
                    .maxCapacity(16)
                    .growthStrategy(GrowthStrategy.exponential(2.0))
                    .factory(Request::new)
                    .reset(Request::clear)
                    .recorder(recorder)
                    .build();
            try (GrowingPool<Request> pool = GrowingPool.create(config)) {
                for (int i = 0; i < 1_000; i++) {              // 1,000 allocate + close pairs
                    try (Handle<Request> h = pool.allocate()) {
                        h.get().body.append("GET /item/").append(i);
                    }
                }
                List<Handle<Request>> burst = pool.allocateBatch(16); // grows 8 -> 16
                Handle<Request> none = pool.tryAllocate();             // at maxCapacity: null, one exhaustion
                if (none != null) {
                    throw new AssertionError("the pool is at maxCapacity");
                }
                burst.forEach(Handle::close);
                // snapshot by name, as a monitoring thread would (snapshotInto(reused) allocates nothing)
                return stats.find("requests").statistics();
            }
        }
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        PoolStatistics s = run();
        System.out.println("Statistics");
        System.out.printf("  pool '%s' (%s)%n", s.poolName(), s.kind());
        System.out.printf("  allocations %d, releases %d, in use %d, peak in use %d%n",
                s.totalAllocations(), s.totalReleases(), s.currentUsage(), s.peakUsage());
        System.out.printf("  capacity %d, growths %d, exhaustions %d%n", s.capacity(), s.growths(), s.exhaustions());
        System.out.printf("  hit rate %.4f, utilization %.4f%n", s.hitRate(), s.utilizationRate());
    }
}
