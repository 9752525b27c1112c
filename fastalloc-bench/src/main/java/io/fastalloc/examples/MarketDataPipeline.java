// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.MarketDataPipeline
package io.fastalloc.examples;

import io.fastalloc.lockfree.SpscPool;
import io.fastalloc.bench.MarketDataPipeline.Result;
import io.fastalloc.bench.MarketDataPipeline.ReturnPath;

/**
 * A market-data pipeline, small enough to finish in a second: a decoder thread writes 64-byte ticks
 * into pooled direct buffers (a {@code BufferPool} of 64-byte-aligned slices), a consumer thread
 * reads them through an SPSC queue, and the buffers go back to the pool; beside it the same pipeline
 * with a new heap buffer per tick. It runs {@link io.fastalloc.bench.MarketDataPipeline}, the scenario
 * the benchmarks use; run that class itself for the full 10-million-tick measurement.
 *
 * <p>The pool is an {@link SpscPool}: the decoder is its only allocating thread and the consumer its
 * only releasing thread, so the consumer closes each buffer itself
 * ({@link ReturnPath#CONSUMER_CLOSES}). (With a single-threaded {@code FixedPool} the consumer would
 * instead send every buffer back to the decoder to be closed there, {@link ReturnPath#VIA_DECODER}.)
 */
public final class MarketDataPipeline {
    /** Ticks per run. */
    public static final long MESSAGES = 200_000;
    /** Buffers in the pool (and queue slots). */
    public static final int BUFFERS = 256;

    private MarketDataPipeline() {
    }

    /**
     * What both pipelines did.
     *
     * @param pooled the pooled pipeline
     * @param heap   the allocate-per-tick pipeline
     */
    public record Outcome(Result pooled, Result heap) {
    }

    /**
     * Runs the pooled pipeline twice (the first run warms the JIT up) and the heap pipeline once.
     *
     * @return the measured runs
     */
    public static Outcome run() {
        io.fastalloc.bench.MarketDataPipeline.runPooled(MESSAGES, BUFFERS, SpscPool::create, ReturnPath.CONSUMER_CLOSES);
        Result pooled = io.fastalloc.bench.MarketDataPipeline.runPooled(MESSAGES, BUFFERS, SpscPool::create,
                ReturnPath.CONSUMER_CLOSES);
        Result heap = io.fastalloc.bench.MarketDataPipeline.runHeap(MESSAGES, BUFFERS);
        return new Outcome(pooled, heap);
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Outcome o = run();
        System.out.println("MarketDataPipeline (" + MESSAGES + " ticks; a small run, not a measurement)");
        for (Result r : new Result[] {o.pooled(), o.heap()}) {
            System.out.printf("  %-45s received %d, out of order %d, buffers not returned %d, bytes allocated %,d%n",
                    r.name, r.received, r.seqErrors, r.buffersOut, r.allocatedBytes);
        }
    }
}
