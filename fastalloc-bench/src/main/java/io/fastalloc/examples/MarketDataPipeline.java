// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.MarketDataPipeline
package io.fastalloc.examples;

import io.fastalloc.BufferPool;
import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.SpscPool;
import org.HdrHistogram.Histogram;
import org.jctools.queues.SpscArrayQueue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The market-data pipeline, as an example and as the scenario {@code MarketDataPipelineBenchmark}
 * measures: a decoder thread takes a 64-byte buffer, writes a tick into it and passes it through a
 * JCTools {@link SpscArrayQueue} to a consumer thread, which reads the tick, records the hand-off
 * latency (decoder's {@code nanoTime} just before the offer to consumer's {@code nanoTime} just after
 * the poll) in an HdrHistogram, and gives the buffer back.
 *
 * <p>Two contenders:
 * <ul>
 *   <li><b>pooled</b>: buffers from a {@link BufferPool} (direct, 64-byte aligned, one slab). With an
 *       {@link SpscPool} (the decoder its only allocating thread, the consumer its only releasing
 *       thread) the consumer closes each handle itself ({@link ReturnPath#CONSUMER_CLOSES}); with a
 *       single-threaded {@link FixedPool} it sends the handle back through a second SPSC queue and the
 *       decoder closes it ({@link ReturnPath#VIA_DECODER}).</li>
 *   <li><b>heap</b>: a fresh {@code ByteBuffer.allocate(64)} per message, dropped by the consumer.</li>
 * </ul>
 *
 * <p>Reported per contender: messages per second, hand-off latency p50 / p99 / p99.9 / max, bytes
 * allocated per message by both threads ({@code ThreadMXBean.getCurrentThreadAllocatedBytes} around
 * each thread's loop), and the number of collections during the run ({@link GarbageCollectorMXBean}).
 *
 * <p>Run without arguments for the example: {@value #EXAMPLE_MESSAGES} ticks through an {@code SpscPool},
 * finished in about a second, not a measurement. With arguments {@code [messages] [buffers]
 * [ratePerSecond]} (e.g. {@code java -Xms1g -Xmx1g -cp fastalloc-bench/target/benchmarks.jar
 * io.fastalloc.examples.MarketDataPipeline 10000000 1024 0}) it warms both pipelines up and measures
 * them, the pooled one on a {@code FixedPool} ({@code VIA_DECODER}), as {@code docs/buffers.md} reports
 * it. Both threads busy-spin when they find nothing to do, yielding after {@value #SPINS_BEFORE_YIELD}
 * empty polls: on a machine with fewer than two idle cores the figures mostly measure the scheduler.
 */
public final class MarketDataPipeline {
    /** Bytes per tick. */
    public static final int TICK_BYTES = 64;
    /** Buffers in the pool, and the capacity of the queue to the consumer. */
    public static final int DEFAULT_BUFFERS = 1024;
    /** Ticks of the example run (no arguments). */
    public static final long EXAMPLE_MESSAGES = 200_000;
    /** Buffers in the example run's pool (and queue slots). */
    public static final int EXAMPLE_BUFFERS = 256;
    /** Latencies above this are recorded as this, so the histogram never resizes (allocates). */
    static final long HIGHEST_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(10);

    // The tick's layout (absolute offsets, big-endian):
    //  0 seq (long) | 8 sent nanoTime (long) | 16 instrument (int) | 20 side (byte) | 21..23 pad
    // 24 price in 1e-8 units (long) | 32 quantity (long) | 40 exchange time (long)
    // 48 order id (long) | 56 flags (int) | 60 venue (int)
    static final int SEQ = 0;
    static final int SENT_NANOS = 8;
    static final int INSTRUMENT = 16;
    static final int SIDE = 20;
    static final int PRICE = 24;
    static final int QTY = 32;
    static final int EXCHANGE_NANOS = 40;
    static final int ORDER_ID = 48;
    static final int FLAGS = 56;
    static final int VENUE = 60;

    private MarketDataPipeline() {
    }

    /** How pooled buffers get back into the pool. */
    public enum ReturnPath {
        /**
         * The consumer sends each handle back through a second SPSC queue and the decoder closes it:
         * only the decoder thread touches the pool, so a single-threaded {@link FixedPool} is safe.
         */
        VIA_DECODER,
        /**
         * The consumer closes the handle itself: needs a pool kind whose handles may be closed on
         * another thread than the one that allocated them ({@code SpscPool} and the other shared kinds).
         */
        CONSUMER_CLOSES
    }

    /** Busy-spins for this many empty polls before yielding the core (no sleeping, no garbage). */
    static final int SPINS_BEFORE_YIELD = 256;

    /**
     * Waits a little: a spin hint at first, {@link Thread#yield()} once {@code idle} exceeds
     * {@link #SPINS_BEFORE_YIELD}, so that the pipeline still progresses when the two threads share a core.
     *
     * @param idle how many times in a row the caller found nothing to do
     * @return {@code idle + 1}
     */
    public static int idle(int idle) {
        if (idle < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return idle + 1;
    }

    /** Writes tick {@code seq} into {@code b} (absolute puts; position untouched), all but the send time. */
    static void writeTick(ByteBuffer b, long seq) {
        b.putLong(SEQ, seq);
        b.putInt(INSTRUMENT, (int) (seq & 1023));
        b.put(SIDE, (byte) (seq & 1));
        b.putLong(PRICE, 10_000_000_000L + (seq & 0xFFFF) * 1_000_000L);
        b.putLong(QTY, 100 + (seq & 0xFF));
        b.putLong(EXCHANGE_NANOS, seq * 1_000L);
        b.putLong(ORDER_ID, seq ^ 0x5DEECE66DL);
        b.putInt(FLAGS, (int) (seq >>> 3) & 0xF);
        b.putInt(VENUE, 7);
    }

    /** Stamps the send time; the last write before the hand-off. */
    static void stamp(ByteBuffer b) {
        b.putLong(SENT_NANOS, System.nanoTime());
    }

    /**
     * The consumer's side of the pipeline. Its fields are written by the consumer thread only and
     * read by others after joining it (or after the queue hand-off that ends a run).
     */
    static final class Receiver {
        final Histogram latency = new Histogram(HIGHEST_LATENCY_NANOS, 3);
        long received;
        long seqErrors;
        long checksum;

        /** Reads one tick, records its hand-off latency and checks its sequence number. */
        void read(ByteBuffer b) {
            long now = System.nanoTime();
            long nanos = now - b.getLong(SENT_NANOS);
            latency.recordValue(nanos < 0 ? 0 : Math.min(nanos, HIGHEST_LATENCY_NANOS));
            long seq = b.getLong(SEQ);
            if (seq != received) {
                seqErrors++;
            }
            received++;
            checksum += seq + b.getInt(INSTRUMENT) + b.get(SIDE) + b.getLong(PRICE) * b.getLong(QTY)
                    + b.getLong(EXCHANGE_NANOS) + b.getLong(ORDER_ID) + b.getInt(FLAGS) + b.getInt(VENUE);
        }
    }

    /**
     * One pipeline: what the decoder does per message, what the consumer does per message. Not
     * thread-safe beyond that split: one decoder thread calls {@link #send} and {@link #finish}, one
     * consumer thread calls {@link #receive}; the counters are read after both are joined.
     */
    public abstract static class Lane {
        final Receiver receiver = new Receiver();

        Lane() {
        }

        /**
         * @param pool the buffers, {@link #TICK_BYTES} or larger
         * @param path how buffers get back; {@code CONSUMER_CLOSES} needs a kind that allows release on another thread
         * @return a pipeline of pooled buffers
         */
        public static Lane pooled(Pool<ByteBuffer> pool, ReturnPath path) {
            return new PooledLane(pool, path);
        }

        /**
         * @param queueCapacity the queue's capacity
         * @return a pipeline that allocates a heap buffer per message
         */
        public static Lane heap(int queueCapacity) {
            return new HeapLane(queueCapacity);
        }

        /**
         * Decoder thread: sends tick {@code seq}, spinning while the pipeline is full.
         *
         * @param seq the tick's sequence number, from 0 up
         */
        public abstract void send(long seq);

        /**
         * Consumer thread: handles one message if there is one.
         *
         * @return whether there was one
         */
        public abstract boolean receive();

        /** Decoder thread, after the last send: waits until the consumer gave everything back. */
        public void finish() {
        }

        /** @return after both threads finished: buffers not back in the pool (0 for the heap lane) */
        public int buffersOut() {
            return 0;
        }

        /** @return messages the consumer received (read after joining it) */
        public long received() {
            return receiver.received;
        }

        /**
         * @return messages that arrived out of order or with a wrong sequence number (read after joining the consumer)
         */
        public long seqErrors() {
            return receiver.seqErrors;
        }
    }

    /** Buffers from a pool; handles travel to the consumer and (with {@code VIA_DECODER}) back. */
    static final class PooledLane extends Lane {
        final Pool<ByteBuffer> pool;
        final ReturnPath path;
        final SpscArrayQueue<Handle<ByteBuffer>> toConsumer;
        /** Consumer to decoder, {@code VIA_DECODER} only; as large as the pool, so offers never fail. */
        final SpscArrayQueue<Handle<ByteBuffer>> returns;

        PooledLane(Pool<ByteBuffer> pool, ReturnPath path) {
            this.pool = pool;
            this.path = path;
            this.toConsumer = new SpscArrayQueue<>(Math.max(2, pool.capacity()));
            this.returns = path == ReturnPath.VIA_DECODER ? new SpscArrayQueue<>(Math.max(2, pool.capacity())) : null;
        }

        @Override
        public void send(long seq) {
            Handle<ByteBuffer> h;
            int waits = 0;
            while ((h = pool.tryAllocate()) == null) {
                waits = reclaim() == 0 ? idle(waits) : 0;
            }
            ByteBuffer b = h.get();
            writeTick(b, seq);
            stamp(b);
            waits = 0;
            while (!toConsumer.offer(h)) {
                waits = reclaim() == 0 ? idle(waits) : 0;
            }
            reclaim();
        }

        /** Decoder thread: closes what the consumer sent back. */
        int reclaim() {
            if (returns == null) {
                return 0;
            }
            int n = 0;
            Handle<ByteBuffer> h;
            while ((h = returns.relaxedPoll()) != null) {
                h.close();
                n++;
            }
            return n;
        }

        @Override
        public boolean receive() {
            Handle<ByteBuffer> h = toConsumer.relaxedPoll();
            if (h == null) {
                return false;
            }
            receiver.read(h.get());
            if (path == ReturnPath.CONSUMER_CLOSES) {
                h.close();
            } else {
                for (int waits = 0; !returns.offer(h); ) { // cannot fail: the queue holds the whole pool
                    waits = idle(waits);
                }
            }
            return true;
        }

        @Override
        public void finish() {
            if (returns != null) {
                int waits = 0;
                while (pool.inUse() > 0) {
                    waits = reclaim() == 0 ? idle(waits) : 0;
                }
            }
        }

        @Override
        public int buffersOut() {
            return pool.capacity() - pool.available();
        }
    }

    /** A fresh heap buffer per message, dropped by the consumer. */
    static final class HeapLane extends Lane {
        final SpscArrayQueue<ByteBuffer> toConsumer;

        HeapLane(int queueCapacity) {
            this.toConsumer = new SpscArrayQueue<>(Math.max(2, queueCapacity));
        }

        @Override
        public void send(long seq) {
            ByteBuffer b = ByteBuffer.allocate(TICK_BYTES);
            writeTick(b, seq);
            stamp(b);
            for (int waits = 0; !toConsumer.offer(b); ) {
                waits = idle(waits);
            }
        }

        @Override
        public boolean receive() {
            ByteBuffer b = toConsumer.relaxedPoll();
            if (b == null) {
                return false;
            }
            receiver.read(b);
            return true;
        }
    }

    /** What one run measured. */
    public static final class Result {
        /** The contender's name. */
        public final String name;
        /** Messages the decoder sent. */
        public final long messages;
        /** Messages the consumer received. */
        public final long received;
        /** Messages that arrived out of order or with a wrong sequence number. */
        public final long seqErrors;
        /** Buffers not back in the pool after the run (0 for the heap contender). */
        public final int buffersOut;
        /** From the start signal to the consumer's last message. */
        public final long elapsedNanos;
        /** Bytes both threads allocated in their loops. */
        public final long allocatedBytes;
        /** Collections (all collectors) during the run. */
        public final long gcCount;
        /** Milliseconds spent in those collections, as the collectors report it. */
        public final long gcMillis;
        /** Hand-off latency percentiles, nanoseconds. */
        public final long p50;
        /** 99th percentile. */
        public final long p99;
        /** 99.9th percentile. */
        public final long p999;
        /** Largest. */
        public final long max;
        /** The consumer's checksum over every field read (keeps the reads alive). */
        public final long checksum;

        Result(String name, long messages, Lane lane, long elapsedNanos, long allocatedBytes, long gcCount,
               long gcMillis) {
            this.name = name;
            this.messages = messages;
            this.received = lane.receiver.received;
            this.seqErrors = lane.receiver.seqErrors;
            this.buffersOut = lane.buffersOut();
            this.elapsedNanos = elapsedNanos;
            this.allocatedBytes = allocatedBytes;
            this.gcCount = gcCount;
            this.gcMillis = gcMillis;
            Histogram h = lane.receiver.latency;
            this.p50 = h.getValueAtPercentile(50);
            this.p99 = h.getValueAtPercentile(99);
            this.p999 = h.getValueAtPercentile(99.9);
            this.max = h.getMaxValue();
            this.checksum = lane.receiver.checksum;
        }

        /** @return messages per second */
        public double messagesPerSecond() {
            return received * 1e9 / Math.max(1, elapsedNanos);
        }

        /** @return bytes allocated per message by both threads */
        public double bytesPerMessage() {
            return (double) allocatedBytes / Math.max(1, messages);
        }

        /** @return whether every message arrived, in order, and every buffer is back */
        public boolean lossless() {
            return received == messages && seqErrors == 0 && buffersOut == 0;
        }

        /** @return this result as a row of {@link #TABLE_HEADER} */
        public String tableRow() {
            String bytes = allocatedBytes == 0 ? "0 (0 B in all)"
                    : String.format(Locale.ROOT, "%.1f (%,d B in all)", bytesPerMessage(), allocatedBytes);
            return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %,d | %,d | %,d | %,d | %s | %d (%d ms) | %s |",
                    name, received, messagesPerSecond(), p50, p99, p999, max, bytes, gcCount, gcMillis,
                    lossless() ? "yes" : "NO: received " + received + ", seq errors " + seqErrors + ", buffers out "
                            + buffersOut);
        }

        /** The header of the Markdown table {@link #tableRow()} fills. */
        public static final String TABLE_HEADER =
                "| pipeline | messages | messages/s | p50 ns | p99 ns | p99.9 ns | max ns | bytes/message "
                        + "| GCs (time) | nothing lost |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|";
    }

    /**
     * Runs the pooled pipeline.
     *
     * @param messages how many ticks
     * @param buffers  buffers in the pool (and queue capacity)
     * @param kind     the pool kind's {@code create(PoolConfig)}
     * @param path     how buffers get back; {@code CONSUMER_CLOSES} needs a kind that allows release on another thread
     * @return what was measured
     */
    public static Result runPooled(long messages, int buffers,
                                   Function<? super PoolConfig<ByteBuffer>, ? extends Pool<ByteBuffer>> kind,
                                   ReturnPath path) {
        return runPooled(messages, buffers, kind, path, 0);
    }

    /**
     * Runs the pooled pipeline, the decoder sending at most {@code ratePerSecond} ticks per second.
     *
     * @param messages      how many ticks
     * @param buffers       buffers in the pool (and queue capacity)
     * @param kind          the pool kind's {@code create(PoolConfig)}
     * @param path          how buffers get back
     * @param ratePerSecond ticks per second the decoder aims at; {@code 0} for as fast as it can
     * @return what was measured
     */
    public static Result runPooled(long messages, int buffers,
                                   Function<? super PoolConfig<ByteBuffer>, ? extends Pool<ByteBuffer>> kind,
                                   ReturnPath path, long ratePerSecond) {
        Pool<ByteBuffer> pool = BufferPool.builder(buffers, TICK_BYTES, 64).name("ticks").checked(false).build(kind);
        try {
            return run("pooled (" + pool.getClass().getSimpleName() + ", " + path + ")" + rateLabel(ratePerSecond),
                    messages, new PooledLane(pool, path), ratePerSecond);
        } finally {
            pool.close();
        }
    }

    /**
     * Runs the pipeline that allocates a heap buffer per message.
     *
     * @param messages      how many ticks
     * @param queueCapacity the queue's capacity
     * @return what was measured
     */
    public static Result runHeap(long messages, int queueCapacity) {
        return runHeap(messages, queueCapacity, 0);
    }

    /**
     * Runs the heap pipeline, the decoder sending at most {@code ratePerSecond} ticks per second.
     *
     * @param messages      how many ticks
     * @param queueCapacity the queue's capacity
     * @param ratePerSecond ticks per second the decoder aims at; {@code 0} for as fast as it can
     * @return what was measured
     */
    public static Result runHeap(long messages, int queueCapacity, long ratePerSecond) {
        return run("heap (ByteBuffer.allocate per tick)" + rateLabel(ratePerSecond), messages,
                new HeapLane(queueCapacity), ratePerSecond);
    }

    private static String rateLabel(long ratePerSecond) {
        return ratePerSecond > 0 ? String.format(Locale.ROOT, " at %,d/s", ratePerSecond) : "";
    }

    private static Result run(String name, long messages, Lane lane, long ratePerSecond) {
        long interval = ratePerSecond > 0 ? Math.max(1, 1_000_000_000L / ratePerSecond) : 0;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[2];
        long[] consumerEnd = new long[1];
        Thread consumer = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            int waits = 0;
            for (long i = 0; i < messages; ) {
                if (lane.receive()) {
                    i++;
                    waits = 0;
                } else {
                    waits = idle(waits);
                }
            }
            consumerEnd[0] = System.nanoTime();
            allocated[1] = threads.getCurrentThreadAllocatedBytes() - before;
        }, "md-consumer");
        Thread decoder = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            long next = System.nanoTime();
            for (long seq = 0; seq < messages; seq++) {
                if (interval > 0) { // pacing: send tick seq no earlier than start + seq x interval
                    while (System.nanoTime() - next < 0) {
                        Thread.onSpinWait();
                    }
                    next += interval;
                }
                lane.send(seq);
            }
            lane.finish();
            allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
        }, "md-decoder");
        long gcBefore = gcCount();
        long gcTimeBefore = gcMillis();
        long start = System.nanoTime();
        consumer.start();
        decoder.start();
        join(decoder);
        join(consumer);
        long gc = gcCount() - gcBefore;
        long gcTime = gcMillis() - gcTimeBefore;
        return new Result(name, messages, lane, consumerEnd[0] - start, allocated[0] + allocated[1], gc, gcTime);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + t.getName(), e);
        }
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    /**
     * What both pipelines of the example run did.
     *
     * @param pooled the pooled pipeline
     * @param heap   the allocate-per-tick pipeline
     */
    public record Outcome(Result pooled, Result heap) {
    }

    /**
     * The example run: the pooled pipeline on an {@link SpscPool} twice (the first run warms the JIT
     * up), the heap pipeline once, {@value #EXAMPLE_MESSAGES} ticks each.
     *
     * @return the second pooled run and the heap run
     */
    public static Outcome run() {
        runPooled(EXAMPLE_MESSAGES, EXAMPLE_BUFFERS, SpscPool::create, ReturnPath.CONSUMER_CLOSES);
        Result pooled = runPooled(EXAMPLE_MESSAGES, EXAMPLE_BUFFERS, SpscPool::create, ReturnPath.CONSUMER_CLOSES);
        Result heap = runHeap(EXAMPLE_MESSAGES, EXAMPLE_BUFFERS);
        return new Outcome(pooled, heap);
    }

    /**
     * Without arguments, the example run ({@link #run()}); with them, warms both pipelines up, then
     * measures each and prints a Markdown table.
     *
     * @param args none, or {@code messages [buffers] [ratePerSecond]}: buffers 1,024 and rate 0 by default
     *             (as fast as the decoder can; the latency then includes queueing behind a full pipeline)
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            Outcome o = run();
            System.out.println("MarketDataPipeline (" + EXAMPLE_MESSAGES + " ticks; a small run, not a measurement: "
                    + "pass a tick count, e.g. 10000000, to measure)");
            for (Result r : new Result[] {o.pooled(), o.heap()}) {
                System.out.printf(
                        "  %-45s received %d, out of order %d, buffers not returned %d, bytes allocated %,d%n",
                        r.name, r.received, r.seqErrors, r.buffersOut, r.allocatedBytes);
            }
            return;
        }
        measure(args);
    }

    /** The measured run of {@link #main} with arguments. */
    private static void measure(String[] args) {
        long messages = Long.parseLong(args[0].replace("_", "").replace(",", ""));
        int buffers = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_BUFFERS;
        long rate = args.length > 2 ? Long.parseLong(args[2].replace("_", "").replace(",", "")) : 0;
        if (messages <= 0 || buffers <= 0 || rate < 0) {
            throw new IllegalArgumentException("messages: " + messages + ", buffers: " + buffers + ", ratePerSecond: "
                    + rate + " (expected: > 0, > 0, >= 0)");
        }
        // The measured run keeps the single-threaded FixedPool of docs/buffers.md's figures: handles
        // go back to the decoder to be closed there. For SpscPool (allocate on one thread, release on
        // one other thread, as run() does) the consumer closes them and the return queue disappears:
        //     Function<PoolConfig<ByteBuffer>, SpscPool<ByteBuffer>> kind = SpscPool::create;
        //     ReturnPath path = ReturnPath.CONSUMER_CLOSES;
        // Nothing else changes.
        Function<PoolConfig<ByteBuffer>, FixedPool<ByteBuffer>> kind = FixedPool::create;
        ReturnPath path = ReturnPath.VIA_DECODER;

        long warmup = Math.min(messages, 2_000_000L);
        runPooled(warmup, buffers, kind, path);
        runHeap(warmup, buffers);
        System.gc();
        Result pooled = runPooled(messages, buffers, kind, path, rate);
        System.gc();
        Result heap = runHeap(messages, buffers, rate);

        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "Market-data pipeline: %,d ticks of %d bytes, %,d buffers / queue slots, after a %,d-tick warm-up%n",
                messages, TICK_BYTES, buffers, warmup);
        System.out.printf(Locale.ROOT, "JVM %s, max heap %d MiB, %d CPUs%n%n", System.getProperty("java.version"),
                rt.maxMemory() >> 20, rt.availableProcessors());
        System.out.println(Result.TABLE_HEADER);
        System.out.println(pooled.tableRow());
        System.out.println(heap.tableRow());
        System.out.printf(Locale.ROOT,
                "%nhand-off latency = consumer nanoTime after poll - decoder nanoTime before offer%s%n",
                rate > 0 ? "" : " (the decoder runs flat out, so this includes queueing behind a full pipeline)");
        if (!pooled.lossless() || !heap.lossless()) {
            System.exit(1);
        }
    }
}
