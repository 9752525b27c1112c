package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import io.netty.util.Recycler;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
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

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does one allocate + close cost on a pool that threads share, per thread, at 1 and
 * 2 threads ({@code -t 1}, {@code -t 2})?
 *
 * <p>Contenders, all measured in one run: {@link ThreadSafePool} (one lock), {@link ThreadLocalPool}
 * (a part per thread), the floors {@link ArrayBlockingQueue} poll/offer (the plain locked floor) and a
 * plain array stack per thread (the unsynchronised floor), and the peers Apache Commons Pool 2
 * {@code GenericObjectPool} borrow/return and Netty's {@code Recycler} get/recycle (here on JMH's
 * ordinary threads, so through Netty's slower ThreadLocal fallback, not on FastThreadLocalThreads).
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar SharedPoolBenchmark -t 1 -prof gc
 * java -jar fastalloc-bench/target/benchmarks.jar SharedPoolBenchmark -t 2 -prof gc
 * </pre>
 *
 * <p>Each pool holds {@code capacity} objects (per thread for the per-thread kinds) and is made
 * unchecked, so allocate + close allocates nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class SharedPoolBenchmark {

    /** Objects per pool (per thread for the per-thread kinds). */
    @Param("64")
    public int capacity;

    private ThreadSafePool<Payload> threadSafe;
    private ThreadLocalPool<Payload> threadLocal;
    private ArrayBlockingQueue<Payload> queue;
    private GenericObjectPool<Payload> commons;
    private Recycler<RecycledPayload> recycler;

    /** The pooled object: a little state, as a real one would have. */
    public static final class Payload {
        long value;
    }

    /** Netty's pooled object carries its own recycler handle. */
    public static final class RecycledPayload {
        final Recycler.Handle<RecycledPayload> handle;
        long value;

        RecycledPayload(Recycler.Handle<RecycledPayload> handle) {
            this.handle = handle;
        }
    }

    /** A plain array stack, one per thread: the floor no pool can beat. */
    @State(Scope.Thread)
    public static class ArrayStack {
        Payload[] stack;
        int size;

        @Setup(Level.Trial)
        public void setUp(SharedPoolBenchmark shared) {
            stack = new Payload[shared.capacity];
            for (int i = 0; i < stack.length; i++) {
                stack[size++] = new Payload();
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        PoolConfig<Payload> config = PoolConfig.<Payload>builder().capacity(capacity).factory(Payload::new)
                .checked(false).build();
        threadSafe = ThreadSafePool.create(config);
        threadLocal = ThreadLocalPool.create(config);
        queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            queue.offer(new Payload());
        }
        GenericObjectPoolConfig<Payload> commonsConfig = new GenericObjectPoolConfig<>();
        commonsConfig.setMaxTotal(capacity);
        commonsConfig.setMaxIdle(capacity);
        commonsConfig.setJmxEnabled(false);
        commons = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public Payload create() {
                return new Payload();
            }

            @Override
            public PooledObject<Payload> wrap(Payload payload) {
                return new DefaultPooledObject<>(payload);
            }
        }, commonsConfig);
        recycler = new Recycler<>() {
            @Override
            protected RecycledPayload newObject(Handle<RecycledPayload> handle) {
                return new RecycledPayload(handle);
            }
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        threadSafe.close();
        threadLocal.close();
        commons.close();
    }

    @Benchmark
    public long threadSafePool() {
        Handle<Payload> h = threadSafe.allocate();
        long v = ++h.get().value;
        h.close();
        return v;
    }

    @Benchmark
    public long threadLocalPool() {
        Handle<Payload> h = threadLocal.allocate();
        long v = ++h.get().value;
        h.close();
        return v;
    }

    @Benchmark
    public long arrayBlockingQueue() {
        Payload p = queue.poll();
        long v = ++p.value;
        queue.offer(p);
        return v;
    }

    @Benchmark
    public long arrayStack(ArrayStack s) {
        Payload p = s.stack[--s.size];
        long v = ++p.value;
        s.stack[s.size++] = p;
        return v;
    }

    @Benchmark
    public long commonsPool2() throws Exception {
        Payload p = commons.borrowObject();
        long v = ++p.value;
        commons.returnObject(p);
        return v;
    }

    @Benchmark
    public long nettyRecycler() {
        RecycledPayload p = recycler.get();
        long v = ++p.value;
        p.handle.recycle(p);
        return v;
    }
}
