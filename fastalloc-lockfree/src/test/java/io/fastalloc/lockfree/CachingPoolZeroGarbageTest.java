package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.WaitStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Steady-state allocate + close allocates nothing, on every path (unchecked mode). */
class CachingPoolZeroGarbageTest {
    private static final int WARM_UP = 200_000;
    private static final int PAIRS = 100_000;
    private static final int TRIES = 5;
    /** Hand-offs between two threads are slow on a busy 2-core machine: fewer, still after warm-up. */
    private static final int HANDOFF_WARM_UP = 50_000;
    private static final int HANDOFFS = 20_000;
    private static final int HANDOFF_TRIES = 3;

    private static PoolConfig.Builder<Item> config(int capacity) {
        return PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory()).checked(false)
                .reset(i -> i.value = 0).waitStrategy(WaitStrategy.busySpin());
    }

    private static long bytes() {
        return AllocatedBytes.current();
    }

    private static long pairs(CachingPool<Item> pool, int n) {
        long before = bytes();
        for (int i = 0; i < n; i++) {
            Handle<Item> h = pool.tryAllocate();
            h.get().value = i;
            h.close();
        }
        return bytes() - before;
    }

    @Test
    void shouldAllocateNothingOnTheMagazinePath() {
        CachingPool<Item> pool = CachingPool.create(config(1024).build());
        pairs(pool, WARM_UP);
        long least = Long.MAX_VALUE;
        for (int t = 0; t < TRIES && least > 0; t++) {
            least = Math.min(least, pairs(pool, PAIRS));
        }
        assertEquals(0, least);
    }

    @Test
    void shouldAllocateNothingOnTheDepotPathWhenEveryStripeIsTaken() throws Exception {
        CachingPool<Item> pool = CachingPool.create(config(64).build(), 2, 4);
        CountDownLatch claimed = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(1);
        Thread[] owners = new Thread[2];
        for (int i = 0; i < 2; i++) {
            owners[i] = new Thread(() -> {
                pool.allocate().close(); // claims a stripe and stays alive
                claimed.countDown();
                awaitQuietly(done);
            });
        }
        // both stripes must be owned: retry with fresh threads until two distinct stripes are taken
        owners[0].start();
        owners[1].start();
        claimed.await();
        try {
            // with 2 stripes and 2 probes, both stripes are owned by live threads: this thread has none
            pairs(pool, WARM_UP);
            long least = Long.MAX_VALUE;
            for (int t = 0; t < TRIES && least > 0; t++) {
                least = Math.min(least, pairs(pool, PAIRS));
            }
            assertEquals(0, least);
        } finally {
            done.countDown();
            owners[0].join();
            owners[1].join();
        }
    }

    @Test
    void shouldAllocateNothingWhenObjectsCrossThreads() throws Exception {
        CachingPool<Item> pool = CachingPool.create(config(256).build(), 4, 8);
        AtomicReference<Handle<Item>> mailbox = new AtomicReference<>();
        AtomicLong consumerBytes = new AtomicLong(Long.MAX_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                for (int r = 0; r < HANDOFF_TRIES + 1; r++) {
                    int n = r == 0 ? HANDOFF_WARM_UP : HANDOFFS;
                    long before = bytes();
                    for (int i = 0; i < n; i++) {
                        Handle<Item> h;
                        while ((h = mailbox.getAndSet(null)) == null) {
                            Thread.yield();
                        }
                        h.close(); // closed on another thread than the allocating one
                    }
                    if (r > 0) {
                        consumerBytes.set(Math.min(consumerBytes.get(), bytes() - before));
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        consumer.start();
        long least = Long.MAX_VALUE;
        for (int r = 0; r < HANDOFF_TRIES + 1; r++) {
            int n = r == 0 ? HANDOFF_WARM_UP : HANDOFFS;
            long before = bytes();
            for (int i = 0; i < n; i++) {
                Handle<Item> h = pool.allocate();
                while (!mailbox.compareAndSet(null, h)) {
                    Thread.yield();
                }
            }
            if (r > 0) {
                least = Math.min(least, bytes() - before);
            }
        }
        consumer.join();
        assertNull(failure.get());
        assertEquals(0, least, "allocating thread");
        assertEquals(0, consumerBytes.get(), "closing thread");
        assertEquals(256, pool.available());
    }

    @Test
    void shouldAllocateNothingWhileWaiting() throws Exception {
        CachingPool<Item> pool = CachingPool.create(config(1).waitStrategy(WaitStrategy.yielding()).build()); // depot only
        AtomicReference<Handle<Item>> mailbox = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int total = HANDOFF_WARM_UP + HANDOFF_TRIES * HANDOFFS;
        Thread closer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    Handle<Item> h;
                    while ((h = mailbox.getAndSet(null)) == null) {
                        Thread.yield();
                    }
                    h.close();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        closer.start();
        long least = Long.MAX_VALUE;
        for (int r = 0; r < HANDOFF_TRIES + 1; r++) {
            int n = r == 0 ? HANDOFF_WARM_UP : HANDOFFS;
            long before = bytes();
            for (int i = 0; i < n; i++) {
                Handle<Item> h = pool.allocate(1, TimeUnit.MINUTES); // waits for the closer's release
                while (!mailbox.compareAndSet(null, h)) {
                    Thread.yield();
                }
            }
            if (r > 0) {
                least = Math.min(least, bytes() - before);
            }
        }
        closer.join();
        assertNull(failure.get());
        assertEquals(0, least);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
