// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.BasicUsage
package io.fastalloc.examples;

import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;

import java.util.List;

/**
 * The first steps: a {@link FixedPool} used with try-with-resources, what exhaustion looks like
 * ({@code null} from {@code tryAllocate}, an exception from {@code allocate}), the reset function,
 * a batch, and a {@link GrowingPool} that grows when it runs out.
 */
public final class BasicUsage {
    private BasicUsage() {
    }

    /** A pooled object with a reset method. */
    static final class Order {
        long id;
        double price;

        void clear() {
            id = 0;
            price = 0;
        }
    }

    /**
     * What the example observed.
     *
     * @param sameObjectReused   whether the second allocation got the first one's object back (STACK reuses the last
     *                           released)
     * @param resetRan           whether the object came back cleared
     * @param tryAllocateWhenFull what {@code tryAllocate} returned with every object out ({@code null} expected)
     * @param exhaustedMessage   the message of the {@link PoolExhaustedException} from {@code allocate}
     * @param batchSize          objects taken by {@code allocateBatch}
     * @param grownCapacity      the growing pool's capacity after taking more than it started with
     */
    public record Result(boolean sameObjectReused, boolean resetRan, Object tryAllocateWhenFull,
                         String exhaustedMessage, int batchSize, int grownCapacity) {
    }

    /**
     * Runs the example.
     *
     * @return what it observed
     */
    public static Result run() {
        PoolConfig<Order> config = PoolConfig.<Order>builder()
                .name("orders")
                .capacity(4)
                .factory(Order::new)
                .reset(Order::clear)
                .build();
        try (FixedPool<Order> pool = FixedPool.create(config)) {
            Order first;
            try (Handle<Order> h = pool.allocate()) {
                first = h.get();
                first.id = 42;
                first.price = 101.25;
            } // reset (Order::clear) ran, the order is back in the pool
            boolean reused;
            boolean reset;
            try (Handle<Order> h = pool.allocate()) {
                reused = h.get() == first;
                reset = h.get().id == 0 && h.get().price == 0;
            }

            List<Handle<Order>> all = pool.allocateBatch(4); // all or nothing
            Handle<Order> none = pool.tryAllocate();         // null: no exception, no garbage
            String message;
            try {
                pool.allocate();
                message = "(no exception)";
            } catch (PoolExhaustedException e) {
                message = e.getMessage();
            }
            all.forEach(Handle::close);

            try (GrowingPool<Order> growing = GrowingPool.create(2, Order::new)) {
                List<Handle<Order>> many = growing.allocateBatch(10); // grows 2 -> 4 -> 8 -> 16
                int grown = growing.capacity();
                many.forEach(Handle::close);
                return new Result(reused, reset, none, message, all.size(), grown);
            }
        }
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Result r = run();
        System.out.println("BasicUsage");
        System.out.println("  released object reused by the next allocate: " + r.sameObjectReused());
        System.out.println("  reset ran on release:                        " + r.resetRan());
        System.out.println("  allocateBatch(4) took:                       " + r.batchSize());
        System.out.println("  tryAllocate() with all 4 out returned:       " + r.tryAllocateWhenFull());
        System.out.println("  allocate() with all 4 out threw:             " + r.exhaustedMessage());
        System.out.println("  GrowingPool(2) after taking 10, capacity:    " + r.grownCapacity());
    }
}
