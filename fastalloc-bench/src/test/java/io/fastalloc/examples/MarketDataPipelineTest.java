package io.fastalloc.examples;

import io.fastalloc.FixedPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline that {@code MarketDataPipelineBenchmark} measures and the example runs: nothing lost, nothing allocated. */
class MarketDataPipelineTest {
    private static final long MESSAGES = 100_000;

    @Test
    void shouldDeliverEveryTickInOrderAndReturnEveryBufferToThePool() {
        MarketDataPipeline.Result r = MarketDataPipeline.runPooled(MESSAGES, 256, FixedPool::create,
                MarketDataPipeline.ReturnPath.VIA_DECODER);
        assertEquals(MESSAGES, r.messages);
        assertEquals(MESSAGES, r.received, "ticks consumed");
        assertEquals(0, r.seqErrors, "ticks out of order or corrupted");
        assertEquals(0, r.buffersOut, "buffers not back in the pool");
        assertTrue(r.lossless());
    }

    @Test
    void shouldDeliverEveryTickWhenThePoolIsMuchSmallerThanTheBurst() {
        MarketDataPipeline.Result r = MarketDataPipeline.runPooled(MESSAGES, 4, FixedPool::create,
                MarketDataPipeline.ReturnPath.VIA_DECODER);
        assertEquals(MESSAGES, r.received);
        assertEquals(0, r.seqErrors);
        assertEquals(0, r.buffersOut);
    }

    @Test
    void shouldAllocateNothingPerTickInThePooledPipeline() {
        MarketDataPipeline.runPooled(MESSAGES, 256, FixedPool::create, MarketDataPipeline.ReturnPath.VIA_DECODER); // warm-up
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && min != 0; attempt++) {
            MarketDataPipeline.Result r = MarketDataPipeline.runPooled(MESSAGES, 256, FixedPool::create,
                    MarketDataPipeline.ReturnPath.VIA_DECODER);
            assertTrue(r.lossless());
            min = Math.min(min, r.allocatedBytes);
        }
        assertEquals(0, min, "bytes both threads allocated over " + MESSAGES + " pooled ticks");
    }

    @Test
    void shouldDeliverEveryTickAtAPacedRate() {
        MarketDataPipeline.Result pooled = MarketDataPipeline.runPooled(20_000, 64, FixedPool::create,
                MarketDataPipeline.ReturnPath.VIA_DECODER, 200_000);
        MarketDataPipeline.Result heap = MarketDataPipeline.runHeap(20_000, 64, 200_000);
        assertTrue(pooled.lossless());
        assertTrue(heap.lossless());
    }

    @Test
    void shouldDeliverEveryTickOnTheHeapPipeline() {
        MarketDataPipeline.Result r = MarketDataPipeline.runHeap(MESSAGES, 256);
        assertEquals(MESSAGES, r.received);
        assertEquals(0, r.seqErrors);
        assertTrue(r.allocatedBytes >= MESSAGES * MarketDataPipeline.TICK_BYTES,
                "the heap contender allocates at least its buffers: " + r.allocatedBytes);
    }

    @Test
    void shouldDetectACorruptedSequence() {
        MarketDataPipeline.Receiver receiver = new MarketDataPipeline.Receiver();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(MarketDataPipeline.TICK_BYTES);
        MarketDataPipeline.writeTick(b, 0);
        MarketDataPipeline.stamp(b);
        receiver.read(b);
        MarketDataPipeline.writeTick(b, 5);
        receiver.read(b);
        assertEquals(2, receiver.received);
        assertEquals(1, receiver.seqErrors);
    }
}
