package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four recorder flavours agree on every event; the recorder's and registry's edge cases. */
class RecorderFlavourTest {
    @TempDir
    Path dir;

    /** (concurrent, publish interval ms, expected class). */
    static Stream<Arguments> flavours() {
        return Stream.of(
                Arguments.of(false, 100L, "PublishingPoolStats"),
                Arguments.of(false, 0L, "SingleWriterPoolStats"),
                Arguments.of(true, 100L, "StripedPoolStats"),
                Arguments.of(true, 0L, "ConcurrentPoolStats"));
    }

    private static PoolStats recorder(StatsRegistry stats, boolean concurrent) {
        return concurrent ? stats.concurrentRecorder() : stats.recorder();
    }

    @ParameterizedTest(name = "concurrent={0} publishInterval={1}ms")
    @MethodSource("flavours")
    void shouldCountEveryKindOfEventTheSameInEveryFlavour(boolean concurrent, long publishMs, String type) {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(Duration.ofMillis(publishMs)).build()) {
            PoolStats r = recorder(stats, concurrent);
            assertEquals(type, r.getClass().getSimpleName());
            assertEquals(concurrent, r.isConcurrent());
            r.onCreate("events", "TestPool", 4);
            r.onAllocate();
            r.onAllocate();
            r.onAllocate();
            // a read samples the peak of the striped flavour; the others keep it exactly anyway
            assertEquals(3, r.value(PoolCounter.PEAK_IN_USE));
            r.onRelease();
            r.onExhausted();
            r.onExhausted();
            r.onWait(1_000);
            r.onWait(2_500);
            r.onCapacityChange(4, 8);
            r.onCapacityChange(8, 6);
            r.onDiscard();
            assertEquals(2, r.value(PoolCounter.IN_USE));
            r.onRelease();
            r.onRelease();

            PoolStatistics s = r.statistics();
            assertEquals("events", s.poolName());
            assertEquals("TestPool", s.kind());
            assertEquals(3, s.totalAllocations());
            assertEquals(3, s.totalReleases());
            assertEquals(0, s.currentUsage());
            assertEquals(3, s.peakUsage());
            assertEquals(2, s.exhaustions());
            assertEquals(2, s.waits());
            assertEquals(3_500, s.waitNanos());
            assertEquals(1, s.growths(), "a shrink is not a growth");
            assertEquals(6, s.capacity());
            assertEquals(1, s.discards());
            assertEquals(0.6, s.hitRate(), 1e-9);
            for (PoolCounter c : PoolCounter.values()) {
                assertTrue(r.counterId(c) >= 0, c + " registered");
            }
            // once published, the counters other processes read hold the same numbers
            stats.publish();
            CountersReader reader = stats.countersReader();
            assertEquals(3, reader.getCounterValue(r.counterId(PoolCounter.ALLOCATIONS)));
            assertEquals(3, reader.getCounterValue(r.counterId(PoolCounter.RELEASES)));
            assertEquals(0, reader.getCounterValue(r.counterId(PoolCounter.IN_USE)));
            assertEquals(3, reader.getCounterValue(r.counterId(PoolCounter.PEAK_IN_USE)));
            assertEquals(3_500, reader.getCounterValue(r.counterId(PoolCounter.WAIT_NANOS)));
            assertTrue(r.toString().startsWith(type + "{PoolStatistics{pool=events, kind=TestPool"), r.toString());
        }
    }

    @ParameterizedTest(name = "concurrent={0} publishInterval={1}ms")
    @MethodSource("flavours")
    void shouldKeepTheLastCountsAfterClosingAndGiveUpTheCounters(boolean concurrent, long publishMs, String type) {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(Duration.ofMillis(publishMs)).build()) {
            PoolStats r = recorder(stats, concurrent);
            r.onCreate("closing", "TestPool", 2);
            r.onAllocate();
            r.onAllocate();
            r.onRelease();
            int id = r.counterId(PoolCounter.ALLOCATIONS);
            r.close();
            assertEquals(-1, r.counterId(PoolCounter.ALLOCATIONS), "detached counters have no id");
            assertEquals(CountersReader.RECORD_RECLAIMED, stats.countersReader().getCounterState(id));
            PoolStatistics s = r.statistics();
            assertEquals(2, s.totalAllocations());
            assertEquals(1, s.totalReleases());
            assertEquals(1, s.currentUsage());
            // a late event from the pool lands in the detached counters, seen by no other process
            r.onRelease();
            assertEquals(0, r.statistics().currentUsage());
            r.close(); // idempotent
        }
    }

    @Test
    void shouldReadZerosBeforeAPoolUsesTheRecorder() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats named = stats.recorder("early");
            PoolStatistics s = named.statistics();
            assertEquals("early", s.poolName());
            assertEquals("", s.kind());
            assertEquals(0, s.totalAllocations());
            assertEquals(0, s.capacity());
            assertEquals(0.0, s.utilizationRate());
            assertEquals(-1, named.counterId(PoolCounter.CAPACITY));
            assertEquals(0, named.value(PoolCounter.ALLOCATIONS));
            PoolStats unnamed = stats.concurrentRecorder();
            assertEquals("", unnamed.statistics().poolName());
            assertEquals(null, unnamed.poolName());
            assertEquals("", unnamed.kind());
            IllegalStateException e = assertThrows(IllegalStateException.class, unnamed::registerMBean);
            assertTrue(e.getMessage().contains("no pool uses this recorder yet"), e.getMessage());
            stats.publish(); // nothing registered: nothing to publish
        }
    }

    @Test
    void shouldCopySnapshotsAndPrintThem() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats r = stats.recorder();
            r.onCreate("copied", "TestPool", 10);
            r.onAllocate();
            PoolStatistics s = r.statistics();
            PoolStatistics copy = s.copy();
            assertNotSame(s, copy);
            assertEquals(s.toString(), copy.toString());
            assertEquals(1, copy.totalAllocations());
            assertEquals(0.1, copy.utilizationRate(), 1e-9);
            assertTrue(copy.toString().contains("pool=copied") && copy.toString().contains("allocations=1"),
                    copy.toString());
        }
    }

    @Test
    void shouldQuoteObjectNamesThatJmxReserves() throws Exception {
        assertEquals(new ObjectName("io.fastalloc:type=Pool,name=plain-name"), PoolStats.objectName("plain-name"));
        for (String reserved : new String[] {"", "a,b", "a=b", "a:b", "a\"b", "a*", "a?", "a\nb", "a\\b"}) {
            ObjectName on = PoolStats.objectName(reserved);
            assertEquals(reserved, ObjectName.unquote(on.getKeyProperty("name")), "round trip of " + reserved);
        }
    }

    @Test
    void shouldToleratetheMXBeanBeingUnregisteredByOthers() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats r = stats.recorder();
            r.onCreate("gone-bean", "TestPool", 1);
            ObjectName on = r.registerMBean();
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertEquals(0L, server.getAttribute(on, "WaitNanos"));
            server.unregisterMBean(on);
            r.unregisterMBean(); // already gone: no error
            assertFalse(server.isRegistered(on));
            // the name can be registered again
            r.registerMBean(server);
            assertTrue(server.isRegistered(on));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.registerMBean(server));
            assertTrue(e.getMessage().contains("cannot register MXBean"), e.getMessage());
            r.close();
            assertFalse(server.isRegistered(on));
        }
    }

    @Test
    void shouldShortenTheLabelOfAVeryLongPoolNameToFitAgrona() {
        String longName = "p".repeat(CountersReader.MAX_LABEL_LENGTH + 50);
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats r = stats.recorder();
            r.onCreate(longName, "TestPool", 1);
            String label = stats.countersReader().getCounterLabel(r.counterId(PoolCounter.ALLOCATIONS));
            assertTrue(label.getBytes(StandardCharsets.UTF_8).length <= CountersReader.MAX_LABEL_LENGTH, label);
            assertTrue(label.startsWith("fastalloc ppp") && label.endsWith(" TestPool allocations"), label);
            assertEquals(longName, r.poolName(), "the name itself is kept whole");
        }
    }

    @Test
    void shouldRejectBadSettings() {
        StatsRegistry.Builder b = StatsRegistry.builder();
        assertEquals("waitEventThreshold: PT-1S (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> b.waitEventThreshold(Duration.ofSeconds(-1)))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.waitEventThreshold(null));
        assertEquals("publishInterval: PT-0.001S (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> b.publishInterval(Duration.ofMillis(-1)))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.publishInterval(null));
        assertThrows(IllegalArgumentException.class, () -> b.maxPools(100_001));
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            assertThrows(IllegalArgumentException.class, () -> stats.concurrentRecorder(null));
            assertEquals("StatsRegistry(in process)", stats.toString());
        }
    }

    @Test
    void shouldRejectADirectoryThatIsAFile() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatsRegistry.mapped(file.resolve("sub")));
        assertTrue(e.getMessage().startsWith("directory: " + file.resolve("sub")), e.getMessage());
        try (StatsRegistry stats = StatsRegistry.mapped(dir.resolve("fresh"))) {
            assertEquals("StatsRegistry(" + stats.file() + ')', stats.toString());
        }
    }

    @Test
    void shouldReadASingleThreadedPoolsOwnCountsAndPublishThem() {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(Duration.ofHours(1)).build()) {
            PoolStats r = stats.recorder();
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("own-counts").capacity(4)
                    .factory(Object::new).recorder(r).build());
            Handle<Object> a = pool.allocate();
            Handle<Object> b = pool.allocate();
            a.close();
            assertEquals(2, r.value(PoolCounter.ALLOCATIONS), "read live from the pool");
            assertEquals(1, r.value(PoolCounter.RELEASES));
            assertEquals(1, r.value(PoolCounter.IN_USE));
            assertEquals(2, r.value(PoolCounter.PEAK_IN_USE));

            CountersReader reader = stats.countersReader();
            int allocations = r.counterId(PoolCounter.ALLOCATIONS);
            assertEquals(0, reader.getCounterValue(allocations), "not published yet");
            stats.publish();
            assertEquals(2, reader.getCounterValue(allocations));
            assertEquals(1, reader.getCounterValue(r.counterId(PoolCounter.RELEASES)));
            assertEquals(1, reader.getCounterValue(r.counterId(PoolCounter.IN_USE)));
            assertEquals(2, reader.getCounterValue(r.counterId(PoolCounter.PEAK_IN_USE)));
            b.close();
            stats.publish();
            assertEquals(2, reader.getCounterValue(r.counterId(PoolCounter.RELEASES)));
            assertEquals(0, reader.getCounterValue(r.counterId(PoolCounter.IN_USE)));

            r.onAllocate(); // told directly: added to the pool's own counts
            assertEquals(3, r.value(PoolCounter.ALLOCATIONS));
            assertEquals(1, r.value(PoolCounter.IN_USE));
        }
    }

    @Test
    void shouldNotLetASecondPoolTakeOverARecorderThatReadsTheFirstPoolsCounts() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats r = stats.recorder();
            FixedPool<Object> first = FixedPool.create(PoolConfig.builder().name("first").capacity(2)
                    .factory(Object::new).recorder(r).build());
            first.allocate();
            assertThrows(IllegalStateException.class, () -> GrowingPool.create(PoolConfig.builder()
                    .name("second").capacity(2).factory(Object::new).recorder(r).build()));
            assertEquals(1, r.value(PoolCounter.ALLOCATIONS), "still the first pool's counts");
            assertEquals("first", r.statistics().poolName());
        }
    }
}
