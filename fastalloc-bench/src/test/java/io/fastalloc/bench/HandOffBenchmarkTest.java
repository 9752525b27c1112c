package io.fastalloc.bench;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Control;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandOffBenchmarkTest {
    private static final int OBJECTS = 5_000;

    static List<String> contenders() {
        return HandOffBenchmark.CONTENDERS;
    }

    @Test
    void theParamListShouldNameEveryContender() throws NoSuchFieldException {
        assertEquals(HandOffBenchmark.CONTENDERS, List.of(HandOffBenchmark.Exchange.class.getField("contender")
                .getAnnotation(Param.class).value()));
    }

    @Test
    void shouldRejectSingleThreadedKindsAndUnknownNames() {
        assertThrows(IllegalArgumentException.class, () -> HandOffBenchmark.Ends.create("fixedPool"));
        assertThrows(IllegalArgumentException.class, () -> HandOffBenchmark.Ends.create("nope"));
    }

    /**
     * The benchmark's own methods, on two threads kept for the whole trial as JMH keeps them: every object
     * arrives in sequence, an iteration's end lets the producer give up on a full queue (it parks the object
     * it holds), and the consumer's teardown gives back what was still in flight, iteration after iteration.
     */
    @ParameterizedTest
    @MethodSource("contenders")
    void everyContenderShouldHandObjectsAcrossThreadsInSequence(String name) throws InterruptedException {
        HandOffBenchmark bench = new HandOffBenchmark();
        HandOffBenchmark.Exchange exchange = new HandOffBenchmark.Exchange();
        exchange.contender = name;
        exchange.setUp();
        HandOffBenchmark.Producer producer = new HandOffBenchmark.Producer();
        HandOffBenchmark.Consumer consumer = new HandOffBenchmark.Consumer();
        Control[] iterations = {new Control(), new Control(), new Control()};
        CyclicBarrier barrier = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread p = new FastThreadLocalThread(() -> {
            try {
                producer.setUp(exchange);
                for (Control control : iterations) {
                    barrier.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < OBJECTS; i++) {
                        bench.produce(exchange, producer, control);
                    }
                    // the consumer stops taking: the queue fills, and once the measurement stops the
                    // producer parks the object it could not hand off
                    while (exchange.pending == null) {
                        bench.produce(exchange, producer, control);
                    }
                    barrier.await(10, TimeUnit.SECONDS);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "producer");
        Thread c = new FastThreadLocalThread(() -> {
            try {
                consumer.setUp(exchange);
                for (Control control : iterations) {
                    barrier.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < OBJECTS; i++) {
                        assertTrue(bench.consume(exchange, consumer, control) >= 0);
                    }
                    control.stopMeasurement = true;
                    barrier.await(10, TimeUnit.SECONDS);
                    assertNotNull(exchange.pending, "the producer parked an object");
                    consumer.drain();
                    assertNull(exchange.pending);
                    assertTrue(exchange.queue.isEmpty());
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "consumer");
        p.start();
        c.start();
        p.join();
        c.join();
        assertNull(failure.get(), name);
        assertEquals(0, consumer.outOfOrder, name);
        assertEquals(producer.seq, consumer.expected, name + ": every object taken came back");
        consumer.tearDown();
    }

    @Test
    void aConsumerShouldGiveUpOnAnEmptyQueueOnceTheMeasurementStopped() {
        HandOffBenchmark bench = new HandOffBenchmark();
        HandOffBenchmark.Exchange exchange = new HandOffBenchmark.Exchange();
        exchange.contender = "spscFreeQueue";
        exchange.setUp();
        HandOffBenchmark.Consumer consumer = new HandOffBenchmark.Consumer();
        consumer.setUp(exchange);
        Control control = new Control();
        control.stopMeasurement = true;
        assertEquals(-1, bench.consume(exchange, consumer, control));
    }
}
