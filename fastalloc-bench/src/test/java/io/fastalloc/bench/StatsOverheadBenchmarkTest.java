package io.fastalloc.bench;

import io.fastalloc.stats.PoolStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's states wire each pool kind with the recorder it takes (no timing here). */
class StatsOverheadBenchmarkTest {

    private static StatsOverheadBenchmark.Setting setting(String pool, String stats) {
        StatsOverheadBenchmark.Setting s = new StatsOverheadBenchmark.Setting();
        s.pool = pool;
        s.stats = stats;
        s.setUp();
        return s;
    }

    @Test
    void shouldGiveEveryKindTheRecorderItTakesAndCountItsOperations() {
        StatsOverheadBenchmark benchmark = new StatsOverheadBenchmark();
        for (PoolKind kind : PoolKind.all()) {
            for (String stats : new String[] {"off", "on", "direct"}) {
                StatsOverheadBenchmark.Setting setting = setting(kind.paramName(), stats);
                StatsOverheadBenchmark.ThreadPool a = new StatsOverheadBenchmark.ThreadPool();
                StatsOverheadBenchmark.ThreadPool b = new StatsOverheadBenchmark.ThreadPool();
                a.setUp(setting);
                b.setUp(setting);
                for (int i = 0; i < 100; i++) {
                    assertNotNull(benchmark.allocateClose(a));
                }
                benchmark.allocateClose(b);
                int pools = setting.registry().pools().size();
                if (stats.equals("off")) {
                    assertEquals(0, pools, kind + ": no recorder");
                } else {
                    assertEquals(kind.perThread() ? 2 : 1, pools, kind + ": a pool per thread iff confined");
                    long total = 0;
                    for (PoolStats p : setting.registry().pools()) {
                        boolean singleWriter = kind.kind() == io.fastalloc.testkit.PoolKind.FIXED
                                || kind.kind() == io.fastalloc.testkit.PoolKind.GROWING
                                || kind.kind() == io.fastalloc.testkit.PoolKind.THREAD_SAFE;
                        assertEquals(!singleWriter, p.isConcurrent(), kind + " " + stats);
                        assertEquals(p.statistics().totalAllocations(), p.statistics().totalReleases());
                        total += p.statistics().totalAllocations();
                    }
                    assertEquals(101, total, kind + " " + stats);
                }
                if (!kind.perThread()) {
                    assertSame(a.pool(), b.pool(), kind + ": one pool for all threads");
                }
                a.tearDown();
                b.tearDown();
                setting.tearDown();
            }
        }
    }

    @Test
    void shouldRejectUnknownNames() {
        assertThrows(IllegalArgumentException.class, () -> setting("noSuchPool", "on"));
        StatsOverheadBenchmark.Setting s = setting("fixedPool", "sometimes");
        StatsOverheadBenchmark.ThreadPool t = new StatsOverheadBenchmark.ThreadPool();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setUp(s));
        assertTrue(e.getMessage().startsWith("stats: sometimes"), e.getMessage());
        s.tearDown();
    }
}
