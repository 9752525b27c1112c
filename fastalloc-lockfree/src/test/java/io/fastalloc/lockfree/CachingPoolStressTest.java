package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.internal.CachingCore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads, more than stripes, allocating and closing on their own and on other threads:
 * no object is ever held twice (ownership), and every object comes back (conservation).
 */
class CachingPoolStressTest {
    private static final int THREADS = 6;
    private static final int OPS = 30_000;

    @Test
    void shouldNeverHandOneObjectToTwoHoldersAndLoseNothingWithMagazinesAndDepot() throws Exception {
        // 2 stripes for 6 threads: 4 threads use the depot directly at any time
        run(CachingPool.create(config(24).build(), 2, 4), 24);
    }

    @Test
    void shouldNeverHandOneObjectToTwoHoldersAndLoseNothingOnTheSimplePath() throws Exception {
        // no reset, no recorder, unchecked: the pool's one-branch fast path
        run(CachingPool.create(simple(24), 2, 4), 24);
    }

    @Test
    void shouldNeverHandOneObjectToTwoHoldersAndLoseNothingWithDefaultSizing() throws Exception {
        run(CachingPool.create(config(256).build()), 256);
    }

    @Test
    void shouldNeverHandOneObjectToTwoHoldersAndLoseNothingDepotOnly() throws Exception {
        run(CachingPool.create(config(8).build(), 2, 0), 8);
    }

    @Test
    void shouldNeverHandOneObjectToTwoHoldersInCheckedMode() throws Exception {
        run(CachingPool.create(config(16).checked(true).build(), 2, 2), 16);
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingClosesWin() throws Exception {
        racingCloses(CachingPool.create(config(8).build(), 2, 2), false);
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingClosesWinOnTheSimplePath() throws Exception {
        racingCloses(CachingPool.create(simple(8), 2, 2), false);
    }

    @Test
    void shouldLetExactlyOneOfTheAllocatingThreadsCloseAndAForeignCloseWinWhenChecked() throws Exception {
        racingCloses(CachingPool.create(PoolConfig.<Item>builder().capacity(8).factory(new Item.Factory())
                .checked(true).build(), 2, 2), true);
    }

    static PoolConfig<Item> simple(int capacity) {
        return PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory()).checked(false).build();
    }

    /**
     * Two threads close the handle a third one allocated, at once, round after round: exactly one
     * close wins each round. Unchecked, a close on the allocating thread is not raced: it is a
     * store, and racing it with another close is the misuse the pool's javadoc describes, which
     * checked mode catches ({@code allocatorCloses}: the allocating thread is one of the closers).
     */
    private static void racingCloses(CachingPool<Item> pool, boolean allocatorCloses) throws Exception {
        AtomicReference<Handle<Item>> shared = new AtomicReference<>();
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        int rounds = 2_000;
        CyclicBarrier ready = new CyclicBarrier(allocatorCloses ? 2 : 3);
        Runnable closer = () -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    ready.await();
                    try {
                        shared.get().close();
                        wins.incrementAndGet();
                    } catch (IllegalStateException expected) {
                        refusals.incrementAndGet();
                    }
                    ready.await();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Thread a = new Thread(closer);
        Thread b = allocatorCloses ? null : new Thread(closer);
        a.start();
        if (b != null) {
            b.start();
        }
        for (int r = 0; r < rounds; r++) {
            shared.set(pool.allocate());
            ready.await(); // both closers close the same handle now
            if (allocatorCloses) {
                try {
                    shared.get().close();
                    wins.incrementAndGet();
                } catch (IllegalStateException expected) {
                    refusals.incrementAndGet();
                }
            }
            ready.await();
        }
        if (b != null) {
            b.join();
        }
        a.join();
        assertEquals(rounds, wins.get());
        assertEquals(rounds, refusals.get());
        assertEquals(8, pool.available());
        List<Handle<Item>> all = new ArrayList<>();
        for (Handle<Item> h; (h = pool.tryAllocate()) != null; ) {
            all.add(h);
        }
        assertEquals(8, all.stream().map(h -> h.get().id).distinct().count()); // no slot went back twice
        assertEquals(8, all.size());
    }

    static PoolConfig.Builder<Item> config(int capacity) {
        return PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory()).checked(false)
                .reset(i -> i.value = 0);
    }

    private static void run(CachingPool<Item> pool, int capacity) throws Exception {
        ConcurrentLinkedQueue<Handle<Item>> handOff = new ConcurrentLinkedQueue<>();
        AtomicInteger violations = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<Handle<Item>> mine = new ArrayList<>();
                try {
                    start.await();
                    for (int i = 0; i < OPS; i++) {
                        int op = random.nextInt(10);
                        if (op < 5) {
                            Handle<Item> h = random.nextInt(8) == 0
                                    ? timed(pool) : pool.tryAllocate();
                            if (h != null) {
                                Item item = h.get();
                                if (!item.owned.compareAndSet(false, true) || item.value != 0) {
                                    violations.incrementAndGet();
                                }
                                item.value = 1 + seed;
                                mine.add(h);
                            }
                        } else if (op < 8 && !mine.isEmpty()) {
                            close(mine.remove(mine.size() - 1), seed, violations);
                        } else if (op == 8 && !mine.isEmpty()) {
                            handOff.add(mine.remove(0)); // closed by whichever thread takes it
                        } else {
                            Handle<Item> h = handOff.poll();
                            if (h != null) {
                                Item item = h.get();
                                if (!item.owned.compareAndSet(true, false)) {
                                    violations.incrementAndGet();
                                }
                                item.value = 0;
                                h.close();
                            }
                        }
                    }
                    for (Handle<Item> h : mine) {
                        close(h, seed, violations);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "stress-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
            assertTrue(!thread.isAlive(), thread + " still running");
        }
        assertNull(failure.get());
        for (Handle<Item> h; (h = handOff.poll()) != null; ) {
            h.get().owned.set(false);
            h.close();
        }
        assertEquals(0, violations.get(), "ownership violations");
        // conservation: every object is back in a magazine or the depot, every slot is free
        assertEquals(capacity, pool.available());
        assertEquals(0, pool.inUse());
        for (int i = 0; i < capacity; i++) {
            assertEquals(0, ((CachingCore<?>) pool).slot(i).lpState() & 1, "slot " + i + " held");
        }
        // and all of them can be had again by one thread (the workers are dead: their magazines are adopted)
        List<Handle<Item>> all = new ArrayList<>();
        for (Handle<Item> h; (h = pool.tryAllocate()) != null; ) {
            all.add(h);
        }
        assertEquals(capacity, all.size());
        assertEquals(capacity, all.stream().map(h -> h.get().id).distinct().count());
    }

    private static Handle<Item> timed(CachingPool<Item> pool) throws InterruptedException {
        try {
            return pool.allocate(1, TimeUnit.MILLISECONDS);
        } catch (io.fastalloc.PoolExhaustedException e) {
            return null;
        }
    }

    private static void close(Handle<Item> h, int seed, AtomicInteger violations) {
        Item item = h.get();
        if (!item.owned.compareAndSet(true, false)) {
            violations.incrementAndGet();
        }
        item.value = 0;
        h.close();
    }
}
