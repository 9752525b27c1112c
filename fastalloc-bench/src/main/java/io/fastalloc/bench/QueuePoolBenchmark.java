package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.MpmcPool;
import io.fastalloc.lockfree.MpscPool;
import io.fastalloc.lockfree.SpmcPool;
import io.fastalloc.lockfree.SpscPool;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.SpscArrayQueue;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * What one allocate + close costs on the queue pools, beside their floors: a raw JCTools
 * {@code MpmcArrayQueue} and {@code SpscArrayQueue} polled and offered the same objects.
 *
 * <p>Every thread allocates and closes on itself. The single-consumer and single-producer kinds
 * ({@code SpscPool}, {@code MpscPool}, {@code SpmcPool}, {@code rawSpsc}) keep their thread roles
 * only with one thread, so with {@code -t 2} and more they are skipped (the setup throws). Run:
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar QueuePoolBenchmark -t 1 -prof gc
 * java -jar fastalloc-bench/target/benchmarks.jar QueuePoolBenchmark -t 2 -p kind=MpmcPool,rawMpmc -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class QueuePoolBenchmark {

    /** The contender. */
    @Param({"MpmcPool", "SpscPool", "MpscPool", "SpmcPool", "rawMpmc", "rawSpsc"})
    public String kind;

    /** Objects in the pool (or queue). */
    @Param({"64"})
    public int capacity;

    private Pool<Object> pool;
    private MessagePassingQueue<Object> queue;

    /**
     * Builds the contender.
     *
     * @param params JMH's parameters, for the thread count
     */
    @Setup
    public void setUp(BenchmarkParams params) {
        boolean singleRole = !kind.equals("MpmcPool") && !kind.equals("rawMpmc");
        if (singleRole && params.getThreads() > 1) {
            throw new IllegalStateException(kind + " keeps its thread roles only with one thread");
        }
        PoolConfig<Object> config = PoolConfig.builder().capacity(capacity).factory(Object::new).checked(false).build();
        switch (kind) {
            case "MpmcPool":
                pool = MpmcPool.create(config);
                break;
            case "SpscPool":
                pool = SpscPool.create(config);
                break;
            case "MpscPool":
                pool = MpscPool.create(config);
                break;
            case "SpmcPool":
                pool = SpmcPool.create(config);
                break;
            case "rawMpmc":
                queue = fill(new MpmcArrayQueue<>(capacity));
                break;
            case "rawSpsc":
                queue = fill(new SpscArrayQueue<>(capacity));
                break;
            default:
                throw new IllegalArgumentException("kind: " + kind);
        }
    }

    private MessagePassingQueue<Object> fill(MessagePassingQueue<Object> q) {
        for (int i = 0; i < capacity; i++) {
            q.offer(new Object());
        }
        return q;
    }

    /**
     * One allocate and one close (or one poll and one offer).
     *
     * @param bh consumes the object
     */
    @Benchmark
    public void allocateClose(Blackhole bh) {
        if (pool != null) {
            Handle<Object> h = pool.allocate();
            bh.consume(h.get());
            h.close();
        } else {
            Object o = queue.poll();
            bh.consume(o);
            queue.offer(o);
        }
    }
}
