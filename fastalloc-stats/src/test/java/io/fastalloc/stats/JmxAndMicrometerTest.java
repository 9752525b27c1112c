package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadSafePool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
            assertEquals(0L, server.getAttribute(name, "WaitingThreads"));
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

    /**
     * Like Micrometer's commons-pool2 binder: a pool made after bindTo gets its meters, a closed one
     * loses them; its waits reach a Micrometer timer; counts of events carry no "objects" unit.
     */
    @Test
    void shouldBindAPoolCreatedAfterBindToWithAWaitTimerAndGauges() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess();
             FastallocMetrics metrics = new FastallocMetrics(stats)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            metrics.bindTo(meters);
            assertTrue(meters.getMeters().isEmpty(), "no pool yet");

            PoolStats recorder = stats.recorder();
            ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.builder().name("late").capacity(2)
                    .factory(Object::new).recorder(recorder).build());
            Handle<Object> a = pool.allocate();
            Handle<Object> b = pool.allocate();
            assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));

            Timer wait = meters.get("fastalloc.pool.wait").tag("pool", "late").tag("kind", "ThreadSafePool").timer();
            assertEquals(1, wait.count());
            assertTrue(wait.totalTime(TimeUnit.MILLISECONDS) >= 20, "waited " + wait.totalTime(TimeUnit.MILLISECONDS));
            assertEquals(1.0, late(meters, "fastalloc.pool.waits").functionCounter().count());
            assertEquals(1.0, late(meters, "fastalloc.pool.exhaustions").functionCounter().count());
            assertEquals(2.0, late(meters, "fastalloc.pool.in.use").gauge().value());
            assertEquals(0.0, late(meters, "fastalloc.pool.idle").gauge().value());
            assertEquals(0.0, late(meters, "fastalloc.pool.waiting").gauge().value());

            // a thread waiting now shows in the waiting gauge
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<Handle<Object>> waiter = executor.submit(() -> pool.allocate(60, TimeUnit.SECONDS));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (late(meters, "fastalloc.pool.waiting").gauge().value() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(1.0, late(meters, "fastalloc.pool.waiting").gauge().value());
                a.close();
                waiter.get(60, TimeUnit.SECONDS).close();
            } finally {
                executor.shutdownNow();
            }
            assertEquals(0.0, late(meters, "fastalloc.pool.waiting").gauge().value());
            assertEquals(2, wait.count());
            assertEquals(1.0, late(meters, "fastalloc.pool.idle").gauge().value());

            // units: objects on gauges of objects only, threads on the waiting gauge, none on counts
            for (Meter m : meters.getMeters()) {
                if (m instanceof FunctionCounter) {
                    assertNull(m.getId().getBaseUnit(), m.getId() + " counts events: no base unit");
                }
            }
            assertEquals("objects", late(meters, "fastalloc.pool.in.use").gauge().getId().getBaseUnit());
            assertEquals("objects", late(meters, "fastalloc.pool.idle").gauge().getId().getBaseUnit());
            assertEquals("threads", late(meters, "fastalloc.pool.waiting").gauge().getId().getBaseUnit());

            // closed: its meters go, and a new pool of the same name gets meters of its own
            b.close();
            pool.close();
            recorder.close();
            assertTrue(meters.find("fastalloc.pool.allocations").tag("pool", "late").meters().isEmpty(),
                    meters.getMetersAsString());
            ThreadSafePool<Object> again = ThreadSafePool.create(PoolConfig.builder().name("late").capacity(3)
                    .factory(Object::new).recorder(stats.recorder()).build());
            assertEquals(3.0, late(meters, "fastalloc.pool.capacity").gauge().value());
            assertEquals(0, meters.get("fastalloc.pool.wait").tag("pool", "late").timer().count());
            again.close();

            // closed binder: later pools get no meters
            metrics.close();
            ThreadSafePool.create(PoolConfig.builder().name("after-close").capacity(1)
                    .factory(Object::new).recorder(stats.recorder()).build());
            assertTrue(meters.find("fastalloc.pool.capacity").tag("pool", "after-close").meters().isEmpty());
        }
    }

    private static io.micrometer.core.instrument.search.RequiredSearch late(SimpleMeterRegistry meters, String name) {
        return meters.get(name).tag("pool", "late").tag("kind", "ThreadSafePool");
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
