/**
 * Pool statistics on Agrona counters, readable live from another process, with JMX, Micrometer
 * (optional) and JFR views.
 *
 * <p>Start with {@link io.fastalloc.stats.StatsRegistry}; watch a running process with
 * {@link io.fastalloc.stats.FastallocStat}.
 */
module io.fastalloc.stats {
    requires transitive io.fastalloc.core;
    // transitive: PoolStats, StatsRegistry, the JFR events and FastallocMetrics show their types
    requires transitive org.agrona;
    requires transitive java.management;
    requires transitive jdk.jfr;
    requires static transitive micrometer.core;

    exports io.fastalloc.stats;
}
