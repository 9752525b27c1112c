package io.fastalloc.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The question: how long does one "allocate + write a field + close" take at the tail, with two
 * threads at it? JMH {@link Mode#SampleTime} times single operations and reports p50, p99, p99.9 and
 * the maximum (the report picks those out). Each sample includes the timer's own cost, so the low
 * percentiles are a ceiling, the high ones the point.
 *
 * <p>The contenders and their lanes are {@link PeersBenchmark}'s ({@link PeersBenchmark.Shared}'s
 * {@code contender} parameter, {@link PeersBenchmark.PerThread}), so the two questions always ask
 * about the same set: floors, every fastalloc kind (per-thread kinds one pool per thread) and the
 * peers.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.fastalloc.bench.FastThreadLocalExecutor"})
public class LatencyBenchmark {

    /**
     * @param t this thread's lane
     * @return the object used
     */
    @Benchmark
    public Object allocateWriteClose(PeersBenchmark.PerThread t) {
        return t.lane.cycle(t.value++);
    }
}
