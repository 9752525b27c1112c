package io.fastalloc.bench;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * What does one allocate + write + release cost on a single-threaded {@link FixedPool}, next to the
 * floor (a plain array stack of the same objects) and to {@code new}? One thread, unchecked mode.
 *
 * <p>Run with {@code -prof gc} to see {@code gc.alloc.rate.norm}: the pool and the array stack
 * should show 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class FixedPoolBenchmark {
    private static final int CAPACITY = 1024;

    /** The pooled object: a few fields, as an order or a message would have. */
    public static final class Order {
        long id;
        double price;
        int quantity;

        void clear() {
            id = 0;
            price = 0;
            quantity = 0;
        }
    }

    /** {@code fixedPool}: {@link FixedPool}; {@code arrayStack}: the floor; {@code new}: no pool. */
    @Param({"fixedPool", "arrayStack", "new"})
    public String contender;

    private FixedPool<Order> pool;
    private Order[] stack;
    private int top;
    private long nextId;
    /** {@link #contender} resolved once, so the benchmark method switches on an int. */
    private int kind;

    @Setup
    public void setUp() {
        pool = FixedPool.create(PoolConfig.<Order>builder().capacity(CAPACITY).factory(Order::new)
                .reset(Order::clear).checked(false).build());
        stack = new Order[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) {
            stack[i] = new Order();
        }
        top = CAPACITY;
        switch (contender) {
            case "fixedPool" -> kind = 0;
            case "arrayStack" -> kind = 1;
            case "new" -> kind = 2;
            default -> throw new IllegalArgumentException("contender: " + contender
                    + " (expected: fixedPool, arrayStack or new)");
        }
    }

    @Benchmark
    public void allocateWriteRelease(Blackhole bh) {
        switch (kind) {
            case 0 -> pooled(bh);
            case 1 -> arrayStack(bh);
            default -> allocated(bh);
        }
    }

    private void pooled(Blackhole bh) {
        Handle<Order> h = pool.allocate();
        Order order = h.get();
        order.id = ++nextId;
        bh.consume(order);
        h.close();
    }

    private void arrayStack(Blackhole bh) {
        Order order = stack[--top];
        order.id = ++nextId;
        bh.consume(order);
        order.clear();
        stack[top++] = order;
    }

    private void allocated(Blackhole bh) {
        Order order = new Order();
        order.id = ++nextId;
        bh.consume(order);
    }
}
