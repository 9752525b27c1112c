package io.fastalloc.bench;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;
import org.jctools.queues.varhandle.SpmcVarHandleArrayQueue;
import org.jctools.queues.varhandle.SpscVarHandleArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JCTools' two flavours of the same bounded array queues, side by side: the {@code sun.misc.Unsafe}
 * queues of {@code jctools-core} and the {@code VarHandle} queues of {@code jctools-core-jdk11}, which
 * the lock-free pools hold their free slots in, through the calls the pools make ({@code poll},
 * {@code offer}).
 *
 * <ul>
 *   <li>{@code pollOffer}: one thread takes an element and puts it back, as a pool's allocate + close
 *       on one thread does. Run with {@code -t 1} for every kind, and with {@code -t 2} for
 *       {@code mpmc} (the only kind whose both ends admit two threads).</li>
 *   <li>{@code handOff}: one producer thread offers, one consumer thread polls (every kind admits one
 *       producer and one consumer); the score is the time per operation of each side.</li>
 * </ul>
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar QueueFlavourBenchmark -f 2 -t 1
 * java -jar fastalloc-bench/target/benchmarks.jar 'QueueFlavourBenchmark.pollOffer' -f 2 -t 2 -p kind=mpmc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class QueueFlavourBenchmark {

    /** Queue capacity: a pool of 64 objects, as in {@link QueuePoolBenchmark}. */
    static final int CAPACITY = 64;

    /** The queue every thread of a {@code pollOffer} run shares: one kind and flavour, half full. */
    @State(Scope.Benchmark)
    public static class SharedQueue {
        /** Which ends the queue admits several threads at: mpmc, spsc, mpsc or spmc. */
        @Param({"mpmc", "spsc", "mpsc", "spmc"})
        public String kind;

        /** {@code unsafe} (jctools-core) or {@code varhandle} (jctools-core-jdk11). */
        @Param({"unsafe", "varhandle"})
        public String flavour;

        MessagePassingQueue<Object> queue;

        /** Builds the queue and fills half of it. */
        @Setup
        public void setUp() {
            queue = halfFull(kind, flavour);
        }
    }

    /** The queue between the two threads of one {@code handOff} group: one kind and flavour, half full. */
    @State(Scope.Group)
    public static class HandOffQueue {
        /** Which ends the queue admits several threads at: mpmc, spsc, mpsc or spmc. */
        @Param({"mpmc", "spsc", "mpsc", "spmc"})
        public String kind;

        /** {@code unsafe} (jctools-core) or {@code varhandle} (jctools-core-jdk11). */
        @Param({"unsafe", "varhandle"})
        public String flavour;

        MessagePassingQueue<Object> queue;

        /** Builds the queue and fills half of it. */
        @Setup
        public void setUp() {
            queue = halfFull(kind, flavour);
        }
    }

    static MessagePassingQueue<Object> halfFull(String kind, String flavour) {
        MessagePassingQueue<Object> queue = create(kind, flavour, CAPACITY);
        for (int i = 0; i < CAPACITY / 2; i++) {
            queue.relaxedOffer(new Object());
        }
        return queue;
    }

    static MessagePassingQueue<Object> create(String kind, String flavour, int capacity) {
        boolean unsafe;
        switch (flavour) {
            case "unsafe":
                unsafe = true;
                break;
            case "varhandle":
                unsafe = false;
                break;
            default:
                throw new IllegalArgumentException("flavour: " + flavour + " (expected: unsafe or varhandle)");
        }
        switch (kind) {
            case "mpmc":
                return unsafe ? new MpmcArrayQueue<>(capacity) : new MpmcVarHandleArrayQueue<>(capacity);
            case "spsc":
                return unsafe ? new SpscArrayQueue<>(capacity) : new SpscVarHandleArrayQueue<>(capacity);
            case "mpsc":
                return unsafe ? new MpscArrayQueue<>(capacity) : new MpscVarHandleArrayQueue<>(capacity);
            case "spmc":
                return unsafe ? new SpmcArrayQueue<>(capacity) : new SpmcVarHandleArrayQueue<>(capacity);
            default:
                throw new IllegalArgumentException("kind: " + kind + " (expected: mpmc, spsc, mpsc or spmc)");
        }
    }

    /**
     * Takes an element and puts it back on the calling thread.
     *
     * @param q the queue
     * @return whether the element went back (always, the queue is half full)
     */
    @Benchmark
    public boolean pollOffer(SharedQueue q) {
        Object e = q.queue.poll(); // never null: no thread takes more than it puts back
        return q.queue.offer(e);
    }

    /**
     * The producer side of the hand-off: offers an element, whether or not the consumer kept up.
     *
     * @param q the queue
     * @return whether the element went in
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public boolean produce(HandOffQueue q) {
        return q.queue.offer(ELEMENT);
    }

    /**
     * The consumer side of the hand-off: polls an element, or finds the queue empty.
     *
     * @param q the queue
     * @return the element, or null
     */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public Object consume(HandOffQueue q) {
        return q.queue.poll();
    }

    private static final Object ELEMENT = new Object();
}
