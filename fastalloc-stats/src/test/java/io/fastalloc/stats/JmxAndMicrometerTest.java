package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmxAndMicrometerTest {

    private static FixedPool<Object> busyPool(StatsRegistry stats, String name, PoolStats recorder) {
        FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name(name).capacity(4)
                .factory(Object::new).recorder(recorder).build());
        Handle<Object> a = pool.allocate();
        Handle<Object> b = pool.allocate();
        Handle<Object> c = pool.allocate();
        b.close();
        pool.allocate();
        pool.allocate();
        pool.tryAllocate();
        a.close();
        c.close();
        return pool;
    }

    @Test
    void shouldReportTheSnapshotNumbersThroughTheMXBean() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            busyPool(stats, "jmx-orders", recorder);
            ObjectName name = recorder.registerMBean();
            assertEquals(new ObjectName("io.fastalloc:type=Pool,name=jmx-orders"), name);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertTrue(server.isRegistered(name));
            PoolStatistics s = recorder.statistics();
            assertEquals("jmx-orders", server.getAttribute(name, "PoolName"));
            assertEquals("FixedPool", server.getAttribute(name, "Kind"));
            assertEquals(s.totalAllocations(), server.getAttribute(name, "TotalAllocations"));
            assertEquals(s.totalReleases(), server.getAttribute(name, "TotalReleases"));
            assertEquals(s.currentUsage(), server.getAttribute(name, "CurrentUsage"));
            assertEquals(s.peakUsage(), server.getAttribute(name, "PeakUsage"));
            assertEquals(s.capacity(), server.getAttribute(name, "Capacity"));
            assertEquals(s.exhaustions(), server.getAttribute(name, "Exhaustions"));
            assertEquals(s.waits(), server.getAttribute(name, "Waits"));
            assertEquals(s.growths(), server.getAttribute(name, "Growths"));
            assertEquals(s.discards(), server.getAttribute(name, "Discards"));
            assertEquals(s.utilizationRate(), (Double) server.getAttribute(name, "UtilizationRate"), 1e-12);
            assertEquals(s.hitRate(), (Double) server.getAttribute(name, "HitRate"), 1e-12);
            assertEquals(5L, server.getAttribute(name, "TotalAllocations"));

            assertThrows(IllegalStateException.class, recorder::registerMBean, "a second bean of that name");
            recorder.unregisterMBean();
            assertFalse(server.isRegistered(name));
            recorder.registerMBean();
            recorder.close();
            assertFalse(server.isRegistered(name), "close unregisters");
        }
    }

    @Test
    void shouldQuoteNamesThatJmxReserves() throws Exception {
        ObjectName name = PoolStats.objectName("a,b=c");
        assertEquals("a,b=c", ObjectName.unquote(name.getKeyProperty("name")));
    }

    @Test
    void shouldReportTheSnapshotNumbersThroughMicrometer() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            FixedPool<Object> pool = busyPool(stats, "orders", recorder);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new FastallocMetrics(stats).bindTo(meters);
            PoolStatistics s = recorder.statistics();
            assertEquals(s.totalAllocations(), counter(meters, "fastalloc.pool.allocations"));
            assertEquals(s.totalReleases(), counter(meters, "fastalloc.pool.releases"));
            assertEquals(s.exhaustions(), counter(meters, "fastalloc.pool.exhaustions"));
            assertEquals(s.waits(), counter(meters, "fastalloc.pool.waits"));
            assertEquals(s.growths(), counter(meters, "fastalloc.pool.growths"));
            assertEquals(s.discards(), counter(meters, "fastalloc.pool.discards"));
            assertEquals(s.currentUsage(), gauge(meters, "fastalloc.pool.in.use"));
            assertEquals(s.peakUsage(), gauge(meters, "fastalloc.pool.peak.in.use"));
            assertEquals(s.capacity(), gauge(meters, "fastalloc.pool.capacity"));
            assertEquals(s.utilizationRate(), gauge(meters, "fastalloc.pool.utilization"), 1e-12);
            assertEquals(5.0, counter(meters, "fastalloc.pool.allocations"));

            // live: the meters follow the pool
            pool.allocate();
            assertEquals(6.0, counter(meters, "fastalloc.pool.allocations"));
        }
    }

    @Test
    void shouldBindGivenPoolsWithExtraTags() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            busyPool(stats, "quotes", recorder);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new FastallocMetrics(recorder).withTags(io.micrometer.core.instrument.Tags.of("app", "test")).bindTo(meters);
            assertEquals(5.0, meters.get("fastalloc.pool.allocations").tag("app", "test").tag("pool", "quotes")
                    .functionCounter().count());
        }
    }

    private static double counter(SimpleMeterRegistry meters, String name) {
        FunctionCounter c = meters.get(name).tag("pool", "orders").tag("kind", "FixedPool").functionCounter();
        return c.count();
    }

    private static double gauge(SimpleMeterRegistry meters, String name) {
        Gauge g = meters.get(name).tag("pool", "orders").tag("kind", "FixedPool").gauge();
        return g.value();
    }
}
