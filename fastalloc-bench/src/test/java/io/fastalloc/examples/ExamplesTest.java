package io.fastalloc.examples;

import io.fastalloc.stats.PoolStatistics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every example in {@code io.fastalloc.examples}, so they cannot rot, and checks what each did. */
class ExamplesTest {

    @Test
    void basicUsageShouldReuseResetAndReportExhaustion() {
        BasicUsage.Result r = BasicUsage.run();
        assertTrue(r.sameObjectReused(), "STACK hands the last released object out first");
        assertTrue(r.resetRan(), "the reset function cleared the order");
        assertEquals(4, r.batchSize());
        assertNull(r.tryAllocateWhenFull());
        assertTrue(r.exhaustedMessage().contains("orders"), r.exhaustedMessage());
        assertEquals(16, r.grownCapacity(), "2 doubled until 10 fit");
        assertTrue(mainOutput(() -> BasicUsage.main(new String[0])).contains("GrowingPool(2) after taking 10, capacity:    16"));
    }

    @Test
    void gameEntitiesShouldGrowForTheBigWaveAndTrimAfterIt() {
        GameEntities.Result r = GameEntities.run();
        assertTrue(r.peakLive() >= 1000, "the big wave is alive at once: " + r.peakLive());
        assertTrue(r.capacityAtPeak() >= r.peakLive(), "the pool grew to hold it: " + r);
        assertEquals(0, r.inUseAtEnd());
        assertEquals(64, r.capacityAtEnd(), "trim gives back everything above the initial capacity");
        assertEquals(r.capacityAtPeak() - 64, r.trimmed());
        assertTrue(mainOutput(() -> GameEntities.main(new String[0])).contains("enemies spawned"));
    }

    @Test
    void serverConnectionsShouldServeEveryRequestWithoutSharingAConnection() throws Exception {
        ServerConnections.Result r = ServerConnections.run();
        assertEquals(r.workers() * 500, r.requests());
        assertEquals(0, r.overlaps(), "a connection was held by two threads at once");
        assertTrue(r.timedOut(), "a timed allocate with every connection held gives up");
        assertTrue(r.connectionsOpened() > r.capacity(), "broken connections were replaced: " + r);
        assertEquals(0, r.inUseAtEnd());
        assertTrue(mainOutput(() -> ServerConnections.main(new String[0])).contains("gave up: true"));
    }

    @Test
    void particleSystemShouldDropParticlesOverBudgetAndNeverExceedIt() {
        ParticleSystem.Result r = ParticleSystem.run();
        assertTrue(r.dropped() > 0, "the explosions ask for more than the budget: " + r);
        assertEquals(r.budget(), r.peakLive(), "the budget is used up, never exceeded");
        assertEquals(0, r.inUseAtEnd());
        assertTrue(mainOutput(() -> ParticleSystem.main(new String[0])).contains("dropped"));
    }

    @Test
    void statisticsShouldCountEveryAllocationReleaseGrowthAndExhaustion() {
        PoolStatistics s = Statistics.run();
        assertEquals("requests", s.poolName());
        assertEquals("GrowingPool", s.kind());
        assertEquals(1_016, s.totalAllocations());
        assertEquals(1_016, s.totalReleases());
        assertEquals(0, s.currentUsage());
        assertEquals(16, s.peakUsage());
        assertEquals(16, s.capacity());
        assertEquals(1, s.growths());
        assertTrue(s.exhaustions() >= 1, "tryAllocate at maxCapacity is an exhaustion: " + s);
        assertTrue(s.hitRate() < 1.0);
        assertTrue(mainOutput(() -> Statistics.main(new String[0])).contains("pool 'requests' (GrowingPool)"));
    }

    @Test
    void marketDataPipelineShouldDeliverEveryTickAndReturnEveryBuffer() {
        MarketDataPipeline.Outcome o = MarketDataPipeline.run();
        assertTrue(o.pooled().lossless(), o.pooled().tableRow());
        assertEquals(MarketDataPipeline.EXAMPLE_MESSAGES, o.pooled().received);
        assertEquals(0, o.pooled().buffersOut);
        assertTrue(o.heap().lossless(), o.heap().tableRow());
        assertTrue(o.heap().allocatedBytes > o.pooled().allocatedBytes, "the heap pipeline allocates per tick");
    }

    @Test
    void marketDataPipelineMainShouldRunTheExampleWithoutArguments() {
        String out = mainOutput(() -> MarketDataPipeline.main(new String[0]));
        assertTrue(out.contains("received " + MarketDataPipeline.EXAMPLE_MESSAGES + ", out of order 0, buffers not returned 0"),
                out);
    }

    @Test
    void demoShouldShowEachStrategyAndAGrowingPool() {
        String out = mainOutput(() -> Demo.main(new String[0]));
        for (io.fastalloc.AllocationStrategy s : io.fastalloc.AllocationStrategy.values()) {
            assertTrue(out.contains("FixedPool " + s), out);
        }
        assertTrue(out.contains("tryAllocate returned null 1 time(s) while exhausted"), out);
        assertTrue(out.contains("GrowingPool: took 10 at once, capacity grew 2 -> 16"), out);
    }

    @Test
    void virtualThreadServerShouldHandleEveryRequestFromOneSharedPool() throws Exception {
        if (Runtime.version().feature() < 21) {
            System.out.println("VirtualThreadServer needs JDK 21+; this is JDK " + Runtime.version().feature()
                    + ": only its fallback is checked here (CI runs it on JDK 25)");
            VirtualThreadServer.Result r = VirtualThreadServer.run();
            assertFalse(r.supported());
            assertTrue(mainOutput(() -> VirtualThreadServer.main(new String[0])).contains("need JDK 21"));
            return;
        }
        VirtualThreadServer.Result r = VirtualThreadServer.run();
        assertTrue(r.supported());
        assertEquals(VirtualThreadServer.REQUESTS, r.handled());
        assertEquals(VirtualThreadServer.REQUESTS, r.onVirtualThread(), "every handler ran on a virtual thread");
        assertEquals(0, r.overlaps());
        assertTrue(r.peakInUse() <= r.capacity(), r.toString());
        assertEquals(0, r.inUseAtEnd());
        assertTrue(mainOutput(() -> VirtualThreadServer.main(new String[0])).contains("10000 on virtual threads"));
    }

    /** Runs a main and returns what it printed. */
    private static String mainOutput(ThrowingRunnable main) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
