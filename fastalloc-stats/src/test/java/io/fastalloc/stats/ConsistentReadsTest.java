package io.fastalloc.stats;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every read of a pool's statistics is consistent while threads work, for every kind with the
 * recorder flavour it takes, lazy and write-through: {@code 0 <= inUse <= capacity},
 * {@code inUse <= peak <= capacity}, {@code releases <= allocations}, and no count goes back from
 * one read to the next. Two writer threads (one for the single-threaded kinds) keep at most
 * {@value #MAX_OUT} objects out of a pool of {@value #CAPACITY} while the test thread reads
 * {@value #READS} snapshots (and on until they have done {@value #WORK} allocations meanwhile).
 */
class ConsistentReadsTest {
    static final int CAPACITY = 64;
    static final int READS = 100_000;
    /** Allocations the writers do, at least, while the snapshots are read. */
    static final int WORK = 10_000;
    /** The producer holds one, the exchange one, the consumer two (its own and the one handed over). */
    static final int MAX_OUT = 4;

    static Stream<Arguments> everyKind() {
        return StatsPoolKind.values().stream()
                .flatMap(k -> Stream.of(Arguments.of(k, 100L), Arguments.of(k, 0L)));
    }

    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("everyKind")
    void everySnapshotReadWhileTwoThreadsWorkHoldsEveryInvariant(StatsPoolKind kind, long publishMs) throws Exception {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(Duration.ofMillis(publishMs)).build()) {
            PoolStats recorder = kind.recorder(stats);
            Pool<long[]> pool = kind.create(PoolConfig.<long[]>builder().name("consistent").capacity(CAPACITY)
                    .factory(() -> new long[1]).recorder(recorder).build());
            Writers writers = new Writers(pool, kind);
            writers.start();
            try {
                PoolStatistics previous = new PoolStatistics();
                PoolStatistics s = new PoolStatistics();
                long sawWork = 0;
                long first = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                // at least READS reads, and on until the writers have done WORK allocations meanwhile
                for (int i = 0; i < READS || previous.totalAllocations() - first < WORK; i++) {
                    recorder.snapshotInto(s);
                    check(s, previous, i);
                    if (first < 0) {
                        first = s.totalAllocations();
                    }
                    if (s.currentUsage() > 0) {
                        sawWork++;
                    }
                    s.copyInto(previous);
                    assertTrue(System.nanoTime() < deadline || i < READS,
                            "the writers did not do " + WORK + " allocations in 20 s: " + previous);
                }
                assertTrue(sawWork > 0, "some snapshot should have seen an object out");
                assertTrue(previous.peakUsage() <= MAX_OUT,
                        "the peak " + previous.peakUsage() + " exceeds the most objects ever out, " + MAX_OUT);
            } finally {
                writers.stop();
            }
            PoolStatistics end = recorder.statistics();
            assertEquals(end.totalAllocations(), end.totalReleases());
            assertEquals(0, end.currentUsage());
        }
    }

    static void check(PoolStatistics s, PoolStatistics previous, int read) {
        String at = "read " + read + ": " + s + " (previous: " + previous + ")";
        assertTrue(0 <= s.currentUsage() && s.currentUsage() <= s.capacity(), "0 <= inUse <= capacity; " + at);
        assertTrue(s.currentUsage() <= s.peakUsage() && s.peakUsage() <= s.capacity(),
                "inUse <= peak <= capacity; " + at);
        assertTrue(s.totalReleases() <= s.totalAllocations(), "releases <= allocations; " + at);
        assertTrue(s.totalAllocations() >= previous.totalAllocations()
                && s.totalReleases() >= previous.totalReleases()
                && s.peakUsage() >= previous.peakUsage()
                && s.exhaustions() >= previous.exhaustions()
                && s.waits() >= previous.waits()
                && s.growths() >= previous.growths()
                && s.discards() >= previous.discards(), "no count goes back; " + at);
    }

    /**
     * A producer allocates and writes and hands each object through a one-place exchange to a
     * consumer that reads and closes it (one producer and one consumer suit every shared kind's
     * roles); where any thread may do both, the consumer also allocates and closes one of its own
     * each time. A single-threaded kind gets one thread that allocates two and closes them. Both
     * spin rather than block, so the counts change as fast as the pool allows.
     */
    static final class Writers {
        private final Pool<long[]> pool;
        private final boolean shared;
        private final boolean anyRole;
        private final AtomicReference<Handle<long[]>> exchange = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private volatile boolean producerDone;
        private Thread producer;
        private Thread consumer;

        Writers(Pool<long[]> pool, StatsPoolKind kind) {
            this.pool = pool;
            this.shared = kind.shared();
            this.anyRole = kind.anyThreadAnyRole();
        }

        void start() {
            if (shared) {
                producer = thread("producer", this::produce);
                consumer = thread("consumer", this::consume);
            } else {
                producer = thread("owner", this::allocateAndClose);
            }
        }

        private Thread thread(String name, Runnable body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void allocateAndClose() {
            long n = 0;
            while (running) {
                try (Handle<long[]> a = pool.allocate(); Handle<long[]> b = pool.allocate()) {
                    a.get()[0] = n++;
                    b.get()[0] = n++;
                }
            }
        }

        /** Hands every object it allocates to the consumer, the last one too (the roles stay apart). */
        private void produce() {
            try {
                long n = 0;
                while (running) {
                    Handle<long[]> h = pool.allocate();
                    h.get()[0] = n++;
                    for (int spins = 0; !exchange.compareAndSet(null, h); spins++) {
                        pause(spins);
                    }
                }
            } finally {
                producerDone = true;
            }
        }

        /** Closes what the producer hands over until the producer is done and nothing is left. */
        private void consume() {
            int spins = 0;
            while (true) {
                Handle<long[]> h = exchange.getAndSet(null);
                if (h == null) {
                    if (producerDone && exchange.get() == null) {
                        return;
                    }
                    pause(spins++);
                    continue;
                }
                spins = 0;
                if (anyRole) {
                    try (Handle<long[]> own = pool.allocate()) {
                        own.get()[0] = h.get()[0];
                    }
                }
                h.close();
            }
        }

        /** Spins, and now and then lets another thread run: there may be more writers than cores. */
        private static void pause(int spins) {
            if ((spins & 63) == 63) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }

        void stop() throws Exception {
            running = false;
            producer.join(10_000);
            if (consumer != null) {
                consumer.join(10_000);
            }
            assertTrue(exchange.get() == null, "the consumer closed every object handed over");
            if (failure.get() != null) {
                throw new AssertionError("a writer failed", failure.get());
            }
        }
    }
}
