package io.fastalloc.stats;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolStatsCountersTest {
    @TempDir
    Path dir;

    private StatsRegistry registry(boolean mapped) {
        return mapped ? StatsRegistry.mapped(dir) : StatsRegistry.inProcess();
    }

    @ParameterizedTest(name = "mapped={0}")
    @ValueSource(booleans = {false, true})
    void shouldCountFixedPoolOperationsExactly(boolean mapped) {
        try (StatsRegistry stats = registry(mapped)) {
            PoolStats recorder = stats.recorder();
            FixedPool<StringBuilder> pool = FixedPool.create(PoolConfig.<StringBuilder>builder()
                    .name("orders").capacity(4).factory(StringBuilder::new).recorder(recorder).build());

            Handle<StringBuilder> a = pool.allocate();
            Handle<StringBuilder> b = pool.allocate();
            Handle<StringBuilder> c = pool.allocate();
            b.close();
            Handle<StringBuilder> d = pool.allocate();
            Handle<StringBuilder> e = pool.allocate();
            assertNull(pool.tryAllocate());
            assertThrows(PoolExhaustedException.class, pool::allocate);
            a.close();
            c.close();

            PoolStatistics s = recorder.statistics();
            assertEquals("orders", s.poolName());
            assertEquals("FixedPool", s.kind());
            assertEquals(5, s.totalAllocations());
            assertEquals(3, s.totalReleases());
            assertEquals(2, s.currentUsage());
            assertEquals(pool.inUse(), s.currentUsage());
            assertEquals(4, s.peakUsage());
            assertEquals(4, s.capacity());
            assertEquals(2, s.exhaustions());
            assertEquals(0, s.growths());
            assertEquals(0.5, s.utilizationRate(), 1e-9);
            assertEquals(5.0 / 7.0, s.hitRate(), 1e-9);
            d.close();
            e.close();
            assertEquals(0, recorder.statistics().currentUsage());
            assertEquals(mapped, stats.file() != null && Files.exists(stats.file()));
        }
    }

    @ParameterizedTest(name = "publishInterval={0}ms")
    @ValueSource(longs = {0, 100})
    void shouldPublishCountsToTheCountersThatOtherProcessesRead(long intervalMs) throws InterruptedException {
        try (StatsRegistry stats = StatsRegistry.builder().directory(dir)
                .publishInterval(java.time.Duration.ofMillis(intervalMs)).build()) {
            PoolStats recorder = stats.recorder();
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("published").capacity(4)
                    .factory(Object::new).recorder(recorder).build());
            Handle<Object> held = pool.allocate();
            pool.allocate().close();
            int allocations = recorder.counterId(PoolCounter.ALLOCATIONS);
            int inUse = recorder.counterId(PoolCounter.IN_USE);
            int peak = recorder.counterId(PoolCounter.PEAK_IN_USE);
            // the publisher thread (or, with interval 0, the pool itself) brings the counters up to date
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (stats.countersReader().getCounterValue(allocations) != 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, stats.countersReader().getCounterValue(allocations));
            assertEquals(1, stats.countersReader().getCounterValue(inUse));
            assertEquals(2, stats.countersReader().getCounterValue(peak));
            assertEquals(intervalMs == 0 ? "SingleWriterPoolStats" : "PublishingPoolStats",
                    recorder.getClass().getSimpleName());
            held.close();
            stats.publish();
            assertEquals(0, stats.countersReader().getCounterValue(inUse));
        }
    }

    @Test
    void shouldMatchAModelOverRandomOperations() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder("random");
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder()
                    .capacity(16).factory(Object::new).recorder(recorder).build());
            Random random = new Random(42);
            Deque<Handle<Object>> held = new ArrayDeque<>();
            long allocations = 0;
            long releases = 0;
            long exhaustions = 0;
            long peak = 0;
            for (int i = 0; i < 10_000; i++) {
                if (random.nextInt(100) < 55) {
                    Handle<Object> h = pool.tryAllocate();
                    if (h == null) {
                        exhaustions++;
                    } else {
                        allocations++;
                        held.push(h);
                        peak = Math.max(peak, held.size());
                    }
                } else if (!held.isEmpty()) {
                    held.pop().close();
                    releases++;
                }
            }
            PoolStatistics s = recorder.snapshotInto(new PoolStatistics());
            assertEquals("random", s.poolName());
            assertEquals(allocations, s.totalAllocations());
            assertEquals(releases, s.totalReleases());
            assertEquals(held.size(), s.currentUsage());
            assertEquals(peak, s.peakUsage());
            assertEquals(exhaustions, s.exhaustions());
            assertTrue(exhaustions > 0, "the walk should have hit exhaustion");
        }
    }

    @Test
    void shouldCountGrowingPoolGrowthAndCapacity() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            GrowingPool<Object> pool = GrowingPool.create(PoolConfig.builder().name("growing")
                    .capacity(2).maxCapacity(8).growthStrategy(GrowthStrategy.exponential(2.0))
                    // BITMAP: core's STACK/FREE_LIST free sets overflow on release after a growth
                    // from a full pool (FreeSlots.addRange sizes for size + n, not the new capacity)
                    .allocationStrategy(AllocationStrategy.BITMAP)
                    .factory(Object::new).recorder(recorder).build());
            List<Handle<Object>> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(pool.allocate());
            }
            assertNull(pool.tryAllocate());
            PoolStatistics s = recorder.statistics();
            assertEquals("GrowingPool", s.kind());
            assertEquals(8, s.totalAllocations());
            assertEquals(8, s.capacity());
            assertEquals(pool.capacity(), s.capacity());
            assertEquals(2, s.growths(), "2 -> 4 -> 8");
            assertEquals(1, s.exhaustions());
            assertEquals(8, s.peakUsage());
            assertEquals(1.0, s.utilizationRate(), 1e-9);
            held.forEach(Handle::close);
            assertEquals(0, recorder.statistics().currentUsage());
            assertEquals(8, recorder.statistics().totalReleases());
        }
    }

    @Test
    void shouldRejectASecondPoolWithTheSameName() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            FixedPool.create(PoolConfig.builder().name("orders").capacity(1).factory(Object::new)
                    .recorder(stats.recorder()).build());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> GrowingPool.create(
                    PoolConfig.builder().name("orders").capacity(1).factory(Object::new)
                            .recorder(stats.recorder()).build()));
            assertTrue(e.getMessage().contains("'orders' is already registered"), e.getMessage());
            assertEquals(1, stats.pools().size());
        }
    }

    @Test
    void shouldFreeTheNameWhenPoolStatsIsClosed() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats first = stats.recorder();
            FixedPool.create(PoolConfig.builder().name("orders").capacity(1).factory(Object::new)
                    .recorder(first).build()).close();
            first.close();
            assertNull(stats.find("orders"));
            PoolStats second = stats.recorder();
            FixedPool<Object> again = FixedPool.create(PoolConfig.builder().name("orders").capacity(1)
                    .factory(Object::new).recorder(second).build());
            assertSame(second, stats.find("orders"));
            again.allocate().close();
            assertEquals(1, second.statistics().totalAllocations());
        }
    }

    @Test
    void shouldRejectOneRecorderForTwoPools() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats shared = stats.recorder();
            FixedPool.create(PoolConfig.builder().name("a").capacity(1).factory(Object::new).recorder(shared).build());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FixedPool.create(
                    PoolConfig.builder().name("b").capacity(1).factory(Object::new).recorder(shared).build()));
            assertTrue(e.getMessage().contains("one recorder per pool"), e.getMessage());
        }
    }

    @Test
    void shouldUseTheRecorderNameOverThePoolName() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder("renamed");
            FixedPool.create(PoolConfig.builder().name("orders").capacity(1).factory(Object::new)
                    .recorder(recorder).build());
            assertEquals("renamed", recorder.poolName());
            assertSame(recorder, stats.find("renamed"));
        }
    }

    @Test
    void shouldLabelEveryCounterWithPoolKindAndCounter() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            FixedPool.create(PoolConfig.builder().name("orders").capacity(1).factory(Object::new)
                    .recorder(recorder).build());
            for (PoolCounter c : PoolCounter.values()) {
                int id = recorder.counterId(c);
                assertEquals("fastalloc orders FixedPool " + c.label(), stats.countersReader().getCounterLabel(id));
                assertEquals(c.typeId(), stats.countersReader().getCounterTypeId(id));
                assertSame(c, PoolCounter.ofTypeId(c.typeId()));
            }
            assertNull(PoolCounter.ofTypeId(0));
        }
    }

    @Test
    void shouldRefuseADirectoryALiveProcessWrites() {
        try (StatsRegistry first = StatsRegistry.mapped(dir)) {
            assertNotNull(first.file());
            assertEquals(ProcessHandle.current().pid(), StatsFileReader.livePid(first.file()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StatsRegistry.mapped(dir));
            assertTrue(e.getMessage().contains("is in use by live process " + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        // once closed, the directory is free again
        StatsRegistry.mapped(dir).close();
    }

    @Test
    void shouldReplaceAFileLeftByAProcessThatIsGone() throws Exception {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(4096).order(java.nio.ByteOrder.nativeOrder());
        header.putLong(StatsLayout.MAGIC_OFFSET, StatsLayout.MAGIC);
        header.putInt(StatsLayout.VERSION_OFFSET, StatsLayout.LAYOUT_VERSION);
        header.putLong(StatsLayout.PID_OFFSET, Long.MAX_VALUE); // no such process
        Files.write(dir.resolve("fastalloc-stats.dat"), header.array());
        try (StatsRegistry stats = StatsRegistry.mapped(dir)) {
            assertEquals(ProcessHandle.current().pid(), StatsFileReader.livePid(stats.file()));
        }
    }

    @Test
    void shouldDeleteTheFileOnClose() {
        StatsRegistry stats = StatsRegistry.mapped(dir);
        Path file = stats.file();
        assertTrue(Files.exists(file));
        stats.close();
        assertFalse(Files.exists(file));
        stats.close();
    }

    @Test
    void shouldRejectRegistrationAfterClose() {
        StatsRegistry stats = StatsRegistry.inProcess();
        stats.close();
        assertThrows(IllegalStateException.class, () -> FixedPool.create(PoolConfig.builder().capacity(1)
                .factory(Object::new).recorder(stats.recorder()).build()));
    }

    @Test
    void shouldRejectBadBuilderArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatsRegistry.builder().maxPools(0));
        assertEquals("maxPools: 0 (expected: 1 to 100000)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatsRegistry.inProcess().recorder(""));
    }

    @Test
    void shouldReportFullRegistry() {
        try (StatsRegistry stats = StatsRegistry.builder().maxPools(1).build()) {
            FixedPool.create(PoolConfig.builder().capacity(1).factory(Object::new).recorder(stats.recorder()).build());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FixedPool.create(
                    PoolConfig.builder().capacity(1).factory(Object::new).recorder(stats.recorder()).build()));
            assertTrue(e.getMessage().contains("is full"), e.getMessage());
        }
    }
}
