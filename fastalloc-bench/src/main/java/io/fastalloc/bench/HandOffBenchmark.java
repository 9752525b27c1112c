package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.netty.util.Recycler;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The question: what does it cost per object to allocate on one thread and release on another, the
 * market-data pattern? A producer thread takes an object from the contender, writes a sequence number
 * into it and passes it through a bounded single-producer/single-consumer queue ({@value #QUEUE} slots, a
 * JCTools {@code SpscArrayQueue}) to a consumer thread, which reads the sequence number and gives the
 * object back: {@code Handle.close()} for fastalloc, {@code recycle} for Netty, {@code release} for
 * Stormpot, {@code returnObject} for Commons Pool, and an offer into a second SPSC queue (the free set)
 * for the raw floor. Both sides spin with {@link Thread#onSpinWait()} when the hand-off queue is full or
 * empty, or the contender momentarily has no free object (a {@code null} from {@code tryAllocate}).
 *
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar HandOffBenchmark -prof gc -rf json -rff handoff.json
 * python3 fastalloc-bench/scripts/median-per-fork.py handoff.json
 * </pre>
 *
 * <p><b>Reading the scores.</b> A JMH group of two threads: {@code produce} ({@code @GroupThreads(1)}) and
 * {@code consume} ({@code @GroupThreads(1)}), in {@link Mode#AverageTime}. Each call of either method moves
 * exactly one object (but for the few calls that give up when an iteration ends), so both the producer's
 * and the consumer's score are nanoseconds per object; the bounded queue couples the two rates, so they
 * come out close. The group's score ({@code handOff}) is their mean (JMH averages its threads' scores).
 *
 * <p><b>Contenders</b> (pools of {@link Contender#CAPACITY} objects, unchecked): the fastalloc kinds that
 * let one thread allocate and another close ({@code spscPool}, {@code mpscPool}, {@code mpmcPool},
 * {@code cachingPool}, {@code threadLocalPool}, {@code threadSafePool}); {@code spscFreeQueue}, the floor: a
 * JCTools {@code SpscArrayQueue} of {@value Contender#CAPACITY} payloads as the free set (the producer
 * polls it, the consumer offers back); {@code nettyPinned}, a Recycler pinned to the producer thread and
 * unguarded (what the consumer recycles goes back through the Recycler's MPSC queue);
 * {@code nettyRecycler}, the default (per-thread, guarded) Recycler; {@code stormpot}, an inline pool
 * claimed through the producer's single-threaded tap (Stormpot 4.0; 3.2's thread-local tap on a JDK 17
 * build) and released by the consumer; {@code commonsPool2}, a {@code GenericObjectPool}, borrow on the
 * producer and return on the consumer.
 *
 * <p><b>Threads.</b> JMH keeps its worker threads for the whole trial, so the producer is the same thread
 * in every iteration: the thread-affine contenders ({@code threadLocalPool}'s parts, Netty's per-thread and
 * pinned pools, Stormpot's tap) are made once, in the producer's trial setup, on the producer thread. The
 * workers are Netty {@code FastThreadLocalThread}s ({@link FastThreadLocalExecutor}), as in
 * {@link PeersBenchmark}, so that {@code nettyRecycler} takes its fast path.
 *
 * <p><b>Iteration ends.</b> When JMH stops the measurement ({@link Control#stopMeasurement}), a side that
 * is spinning gives up (the producer parks the object it could not hand off in {@link Exchange#pending}),
 * so that neither waits forever on a side that has left. The consumer's iteration teardown, on the consumer
 * thread, then drains the hand-off queue and the parked object and releases them, so every object is back
 * in the contender at each iteration's end and the pool never runs dry across iterations. The consumer
 * checks that the sequence numbers arrive in order (none lost, none handed to two holders); the trial fails
 * if one did not.
 *
 * <p><b>Why 10 forks.</b> The cross-thread cost depends on where the two threads land: on a machine with
 * two vCPUs, whether they are two hyper-threads of one core or two cores (and which), which is the host's
 * choice and changes from one JVM to the next, while staying put within one. So the figure moves between
 * forks by more than within a fork: compare contenders by the median of the per-fork means
 * ({@code scripts/median-per-fork.py}), and look at the spread of the fork means, not at JMH's error bar.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 10, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.fastalloc.bench.FastThreadLocalExecutor"})
public class HandOffBenchmark {
    /** Slots in the hand-off queue between the producer and the consumer. */
    static final int QUEUE = 128;

    /** The contenders of this benchmark, in the order of the {@code @Param} list. */
    static final List<String> CONTENDERS = List.of("spscPool", "mpscPool", "mpmcPool", "cachingPool",
            "threadLocalPool", "threadSafePool", "spscFreeQueue", "nettyPinned", "nettyRecycler", "stormpot",
            "commonsPool2");

    /**
     * What the producer and the consumer share: the contender and the hand-off queue. One per group.
     *
     * <p><b>Thread safety</b>: the queue is single-producer/single-consumer (the producer thread offers, the
     * consumer thread polls, also in its teardown); {@link #pending} is plain, written by the producer while
     * it runs and read by the consumer's teardown after JMH's end-of-iteration barrier.
     */
    @State(Scope.Group)
    public static class Exchange {
        /** The contender (see the class's javadoc). */
        @Param({"spscPool", "mpscPool", "mpmcPool", "cachingPool", "threadLocalPool", "threadSafePool",
                "spscFreeQueue", "nettyPinned", "nettyRecycler", "stormpot", "commonsPool2"})
        public String contender;

        /** Producer to consumer: taken objects with their sequence numbers written. */
        final SpscArrayQueue<Object> queue = new SpscArrayQueue<>(QUEUE);
        /** An object the producer took and could not hand off when the iteration ended, or {@code null}. */
        Object pending;
        Ends ends;

        /** Makes the contender (the thread-affine parts are made by each side, on its own thread). */
        @Setup(Level.Trial)
        public void setUp() {
            ends = Ends.create(contender);
        }
    }

    /** The producer's side: the contender's source, made on the producer thread, and the next sequence number. */
    @State(Scope.Thread)
    public static class Producer {
        Source source;
        long seq;

        /**
         * @param exchange the group's contender
         */
        @Setup(Level.Trial)
        public void setUp(Exchange exchange) {
            source = exchange.ends.source();
        }
    }

    /**
     * The consumer's side: the contender's sink, made on the consumer thread, and the sequence check. Its
     * teardowns run on the consumer thread: each iteration's returns what is still in flight, the trial's
     * frees the contender.
     */
    @State(Scope.Thread)
    public static class Consumer {
        Exchange exchange;
        Sink sink;
        long expected;
        long outOfOrder;

        /**
         * @param exchange the group's contender and queue
         */
        @Setup(Level.Trial)
        public void setUp(Exchange exchange) {
            this.exchange = exchange;
            sink = exchange.ends.sink();
        }

        void received(long seq) {
            if (seq != expected) {
                outOfOrder++;
            }
            expected = seq + 1;
        }

        /** Gives back every object still in the hand-off queue, then the one the producer parked. */
        @TearDown(Level.Iteration)
        public void drain() {
            Object o;
            while ((o = exchange.queue.poll()) != null) {
                received(sink.release(o));
            }
            o = exchange.pending;
            if (o != null) {
                exchange.pending = null;
                received(sink.release(o));
            }
        }

        /**
         * Frees the contender.
         *
         * @throws IllegalStateException when an object arrived out of order (lost, or handed to two holders)
         */
        @TearDown(Level.Trial)
        public void tearDown() {
            exchange.ends.close();
            if (outOfOrder != 0) {
                throw new IllegalStateException("hand-off: " + exchange.contender + ": " + outOfOrder
                        + " objects arrived out of sequence (expected: 0)");
            }
        }
    }

    /**
     * Takes one object (spinning while the contender has none free), writes the next sequence number into it
     * and hands it to the consumer (spinning while the queue is full). Gives up when the iteration ends.
     *
     * @param exchange the contender and queue
     * @param producer this side's source and sequence
     * @param control  JMH's iteration control, to give up once the measurement has stopped
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public void produce(Exchange exchange, Producer producer, Control control) {
        Object o = exchange.pending;
        if (o != null) {
            exchange.pending = null;
        } else {
            long seq = producer.seq;
            while ((o = producer.source.take(seq)) == null) {
                if (control.stopMeasurement) {
                    return;
                }
                Thread.onSpinWait();
            }
            producer.seq = seq + 1;
        }
        SpscArrayQueue<Object> q = exchange.queue;
        while (!q.offer(o)) {
            if (control.stopMeasurement) {
                exchange.pending = o;
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Takes one object from the queue (spinning while it is empty), reads its sequence number and gives it
     * back to the contender. Gives up when the iteration ends.
     *
     * @param exchange the contender and queue
     * @param consumer this side's sink and sequence check
     * @param control  JMH's iteration control, to give up once the measurement has stopped
     * @return the sequence number read, or {@code -1} when it gave up
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public long consume(Exchange exchange, Consumer consumer, Control control) {
        SpscArrayQueue<Object> q = exchange.queue;
        Object o;
        while ((o = q.poll()) == null) {
            if (control.stopMeasurement) {
                return -1;
            }
            Thread.onSpinWait();
        }
        long seq = consumer.sink.release(o);
        consumer.received(seq);
        return seq;
    }

    /** The producer's end of a contender. Not thread-safe: used by the producer thread only. */
    interface Source {
        /**
         * @param seq the sequence number to write
         * @return a taken object with {@code seq} written into it, or {@code null} when none is free now
         */
        Object take(long seq);
    }

    /** The consumer's end of a contender. Not thread-safe: used by the consumer thread only. */
    interface Sink {
        /**
         * @param taken an object from {@link Source#take}
         * @return the sequence number read from it before it was given back
         */
        long release(Object taken);
    }

    /**
     * One contender of the hand-off: made once per trial on any thread; {@link #source()} is called on the
     * producer thread and {@link #sink()} on the consumer thread, so each can bind what is thread-affine.
     */
    abstract static class Ends {
        /** @return the producer's end, bound to the calling thread where the contender is thread-affine */
        abstract Source source();

        /** @return the consumer's end */
        abstract Sink sink();

        /** Frees the contender (after every taken object was given back). */
        void close() {
        }

        /**
         * @param name one of {@link #CONTENDERS}, or another pool kind that lets one thread allocate and
         *             another close
         * @return the contender of that name
         * @throws IllegalArgumentException for an unknown name or a single-threaded pool kind
         */
        static Ends create(String name) {
            switch (name) {
                case "spscFreeQueue":
                    return new FreeQueueEnds();
                case "nettyPinned":
                    return new RecyclerEnds(true);
                case "nettyRecycler":
                    return new RecyclerEnds(false);
                case "stormpot":
                    return new StormpotEnds();
                case "commonsPool2":
                    return new CommonsPoolEnds();
                default:
                    PoolKind kind = PoolKind.byName(name);
                    if (kind == null) {
                        throw new IllegalArgumentException("contender: " + name + " (expected: one of " + CONTENDERS
                                + " or a thread-safe PoolKind name)");
                    }
                    if (!kind.kind().threadSafe) {
                        throw new IllegalArgumentException("contender: " + name
                                + " (expected: a kind that allocates on one thread and closes on another)");
                    }
                    return new PoolEnds(Contender.PoolContender.newPool(kind));
            }
        }
    }

    /** A fastalloc pool: {@code tryAllocate} on the producer, {@code Handle.close()} on the consumer. */
    static final class PoolEnds extends Ends {
        private final Pool<Payload> pool;

        PoolEnds(Pool<Payload> pool) {
            this.pool = pool;
        }

        @Override
        Source source() {
            Pool<Payload> p = pool;
            return seq -> {
                Handle<Payload> h = p.tryAllocate();
                if (h != null) {
                    h.get().value = seq;
                }
                return h;
            };
        }

        @Override
        Sink sink() {
            return taken -> {
                @SuppressWarnings("unchecked")
                Handle<Payload> h = (Handle<Payload>) taken;
                long seq = h.get().value;
                h.close();
                return seq;
            };
        }

        @Override
        void close() {
            pool.close();
        }
    }

    /** The floor: free payloads in a JCTools {@link SpscArrayQueue}; the producer polls, the consumer offers. */
    static final class FreeQueueEnds extends Ends {
        private final SpscArrayQueue<Payload> free = Contender.filled(new SpscArrayQueue<>(Contender.CAPACITY));

        @Override
        Source source() {
            SpscArrayQueue<Payload> q = free;
            return seq -> {
                Payload p = q.poll();
                if (p != null) {
                    p.value = seq;
                }
                return p;
            };
        }

        @Override
        Sink sink() {
            SpscArrayQueue<Payload> q = free;
            return taken -> {
                Payload p = (Payload) taken;
                long seq = p.value;
                q.offer(p);
                return seq;
            };
        }
    }

    /**
     * Netty's {@link Recycler}: pinned to the producer thread and unguarded ({@code nettyPinned}, made in
     * {@link #source()}), or the default per-thread, guarded one ({@code nettyRecycler}). The consumer
     * recycles through the object's handle, which queues it back to the producer's pool. {@code get()} never
     * answers empty: it makes a new object instead.
     */
    static final class RecyclerEnds extends Ends {
        private final Recycler<Contender.RecycledPayload> shared;

        RecyclerEnds(boolean pinned) {
            this.shared = pinned ? null : Contender.RecyclerContender.newRecycler();
        }

        @Override
        Source source() {
            Recycler<Contender.RecycledPayload> r =
                    shared != null ? shared : Contender.PinnedRecyclerLane.newRecycler(Thread.currentThread());
            return seq -> {
                Contender.RecycledPayload p = r.get();
                p.value = seq;
                return p;
            };
        }

        @Override
        Sink sink() {
            return taken -> {
                Contender.RecycledPayload p = (Contender.RecycledPayload) taken;
                long seq = p.value;
                p.handle.recycle(p);
                return seq;
            };
        }
    }

    /**
     * Stormpot's inline pool ({@link Contender.StormpotContender#newPool()}): {@code tryClaim} on the producer's
     * fastest tap ({@link Contender.StormpotContender#fastestTap}, made on the producer thread), {@code release}
     * on the consumer.
     */
    static final class StormpotEnds extends Ends {
        private final stormpot.Pool<Contender.StormpotPayload> pool = Contender.StormpotContender.newPool();

        @Override
        Source source() {
            stormpot.PoolTap<Contender.StormpotPayload> tap = Contender.StormpotContender.fastestTap(pool);
            return seq -> {
                Contender.StormpotPayload p = tap.tryClaim();
                if (p != null) {
                    p.value = seq;
                }
                return p;
            };
        }

        @Override
        Sink sink() {
            return taken -> {
                Contender.StormpotPayload p = (Contender.StormpotPayload) taken;
                long seq = p.value;
                p.release();
                return seq;
            };
        }

        @Override
        void close() {
            pool.shutdown();
        }
    }

    /**
     * Commons Pool 2 ({@link Contender.CommonsPoolContender#newPool()}): {@code borrowObject} without waiting on
     * the producer (an exhausted pool answers {@code null} here, so the producer spins instead of blocking),
     * {@code returnObject} on the consumer.
     */
    static final class CommonsPoolEnds extends Ends {
        private final GenericObjectPool<Payload> pool = Contender.CommonsPoolContender.newPool();

        @Override
        Source source() {
            GenericObjectPool<Payload> p0 = pool;
            return seq -> {
                Payload p;
                try {
                    p = p0.borrowObject(Duration.ZERO);
                } catch (NoSuchElementException e) {
                    return null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                p.value = seq;
                return p;
            };
        }

        @Override
        Sink sink() {
            GenericObjectPool<Payload> p0 = pool;
            return taken -> {
                Payload p = (Payload) taken;
                long seq = p.value;
                p0.returnObject(p);
                return seq;
            };
        }

        @Override
        void close() {
            pool.close();
        }
    }
}
