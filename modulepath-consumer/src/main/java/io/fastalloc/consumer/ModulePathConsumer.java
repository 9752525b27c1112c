package io.fastalloc.consumer;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.CachingPool;
import io.fastalloc.lockfree.MpmcPool;
import io.fastalloc.lockfree.MpscPool;
import io.fastalloc.lockfree.SpmcPool;
import io.fastalloc.lockfree.SpscPool;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs every lock-free pool kind, unchecked and checked, through the hand-off every kind admits:
 * one thread allocates and writes, a second reads and closes. Prints one line per pool and
 * {@code all lock-free kinds ran}, and exits with status 1 if a pool lost, duplicated or
 * misreported an object.
 */
public final class ModulePathConsumer {
    /** Objects each pool holds. */
    static final int CAPACITY = 16;
    /** Objects handed from the producer to the consumer per pool. */
    static final int MESSAGES = 10_000;

    private ModulePathConsumer() {
    }

    /** A message the producer fills and the consumer reads. */
    static final class Tick {
        long sequence;
    }

    /**
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the consumer thread
     */
    public static void main(String[] args) throws InterruptedException {
        run("MpmcPool", MpmcPool::create);
        run("SpscPool", SpscPool::create);
        run("MpscPool", MpscPool::create);
        run("SpmcPool", SpmcPool::create);
        run("CachingPool", CachingPool::create);
        System.out.println("all lock-free kinds ran");
    }

    private static void run(String kind, Function<PoolConfig<Tick>, Pool<Tick>> create) throws InterruptedException {
        for (boolean checked : new boolean[] {false, true}) {
            PoolConfig<Tick> config = PoolConfig.<Tick>builder()
                    .capacity(CAPACITY)
                    .factory(Tick::new)
                    .reset(t -> t.sequence = -1)
                    .checked(checked)
                    .build();
            try (Pool<Tick> pool = create.apply(config)) {
                long sum = handOff(pool);
                long expected = (long) MESSAGES * (MESSAGES - 1) / 2;
                if (sum != expected || pool.inUse() != 0 || pool.available() != CAPACITY) {
                    System.err.printf("%s (checked=%b): sum %d (expected %d), inUse %d, available %d%n",
                            kind, checked, sum, expected, pool.inUse(), pool.available());
                    System.exit(1);
                }
                System.out.printf("%s checked=%b: %d objects handed off, all %d back%n",
                        kind, checked, MESSAGES, pool.available());
            }
        }
    }

    /** Allocates and fills on this thread; a second thread reads and closes. Returns the sum read. */
    private static long handOff(Pool<Tick> pool) throws InterruptedException {
        BlockingQueue<Handle<Tick>> channel = new ArrayBlockingQueue<>(CAPACITY);
        long[] sum = new long[1];
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    try (Handle<Tick> h = channel.take()) {
                        sum[0] += h.get().sequence;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consumer");
        consumer.start();
        for (int i = 0; i < MESSAGES; i++) {
            Handle<Tick> h = pool.allocate(10, TimeUnit.SECONDS); // the consumer may hold them all
            h.get().sequence = i;
            channel.put(h);
        }
        consumer.join();
        return sum[0];
    }
}
