package io.fastalloc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Steady-state allocate + close in unchecked mode allocates nothing on the calling thread, measured
 * with {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)} around 100,000 pairs
 * after a 200,000-pair warm-up. The JIT may still allocate while it settles, so the measurement is
 * taken a few times and the minimum must be exactly 0.
 */
class ZeroGarbageTest {
    private static final int PAIRS = 100_000;
    private static final int WARM_UP = 200_000;
    private static final int ATTEMPTS = 5;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void bean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static long allocatedBytes() {
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static PoolConfig.Builder<Item> unchecked(AllocationStrategy strategy) {
        return PoolConfig.<Item>builder().capacity(64).factory(new Item.Factory()).reset(Item::reset)
                .allocationStrategy(strategy).checked(false);
    }

    private static int pairs(Pool<Item> pool, int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            Handle<Item> h = pool.allocate();
            Item item = h.get();
            item.value = i;
            sum += item.serial;
            h.close();
        }
        return sum;
    }

    private static long minBytesPerRun(Pool<Item> pool) {
        pairs(pool, WARM_UP);
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < ATTEMPTS && min != 0; attempt++) {
            long before = allocatedBytes();
            int sink = pairs(pool, PAIRS);
            long after = allocatedBytes();
            min = Math.min(min, after - before);
            if (sink == 42) {
                System.out.print("");
            }
        }
        return min;
    }

    @Test
    void shouldAllocateNothingOnFixedPoolAllocateAndClose() {
        for (AllocationStrategy strategy : AllocationStrategy.values()) {
            FixedPool<Item> pool = FixedPool.create(unchecked(strategy).build());
            assertEquals(0, minBytesPerRun(pool), "bytes for " + PAIRS + " pairs, " + strategy);
        }
    }

    @Test
    void shouldAllocateNothingOnGrowingPoolAllocateAndClose() {
        for (AllocationStrategy strategy : AllocationStrategy.values()) {
            GrowingPool<Item> pool = GrowingPool.create(unchecked(strategy).capacity(4).maxCapacity(1024)
                    .growthStrategy(GrowthStrategy.exponential(2.0)).build());
            List<Handle<Item>> grow = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                grow.add(pool.allocate());
            }
            grow.forEach(Handle::close);
            assertEquals(128, pool.capacity());
            assertEquals(0, minBytesPerRun(pool), "bytes for " + PAIRS + " pairs, " + strategy);
        }
    }

    @Test
    void shouldAllocateNothingOnTryAllocateWhenExhausted() {
        for (boolean growing : new boolean[] {false, true}) {
            PoolConfig<Item> config = unchecked(AllocationStrategy.STACK).capacity(8).maxCapacity(8).build();
            Pool<Item> pool = growing ? GrowingPool.create(config) : FixedPool.create(config);
            for (int i = 0; i < 8; i++) {
                pool.allocate();
            }
            long min = Long.MAX_VALUE;
            for (int attempt = 0; attempt < ATTEMPTS && min != 0; attempt++) {
                Handle<Item> last = null;
                for (int i = 0; i < WARM_UP; i++) {
                    last = pool.tryAllocate();
                }
                assertNull(last);
                long before = allocatedBytes();
                for (int i = 0; i < PAIRS; i++) {
                    last = pool.tryAllocate();
                }
                long after = allocatedBytes();
                assertNull(last);
                min = Math.min(min, after - before);
            }
            assertEquals(0, min, "bytes for " + PAIRS + " tryAllocate on an exhausted pool, growing=" + growing);
        }
    }
}
