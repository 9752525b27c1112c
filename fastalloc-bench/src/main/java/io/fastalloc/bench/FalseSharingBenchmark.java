package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.MpmcPool;
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
 * Does padding per-slot state pay? Two threads allocate and close from one {@link MpmcPool} whose
 * slots are unpadded ({@code alignment = 8}: neighbouring slots' states share cache lines) or padded
 * ({@code alignment = 64}: two slots' states at least 128 bytes apart). Each allocate and close
 * writes the slot's state, so with unpadded slots two threads holding neighbouring slots bounce
 * that line between cores. The queue's own indices are shared by both threads on every operation
 * too, so this measures padding on top of that cost, as users would see it. Run:
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar FalseSharingBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
@State(Scope.Benchmark)
public class FalseSharingBenchmark {

    /** Bytes between per-slot states: 8 = no padding, 64 = padded. */
    @Param({"8", "64"})
    public int alignment;

    /** Objects in the pool. */
    @Param({"16"})
    public int capacity;

    private MpmcPool<Object> pool;

    /** Builds the pool. */
    @Setup
    public void setUp() {
        pool = MpmcPool.create(PoolConfig.builder().capacity(capacity).alignment(alignment).factory(Object::new)
                .checked(false).build());
    }

    /**
     * One allocate and one close.
     *
     * @param bh consumes the object
     */
    @Benchmark
    public void allocateClose(Blackhole bh) {
        Handle<Object> h = pool.allocate();
        bh.consume(h.get());
        h.close();
    }
}
