// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.Demo
package io.fastalloc.examples;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.util.List;

/**
 * The demo: each allocation strategy's order of reuse, exhaustion and a batch on a {@code FixedPool},
 * then a {@code GrowingPool} growing and trimming; prints what each did. The pooled object is
 * {@link BasicUsage}'s order.
 * Run with {@code java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.Demo}.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("fastalloc demo");
        for (AllocationStrategy strategy : AllocationStrategy.values()) {
            PoolConfig<BasicUsage.Order> config = PoolConfig.<BasicUsage.Order>builder()
                    .name("orders-" + strategy).capacity(4)
                    .factory(BasicUsage.Order::new).reset(BasicUsage.Order::clear)
                    .allocationStrategy(strategy).build();
            try (FixedPool<BasicUsage.Order> pool = FixedPool.create(config)) {
                show(pool, strategy);
            }
        }
        PoolConfig<BasicUsage.Order> growing = PoolConfig.<BasicUsage.Order>builder()
                .name("growing").capacity(2).maxCapacity(16).growthStrategy(GrowthStrategy.exponential(2.0))
                .factory(BasicUsage.Order::new).reset(BasicUsage.Order::clear)
                .allocationStrategy(AllocationStrategy.BITMAP).build();
        try (GrowingPool<BasicUsage.Order> pool = GrowingPool.create(growing)) {
            List<Handle<BasicUsage.Order>> batch = pool.allocateBatch(10);
            System.out.printf("GrowingPool: took %d at once, capacity grew 2 -> %d%n", batch.size(), pool.capacity());
            batch.forEach(Handle::close);
            System.out.printf("GrowingPool: released all, trim() gave back %d, capacity %d%n", pool.trim(),
                    pool.capacity());
        }
    }

    private static void show(Pool<BasicUsage.Order> pool, AllocationStrategy strategy) {
        Handle<BasicUsage.Order> a = pool.allocate();
        Handle<BasicUsage.Order> b = pool.allocate();
        a.get().id = 1;
        b.get().id = 2;
        BasicUsage.Order first = a.get();
        a.close();
        b.close();
        try (Handle<BasicUsage.Order> next = pool.allocate()) {
            System.out.printf("FixedPool %-9s: released order 1 then 2; next allocation reuses %s"
                    + " (id reset to %d), %d of %d free%n",
                    strategy, next.get() == first ? "order 1's object" : "order 2's object", next.get().id,
                    pool.available(), pool.capacity());
        }
        int exhausted = 0;
        List<Handle<BasicUsage.Order>> all = pool.allocateBatch(pool.capacity());
        if (pool.tryAllocate() == null) {
            exhausted++;
        }
        all.forEach(Handle::close);
        System.out.printf("FixedPool %-9s: batch of %d, then tryAllocate returned null %d time(s) while exhausted%n",
                strategy, all.size(), exhausted);
    }
}
