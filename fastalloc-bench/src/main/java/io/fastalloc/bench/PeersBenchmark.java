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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The question: what does one "allocate + write a field + close" cost per thread, for each fastalloc
 * pool kind, the floors and the peers, all in one run? Threads come from {@code -t} (1 and 2; see
 * {@code scripts/scaling.sh} for 1 to all processors).
 *
 * <p>Contenders ({@link Contender}): {@code arrayStack} (a plain array stack per thread, the floor of
 * single-threaded pools), {@code spscQueue} (a JCTools {@code SpscArrayQueue} polled and offered by
 * one thread), {@code mpmcQueue} (one JCTools {@code MpmcArrayQueue} shared by all threads, the floor of
 * shared pools), the fastalloc kinds ({@link PoolKind}; confined kinds get one pool per thread),
 * {@code cachingPoolView} (one shared {@code CachingPool}, a caller-held view of it per thread), and
 * the peers: Commons Pool 2 {@code GenericObjectPool}, Netty {@code Recycler} (its default
 * {@code nettyRecycler}, and {@code nettyPinned}: one owner-pinned, unguarded Recycler per thread),
 * Vibur {@code ConcurrentPool}, Stormpot ({@code stormpot}, and its 4.0 taps:
 * {@code stormpotSingleThreadedTap} one per thread, {@code stormpotThreadSafeTap} and
 * {@code stormpotVirtualThreadSafeTap} one shared by all threads), and plain {@code new}.
 *
 * <p>The Stormpot taps need Stormpot 4.0, which the bench has only when built on JDK 21+ (profile
 * {@code jdk21plus}); from a JDK 17 build (Stormpot 3.2) they fail at setup with an
 * {@link IllegalStateException}, so leave them out there ({@code -p contender=...}).
 *
 * <p>Every fork has the same fixed, pre-touched heap, or {@code new}'s figure swings with heap sizing,
 * and runs JMH's workers on Netty {@code FastThreadLocalThread}s ({@link FastThreadLocalExecutor}),
 * without which Netty's Recycler skips its fast path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.fastalloc.bench.FastThreadLocalExecutor"})
public class PeersBenchmark {

    /** The contender, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** Floors, fastalloc kinds, peers; add a pool kind's {@link PoolKind} name here. */
        @Param({"arrayStack", "spscQueue", "mpmcQueue", "fixedPool", "threadSafePool", "threadLocalPool",
                "mpmcPool", "spscPool", "cachingPool", "cachingPoolView", "commonsPool2", "nettyRecycler",
                "nettyPinned", "vibur", "stormpot", "stormpotSingleThreadedTap", "stormpotThreadSafeTap",
                "stormpotVirtualThreadSafeTap", "newObject"})
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

        /** Frees what the lane holds for this thread (a view may only be closed on its own thread). */
        @TearDown(Level.Trial)
        public void tearDown() {
            lane.close();
        }
    }

    /**
     * @param t this thread's lane
     * @return the object used (so that {@code new} cannot be scalar-replaced)
     */
    @Benchmark
    public Object allocateWriteClose(PerThread t) {
        return t.lane.cycle(t.value++);
    }
}
