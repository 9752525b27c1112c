package io.fastalloc.bench;

import io.fastalloc.BufferPool;
import io.fastalloc.FixedPool;
import io.fastalloc.Pool;
import io.fastalloc.examples.MarketDataPipeline;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does a tick cost end to end in the market-data pipeline, pooled direct buffers
 * against a fresh heap buffer per message? The benchmark thread is the decoder (one tick per
 * operation: take a buffer, write it, hand it to the consumer); a consumer thread started in setup
 * reads each tick and gives the buffer back, as in {@link MarketDataPipeline}. Throughput is the
 * pipeline's, since the decoder spins when the pipeline is full. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} is the garbage per tick (the pooled contender's should be 0).
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar MarketDataPipelineBenchmark -prof gc
 * </pre>
 *
 * <p>The consumer thread busy-spins: it needs a core of its own, besides the benchmark thread's.
 * Hand-off latency percentiles come from {@link MarketDataPipeline}'s main, not from here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class MarketDataPipelineBenchmark {
    /**
     * {@code POOLED}: a {@link BufferPool} (a {@link FixedPool}; handles go back to the decoder
     * through a second SPSC queue; switch to {@code SpscPool::create} with
     * {@code CONSUMER_CLOSES} when the lock-free pools land). {@code HEAP}: a new heap buffer per tick.
     */
    @Param({"POOLED", "HEAP"})
    public String contender;

    /** Buffers in the pool and queue capacity. */
    @Param({"1024"})
    public int buffers;

    private MarketDataPipeline.Lane lane;
    private Pool<ByteBuffer> pool;
    private Thread consumer;
    private volatile boolean running;
    private long seq;

    /** Builds the lane and starts the consumer thread. */
    @Setup(Level.Trial)
    public void setUp() {
        if ("POOLED".equals(contender)) {
            pool = BufferPool.builder(buffers, MarketDataPipeline.TICK_BYTES, 64).name("ticks").checked(false)
                    .build(FixedPool::create);
            lane = MarketDataPipeline.Lane.pooled(pool, MarketDataPipeline.ReturnPath.VIA_DECODER);
        } else {
            lane = MarketDataPipeline.Lane.heap(buffers);
        }
        running = true;
        MarketDataPipeline.Lane l = lane;
        consumer = new Thread(() -> {
            int waits = 0;
            while (running) {
                waits = l.receive() ? 0 : MarketDataPipeline.idle(waits);
            }
            while (l.receive()) {
                // drain what the decoder sent last
            }
        }, "md-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    /** One tick through the pipeline. */
    @Benchmark
    public void tick() {
        lane.send(seq++);
    }

    /** Stops the consumer and checks that nothing was lost. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        consumer.join();
        lane.finish();
        if (lane.received() != seq || lane.seqErrors() != 0 || lane.buffersOut() != 0) {
            throw new IllegalStateException("pipeline lost ticks: sent " + seq + ", received " + lane.received()
                    + ", sequence errors " + lane.seqErrors() + ", buffers out " + lane.buffersOut());
        }
        if (pool != null) {
            pool.close();
        }
    }
}
