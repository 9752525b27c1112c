package io.fastalloc.bench;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.lockfree.CachingPool;
import io.fastalloc.lockfree.MpmcPool;
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
 * The question: what does an application pay when several pool kinds run through its code, so that
 * the JIT's type profiles see several classes? One "allocate + write a field + close" of the measured
 * {@code kind}, at 1 thread, either {@code alone} or after the four other kinds went through the same
 * code ({@code othersWarmed}: 200,000 cycles each before JMH's warm-up, so the profiles hold them).
 *
 * <ul>
 *   <li>{@link #typedCallSite}: the application's call sites are typed by kind (a field of type
 *       {@code FixedPool<Payload>}, one of type {@code MpmcPool<Payload>}, ..., each used in a method
 *       of its own), so what the other kinds cost is the library's own shared call sites.</li>
 *   <li>{@link #poolCallSite}: one application call site typed {@code Pool<Payload>} serves every
 *       kind, as a generic helper would, so its profile sees all five classes.</li>
 * </ul>
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar MixedCallSiteBenchmark -f 2
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class MixedCallSiteBenchmark {
    private static final String[] KINDS = {"fixedPool", "threadSafePool", "threadLocalPool", "mpmcPool", "cachingPool"};
    private static final int WARMING_CYCLES = 200_000;

    /** The kind measured. */
    @Param({"fixedPool", "threadSafePool", "threadLocalPool", "mpmcPool", "cachingPool"})
    public String kind;

    /** {@code alone}, or {@code othersWarmed}: the other four kinds ran through the same code first. */
    @Param({"alone", "othersWarmed"})
    public String others;

    private FixedPool<Payload> fixedPool;
    private ThreadSafePool<Payload> threadSafePool;
    private ThreadLocalPool<Payload> threadLocalPool;
    private MpmcPool<Payload> mpmcPool;
    private CachingPool<Payload> cachingPool;
    private Pool<Payload> measured;
    private int index;
    private long value;

    /** Makes the five pools and, for {@code othersWarmed}, runs the other kinds through both call sites. */
    @Setup(Level.Trial)
    public void setUp() {
        fixedPool = FixedPool.create(config("fixedPool"));
        threadSafePool = ThreadSafePool.create(config("threadSafePool"));
        threadLocalPool = ThreadLocalPool.create(config("threadLocalPool"));
        mpmcPool = MpmcPool.create(config("mpmcPool"));
        cachingPool = CachingPool.create(config("cachingPool"));
        index = indexOf(kind);
        measured = pool(index);
        if (others.equals("othersWarmed")) {
            for (int k = 0; k < KINDS.length; k++) {
                if (k != index) {
                    Pool<Payload> other = pool(k);
                    for (int i = 0; i < WARMING_CYCLES; i++) {
                        warmTyped(k, i);
                        cycle(other, i);
                    }
                }
            }
        } else if (!others.equals("alone")) {
            throw new IllegalArgumentException("others: " + others + " (expected: alone or othersWarmed)");
        }
    }

    /** Closes the pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (int k = 0; k < KINDS.length; k++) {
            pool(k).close();
        }
    }

    /**
     * @return the object used
     */
    @Benchmark
    public Object typedCallSite() {
        return typed(index, value++);
    }

    /**
     * @return the object used
     */
    @Benchmark
    public Object poolCallSite() {
        return cycle(measured, value++);
    }

    /**
     * The measured kind's own call site: each kind has its own method below, as an application has
     * one call site per field. This switch only ever sees the measured kind (the warm-up of the
     * other kinds goes through {@link #warmTyped}), so the JIT prunes the other branches.
     */
    private Object typed(int k, long v) {
        switch (k) {
            case 0: return fixed(v);
            case 1: return threadSafe(v);
            case 2: return threadLocal(v);
            case 3: return mpmc(v);
            default: return caching(v);
        }
    }

    /** As {@link #typed}, for the warm-up of the other kinds: a switch of its own. */
    private Object warmTyped(int k, long v) {
        switch (k) {
            case 0: return fixed(v);
            case 1: return threadSafe(v);
            case 2: return threadLocal(v);
            case 3: return mpmc(v);
            default: return caching(v);
        }
    }

    private Object fixed(long v) {
        Handle<Payload> h = fixedPool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private Object threadSafe(long v) {
        Handle<Payload> h = threadSafePool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private Object threadLocal(long v) {
        Handle<Payload> h = threadLocalPool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private Object mpmc(long v) {
        Handle<Payload> h = mpmcPool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private Object caching(long v) {
        Handle<Payload> h = cachingPool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private static Object cycle(Pool<Payload> pool, long v) {
        Handle<Payload> h = pool.allocate();
        Payload p = h.get();
        p.value = v + p.id;
        h.close();
        return p;
    }

    private Pool<Payload> pool(int k) {
        switch (k) {
            case 0: return fixedPool;
            case 1: return threadSafePool;
            case 2: return threadLocalPool;
            case 3: return mpmcPool;
            default: return cachingPool;
        }
    }

    private static int indexOf(String kind) {
        for (int k = 0; k < KINDS.length; k++) {
            if (KINDS[k].equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind: " + kind + " (expected: one of " + String.join(", ", KINDS) + ")");
    }

    private static PoolConfig<Payload> config(String name) {
        long[] ids = {0};
        return PoolConfig.<Payload>builder().name("mixed-" + name).capacity(Contender.CAPACITY)
                .factory(() -> new Payload(ids[0]++)).checked(false).build();
    }
}
