package io.fastalloc.bench;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolRecorder;
import io.fastalloc.stats.StatsRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What statistics cost: {@code FixedPool} allocate + close at one thread with statistics off (the
 * no-op recorder) and on (the default single-writer recorder: counts in its own fields, published
 * to the Agrona counters every 100 ms). The budget is at most +0.5 ns per allocate + close.
 * {@code -p stats=off,on,direct,concurrent,concurrent-direct} adds, on the same pool, the
 * write-through single-writer recorder (every count a release store into the counters), the
 * default concurrent recorder (per-thread stripes) and the write-through concurrent recorder
 * (atomic adds on shared counters), to show what those cost.
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar StatsOverheadBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class StatsOverheadBenchmark {
    /**
     * {@code off}: no-op recorder; {@code on}: default single-writer recorder; {@code direct}:
     * write-through single-writer recorder; {@code concurrent}: striped recorder;
     * {@code concurrent-direct}: atomic recorder.
     */
    @Param({"off", "on"})
    public String stats;

    private StatsRegistry registry;
    private FixedPool<Object> pool;

    /** Builds the pool with the chosen recorder. */
    @Setup(Level.Trial)
    public void setUp() {
        registry = stats.endsWith("direct")
                ? StatsRegistry.builder().publishInterval(Duration.ZERO).build()
                : StatsRegistry.inProcess();
        PoolRecorder recorder;
        switch (stats) {
            case "off":
                recorder = PoolRecorder.noop();
                break;
            case "on":
            case "direct":
                recorder = registry.recorder();
                break;
            case "concurrent":
            case "concurrent-direct":
                recorder = registry.concurrentRecorder();
                break;
            default:
                throw new IllegalArgumentException("stats: " + stats + " (expected: off, on, direct, concurrent, concurrent-direct)");
        }
        pool = FixedPool.create(PoolConfig.builder().name("bench").capacity(64).factory(Object::new)
                .checked(false).recorder(recorder).build());
    }

    /** Frees the counters. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        registry.close();
    }

    /**
     * One allocate and one close.
     *
     * @return the pooled object, so the JIT keeps the work
     */
    @Benchmark
    public Object allocateClose() {
        Handle<Object> h = pool.allocate();
        Object o = h.get();
        h.close();
        return o;
    }
}
