package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What statistics cost: allocate + close on each pool kind with statistics off (the no-op
 * recorder) and on (the recorder that kind takes: single-writer for {@code FixedPool} and
 * {@code ThreadSafePool}, whose counts sit in the recorder's own fields and reach the Agrona
 * counters every 100 ms; {@code ThreadSafePool} makes every recorder call under its lock, so one
 * writer at a time; the concurrent one for the other shared kinds, whose counts sit in cells picked
 * by the thread's id). The
 * issue's budget: at most +0.5 ns per allocate + close on {@code fixedPool} at one thread, at most
 * 5% on {@code threadSafePool}, {@code mpmcPool} and {@code cachingPool} at 1 and 2 threads.
 *
 * <p>{@code -p stats=off,on,direct} adds the write-through flavour ({@code publishInterval(ZERO)}:
 * single-writer release stores into the counters, or atomic adds on shared counters with an exact
 * peak for the shared kinds); {@code -p stats=concurrent} gives a {@code fixedPool} the concurrent
 * recorder, to compare the two flavours on the same pool.
 *
 * <p>Kinds that {@link PoolKind#perThread()} marks confined ({@code fixedPool}, and the
 * single-role kinds such as {@code spscPool}) give each benchmark thread its own pool and
 * recorder; the shared kinds ({@code threadSafePool}, {@code mpmcPool}, {@code cachingPool}, ...)
 * are one pool for all threads. {@code FixedPool}, {@code GrowingPool} and {@code ThreadSafePool}
 * take the single-writer recorder, every other kind the concurrent one.
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar StatsOverheadBenchmark -t 1 -prof gc
 * java -jar fastalloc-bench/target/benchmarks.jar StatsOverheadBenchmark -t 2 \
 *     -p pool=threadSafePool,mpmcPool,cachingPool
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class StatsOverheadBenchmark {

    /** The pool kind and statistics setting, and the registry (and shared pool) they use. */
    @State(Scope.Benchmark)
    public static class Setting {
        /**
         * The pool kind, by its {@link PoolKind} name: the budget kinds by default; any other
         * ({@code growingPool}, {@code threadLocalPool}, {@code spscPool}, ...) with {@code -p pool=}.
         */
        @Param({"fixedPool", "threadSafePool", "mpmcPool", "cachingPool"})
        public String pool;

        /**
         * {@code off}: no-op recorder; {@code on}: the recorder the kind takes (lazy publication);
         * {@code direct}: the same flavour writing through to the counters; {@code concurrent}: the
         * concurrent recorder even on a confined kind.
         */
        @Param({"off", "on"})
        public String stats;

        private final AtomicInteger poolNumber = new AtomicInteger();
        private PoolKind kind;
        private StatsRegistry registry;
        private Pool<Object> shared;

        /** Builds the registry, and the pool when the kind is shared. */
        @Setup(Level.Trial)
        public void setUp() {
            kind = PoolKind.byName(pool);
            if (kind == null) {
                throw new IllegalArgumentException("pool: " + pool + " (expected: a PoolKind name, such as mpmcPool)");
            }
            registry = stats.equals("direct")
                    ? StatsRegistry.builder().publishInterval(Duration.ZERO).build()
                    : StatsRegistry.inProcess();
            if (!confined()) {
                shared = newPool();
            }
        }

        /** @return the registry the recorders come from (for tests) */
        StatsRegistry registry() {
            return registry;
        }

        /** @return whether each benchmark thread gets its own pool */
        boolean confined() {
            return kind.perThread();
        }

        /**
         * @return whether the kind takes the single-writer recorder: confined to one thread by design,
         *         or, for {@code ThreadSafePool}, calling it only under its lock
         */
        private boolean singleWriter() {
            return !kind.kind().threadSafe || kind.kind() == io.fastalloc.testkit.PoolKind.THREAD_SAFE;
        }

        Pool<Object> newPool() {
            PoolRecorder recorder;
            switch (stats) {
                case "off":
                    recorder = PoolRecorder.noop();
                    break;
                case "on":
                case "direct":
                    recorder = singleWriter() ? registry.recorder() : registry.concurrentRecorder();
                    break;
                case "concurrent":
                    recorder = registry.concurrentRecorder();
                    break;
                default:
                    throw new IllegalArgumentException("stats: " + stats + " (expected: off, on, direct, concurrent)");
            }
            PoolConfig<Object> config = PoolConfig.builder().name("bench-" + poolNumber.incrementAndGet())
                    .capacity(64).factory(Object::new).checked(false).recorder(recorder).build();
            return kind.create(config);
        }

        /** Frees the counters. */
        @TearDown(Level.Trial)
        public void tearDown() {
            if (shared != null) {
                shared.close();
            }
            registry.close();
        }
    }

    /** The pool a benchmark thread uses: its own for a confined kind, the shared one otherwise. */
    @State(Scope.Thread)
    public static class ThreadPool {
        private Pool<Object> pool;

        /**
         * @param setting the trial's setting
         */
        @Setup(Level.Trial)
        public void setUp(Setting setting) {
            pool = setting.confined() ? setting.newPool() : setting.shared;
        }

        /** @return the pool this thread uses (for tests) */
        Pool<Object> pool() {
            return pool;
        }

        /** Closes a confined pool. */
        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /**
     * One allocate and one close.
     *
     * @param state the thread's pool
     * @return the pooled object, so the JIT keeps the work
     */
    @Benchmark
    public Object allocateClose(ThreadPool state) {
        Handle<Object> h = state.pool.allocate();
        Object o = h.get();
        h.close();
        return o;
    }
}
