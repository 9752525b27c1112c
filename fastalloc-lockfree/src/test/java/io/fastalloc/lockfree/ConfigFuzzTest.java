package io.fastalloc.lockfree;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.PoolKind;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Thousands of random builder inputs: each gives either a working pool or an
 * {@link IllegalArgumentException} naming a field, never any other exception and never a pool that
 * breaks its own invariants.
 */
class ConfigFuzzTest {
    static final int RUNS = 3_000;

    /**
     * Every pool kind, from the registry (this test lives in the lock-free module because it sees them
     * all), in the registry's order, so that a seed picks the same kind from run to run.
     */
    static final List<PoolKind> KINDS = PoolKind.present();

    private static int pick(SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0:
                return 0;
            case 1:
                return -r.nextInt(1, 1000);
            case 2:
                return Integer.MIN_VALUE;
            case 3:
                return 1;
            case 4:
                return r.nextInt(1, 8);
            case 5:
                return r.nextInt(1, 200);
            case 6:
                return 1 << r.nextInt(0, 31);
            default:
                return r.nextInt(1, 2000);
        }
    }

    @Test
    void shouldBuildAWorkingPoolOrThrowIllegalArgumentExceptionNamingAField() {
        SplittableRandom random = new SplittableRandom(20261125L);
        int built = 0;
        int rejected = 0;
        for (int run = 0; run < RUNS; run++) {
            SplittableRandom r = random.split();
            PoolConfig.Builder<int[]> b = PoolConfig.builder();
            String description = "run " + run;
            try {
                if (r.nextInt(10) > 0) {
                    b.capacity(Math.min(pick(r), 20_000));
                }
                if (r.nextBoolean()) {
                    b.maxCapacity(Math.min(pick(r), 40_000));
                }
                switch (r.nextInt(5)) {
                    case 0:
                        b.growthStrategy(GrowthStrategy.linear(pick(r)));
                        break;
                    case 1:
                        b.growthStrategy(GrowthStrategy.exponential(r.nextDouble(-1, 4)));
                        break;
                    case 2:
                        int step = pick(r);
                        b.growthStrategy(GrowthStrategy.custom(c -> c + step));
                        break;
                    case 3:
                        b.growthStrategy(GrowthStrategy.none());
                        break;
                    default:
                        break;
                }
                if (r.nextBoolean()) {
                    b.alignment(r.nextBoolean() ? pick(r) : 1 << r.nextInt(0, 12));
                }
                if (r.nextInt(20) > 0) {
                    b.factory(() -> new int[1]);
                }
                if (r.nextBoolean()) {
                    b.reset(a -> a[0] = 0);
                }
                b.allocationStrategy(AllocationStrategy.values()[r.nextInt(3)]);
                b.initialization(r.nextBoolean() ? InitializationStrategy.EAGER : InitializationStrategy.LAZY);
                b.checked(r.nextInt(4) == 0);
                if (r.nextInt(10) == 0) {
                    b.maxThreads(pick(r));
                }
                PoolConfig<int[]> config = b.build();
                description += " " + config;
                PoolKind kind = KINDS.get(r.nextInt(KINDS.size()));
                description += " " + kind;
                try (Pool<int[]> pool = kind.create(config)) {
                    exercise(pool, r, description);
                }
                built++;
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                assertTrue(m.matches("^[a-zA-Z]+: .*"), description + ": the message names a field: " + m);
                rejected++;
            } catch (RuntimeException | Error e) {
                fail(description + ": neither a working pool nor IllegalArgumentException", e);
            }
        }
        assertTrue(built > RUNS / 10, "enough valid configs were built: " + built);
        assertTrue(rejected > RUNS / 10, "enough invalid configs were rejected: " + rejected);
    }

    private static void exercise(Pool<int[]> pool, SplittableRandom r, String description) {
        int limit = Math.min(pool.capacity() + 64, 5_000);
        List<Handle<int[]>> held = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            Handle<int[]> h = pool.tryAllocate();
            if (h == null) {
                break;
            }
            h.get()[0] = i + 1;
            held.add(h);
            assertEquals(pool.capacity(), pool.available() + pool.inUse(), description);
        }
        assertTrue(!held.isEmpty(), description + ": a valid pool hands out at least one object");
        for (Handle<int[]> h : held) {
            if (r.nextBoolean()) {
                h.close();
            }
        }
        for (Handle<int[]> h : held) {
            try {
                h.close();
            } catch (IllegalStateException alreadyClosed) {
                // closed in the first pass: a second close is refused, as it must be
            }
        }
        assertEquals(0, pool.inUse(), description);
        assertEquals(pool.capacity(), pool.available(), description);
    }
}
