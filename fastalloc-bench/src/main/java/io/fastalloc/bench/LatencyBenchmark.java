package io.fastalloc.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The question: how long does one "allocate + write a field + close" take at the tail, with two
 * threads at it? JMH {@link Mode#SampleTime} times single operations and reports p50, p99, p99.9 and
 * the maximum (the report picks those out). Each sample includes the timer's own cost, so the low
 * percentiles are a ceiling, the high ones the point.
 *
 * <p>Contenders as in {@link PeersBenchmark}: the shared pools are what this question is for (the
 * fastalloc shared kinds are added to the {@code @Param} list as they land); {@code fixedPool}
 * (one per thread), {@code arrayStack} and {@code mpmcQueue} are there as floors.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.fastalloc.bench.FastThreadLocalExecutor"})
public class LatencyBenchmark {

    /** The contender, shared by both threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** Floors, fastalloc kinds, peers; add shared pool kinds' {@link PoolKind} names here. */
        @Param({"arrayStack", "mpmcQueue", "fixedPool", "threadSafePool", "threadLocalPool", "mpmcPool",
                "cachingPool", "commonsPool2", "nettyRecycler", "vibur", "stormpot", "newObject"})
        public String contender;

        Contender instance;

        /** Makes the contender. */
        @Setup(Level.Trial)
        public void setUp() {
            instance = Contender.create(contender);
        }

        /** Frees it. */
        @TearDown(Level.Trial)
        public void tearDown() {
            instance.close();
        }
    }

    /** One benchmark thread's lane. */
    @State(Scope.Thread)
    public static class PerThread {
        Contender.Lane lane;
        long value;

        /**
         * @param shared the contender
         */
        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            lane = shared.instance.lane();
        }
    }

    /**
     * @param t this thread's lane
     * @return the object used
     */
    @Benchmark
    public Object allocateWriteClose(PerThread t) {
        return t.lane.cycle(t.value++);
    }
}
