package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.CachingPool;
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

import java.util.concurrent.TimeUnit;

/**
 * Question: what does one allocate + close cost on {@link CachingPool} when every thread allocates
 * and releases on its own thread, and does it scale from 1 to 2 threads?
 *
 * <p>Contenders, in the same run: {@code cachingPool} (one pool shared by all benchmark threads) and
 * {@code arrayStackFloor} (a plain array stack per thread: the floor no pool can beat). The lead
 * adds the peers (Stormpot, Netty's {@code Recycler}) beside these. Each operation takes an object,
 * writes to it, and gives it back; the object is returned so that JMH consumes it.
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar CachingPoolBenchmark -t 1
 * java -jar fastalloc-bench/target/benchmarks.jar CachingPoolBenchmark -t 2
 * java -jar fastalloc-bench/target/benchmarks.jar CachingPoolBenchmark -t 2 -prof gc   # expect 0 B/op
 * </pre>
 * The figure is average time per operation per thread, so scaling means the 2-thread figure stays
 * within 1.1x of the 1-thread one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class CachingPoolBenchmark {

    /** A pooled object. */
    public static final class Payload {
        long value;
    }

    /** The shared pool. */
    @State(Scope.Benchmark)
    public static class PoolState {
        /** Objects in the pool: large enough for full-size magazines (M = 32) on the machine it runs on. */
        @Param({"1024"})
        public int capacity;

        CachingPool<Payload> pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = CachingPool.create(PoolConfig.<Payload>builder().capacity(capacity).factory(Payload::new)
                    .checked(false).build());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool.inUse() != 0) {
                throw new IllegalStateException("objects still in use: " + pool);
            }
            pool.close();
        }
    }

    /** The floor: a plain array stack per thread, padded so two threads' stacks never share a line. */
    @State(Scope.Thread)
    public static class StackState {
        private static final int PAD = 32;
        Payload[] stack;
        int size;

        @Setup(Level.Trial)
        public void setUp() {
            stack = new Payload[PAD + 32 + PAD];
            for (int i = 0; i < 32; i++) {
                stack[PAD + i] = new Payload();
            }
            size = 32;
        }

        Payload pop() {
            return stack[PAD + --size];
        }

        void push(Payload p) {
            stack[PAD + size++] = p;
        }
    }

    /** @return the object, after one allocate + write + close on the caching pool */
    @Benchmark
    public Payload cachingPool(PoolState s) {
        Handle<Payload> h = s.pool.allocate();
        Payload p = h.get();
        p.value++;
        h.close();
        return p;
    }

    /** @return the object, after one pop + write + push on a per-thread array stack */
    @Benchmark
    public Payload arrayStackFloor(StackState s) {
        Payload p = s.pop();
        p.value++;
        s.push(p);
        return p;
    }
}
