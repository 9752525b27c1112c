package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.WaitStrategy;
import io.fastalloc.internal.Lease;
import io.fastalloc.lockfree.internal.CachingCore;
import io.fastalloc.lockfree.internal.CachingSlot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingPoolTest {

    static PoolConfig.Builder<Item> config(int capacity) {
        return PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory()).checked(false);
    }

    /** 2 stripes of 4: magazines and the depot both in play. */
    static CachingPool<Item> pool(int capacity) {
        return CachingPool.create(config(capacity).build(), 2, 4);
    }

    @Test
    void shouldHandOutEveryObjectOnceThenReturnNullWhenExhausted() {
        CachingPool<Item> pool = pool(16);
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            Handle<Item> h = pool.tryAllocate();
            assertNotNull(h, "allocation " + i);
            assertTrue(ids.add(h.get().id));
        }
        assertNull(pool.tryAllocate());
        assertThrows(PoolExhaustedException.class, pool::allocate);
        assertEquals(0, pool.available());
        assertEquals(16, pool.inUse());
    }

    @Test
    void shouldUseDefaultSizingFromShortFactory() {
        CachingPool<Item> pool = CachingPool.create(1024, new Item.Factory());
        int s = ((CachingCore<?>) pool).stripeCount();
        assertEquals(Integer.highestOneBit(s), s);
        assertTrue(s >= 2);
        assertEquals(Math.min(32, 1024 / (2 * s)), ((CachingCore<?>) pool).magazineSize());
        try (Handle<Item> h = pool.allocate()) {
            assertNotNull(h.get());
        }
        assertEquals(1024, pool.available());
    }

    @Test
    void shouldReuseTheMostRecentlyReleasedObjectOnTheSameThread() {
        CachingPool<Item> pool = pool(16);
        Handle<Item> a = pool.allocate();
        Item item = a.get();
        a.close();
        try (Handle<Item> b = pool.allocate()) {
            assertSame(item, b.get());
        }
    }

    @Test
    void shouldWorkThroughTheDepotOnlyWhenMagazinesAreTooSmall() {
        CachingPool<Item> pool = CachingPool.create(config(3).build());
        assertEquals(0, ((CachingCore<?>) pool).magazineSize());
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        Handle<Item> c = pool.allocate();
        assertNull(pool.tryAllocate());
        b.close();
        assertNotNull(pool.tryAllocate());
        a.close();
        c.close();
        assertEquals(2, pool.available());
    }

    @Test
    void shouldDetectDoubleCloseInUncheckedMode() {
        CachingPool<Item> pool = pool(4);
        Handle<Item> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("double release"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
        assertEquals(4, pool.available());
    }

    @Test
    void shouldCatchUseAfterReleaseAndStaleCloseInCheckedMode() {
        CachingPool<Item> pool = CachingPool.create(config(4).checked(true).build(), 2, 1);
        Handle<Item> first = pool.allocate();
        assertInstanceOf(Lease.class, first);
        Item item = first.get();
        first.close();
        assertThrows(IllegalStateException.class, first::get);
        Handle<Item> second = pool.allocate();
        assertSame(item, second.get()); // same slot, new generation
        IllegalStateException e = assertThrows(IllegalStateException.class, first::close);
        assertTrue(e.getMessage().contains("double release"), e.getMessage());
        assertSame(item, second.get()); // the stale close did not release the new holder's slot
        second.close();
        assertEquals(4, pool.available());
    }

    @Test
    void shouldRunResetOnRelease() {
        CachingPool<Item> pool = CachingPool.create(config(4).reset(i -> i.resets++).build(), 2, 1);
        Handle<Item> h = pool.allocate();
        Item item = h.get();
        h.close();
        assertEquals(1, item.resets);
    }

    @Test
    void shouldDiscardObjectAndRecoverSlotWhenResetThrows() {
        AtomicBoolean fail = new AtomicBoolean(true);
        Item.Factory factory = new Item.Factory();
        CachingPool<Item> pool = CachingPool.create(PoolConfig.<Item>builder().capacity(2).factory(factory)
                .checked(false).reset(i -> {
                    if (fail.get()) {
                        throw new IllegalArgumentException("boom");
                    }
                }).build(), 2, 1);
        Handle<Item> h = pool.allocate();
        Item item = h.get();
        assertThrows(IllegalArgumentException.class, h::close);
        assertEquals(2, pool.available());
        assertThrows(IllegalStateException.class, h::close); // it was released despite the failure
        fail.set(false);
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        assertNotSame(item, a.get());
        assertNotSame(item, b.get());
        assertEquals(3, factory.made.get()); // the discarded one was made anew
    }

    @Test
    void shouldDiscardObjectRejectedByValidator() {
        Item.Factory factory = new Item.Factory();
        CachingPool<Item> pool = CachingPool.create(PoolConfig.<Item>builder().capacity(1).factory(factory)
                .checked(false).validator(i -> i.value == 0).build());
        Handle<Item> h = pool.allocate();
        Item item = h.get();
        item.value = 7;
        h.close();
        try (Handle<Item> again = pool.allocate()) {
            assertNotSame(item, again.get());
            assertEquals(2, factory.made.get());
        }
    }

    @Test
    void shouldTakeNothingWhenLazyFactoryThrows() {
        AtomicBoolean fail = new AtomicBoolean(true);
        CachingPool<Item> pool = CachingPool.create(PoolConfig.<Item>builder().capacity(4)
                .initialization(InitializationStrategy.LAZY).checked(false).factory(() -> {
                    if (fail.get()) {
                        throw new IllegalStateException("factory down");
                    }
                    return new Item(0);
                }).build(), 2, 1);
        assertThrows(IllegalStateException.class, pool::allocate);
        assertEquals(4, pool.available());
        fail.set(false);
        try (Handle<Item> h = pool.allocate()) {
            assertNotNull(h.get());
        }
    }

    @Test
    void shouldReportEagerFactoryFailureNamingTheSlot() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CachingPool.create(
                PoolConfig.<Item>builder().capacity(2).name("boom").factory(() -> {
                    throw new IllegalArgumentException("no");
                }).build()));
        assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("slot 0"), e.getMessage());
    }

    @Test
    void shouldTakeAllOrNothingInListBatch() {
        CachingPool<Item> pool = pool(16);
        Handle<Item> held = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(16));
        assertEquals(15, pool.available());
        List<Handle<Item>> batch = pool.allocateBatch(15);
        assertEquals(15, batch.size());
        Set<Integer> ids = new HashSet<>();
        for (Handle<Item> h : batch) {
            assertTrue(ids.add(h.get().id));
        }
        assertFalse(ids.contains(held.get().id));
        assertEquals(0, pool.available());
        batch.forEach(Handle::close);
        held.close();
        assertEquals(16, pool.available());
        assertEquals(0, pool.allocateBatch(0).size());
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(-1));
    }

    @Test
    void shouldFillUpToCountInArrayBatch() {
        CachingPool<Item> pool = pool(8);
        @SuppressWarnings("unchecked") Handle<Item>[] out = new Handle[12];
        assertEquals(5, pool.allocateBatch(out, 2, 5));
        assertNull(out[1]);
        assertNotNull(out[6]);
        assertNull(out[7]);
        assertEquals(3, pool.allocateBatch(out, 7, 5));
        assertEquals(0, pool.available());
        for (int i = 2; i < 10; i++) {
            out[i].close();
        }
        assertEquals(8, pool.available());
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 10, 3));
    }

    @Test
    void shouldThrowAfterPoolCloseButAcceptOutstandingHandles() {
        CachingPool<Item> pool = pool(8);
        Handle<Item> h = pool.allocate();
        Handle<Item> h2 = pool.allocate();
        h2.close(); // h2's object now sits in this thread's magazine
        pool.close();
        pool.close(); // idempotent
        assertTrue(pool.isClosed());
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocate(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        h.close();
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertEquals(8, pool.available());
    }

    @Test
    void shouldWaitForAReleaseOnAnotherThread() throws Exception {
        CachingPool<Item> pool = pool(1);
        Handle<Item> h = pool.allocate();
        Thread releaser = new Thread(() -> {
            sleep(50);
            h.close();
        });
        releaser.start();
        try (Handle<Item> got = pool.allocate(10, TimeUnit.SECONDS)) {
            assertNotNull(got.get());
        }
        releaser.join();
    }

    @Test
    void shouldSeeObjectsCachedByAnActiveThreadThanksToFlushRequests() throws Exception {
        // 2 stripes of 8, capacity 32: the worker caches objects in its magazine and keeps using the
        // pool; a waiter that finds the depot empty raises a flush request and gets them.
        CachingPool<Item> pool = CachingPool.create(config(32).waitStrategy(WaitStrategy.yielding()).build(), 2, 8);
        List<Handle<Item>> mine = new ArrayList<>();
        CountDownLatch cached = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                List<Handle<Item>> hs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    hs.add(pool.allocate());
                }
                hs.forEach(Handle::close); // 8 objects now in the worker's magazine
                cached.countDown();
                while (!stop.get()) {
                    Handle<Item> x = pool.tryAllocate(); // keeps touching the pool
                    if (x != null) {
                        x.close();
                    }
                    Thread.yield();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        cached.await();
        while (true) {
            Handle<Item> h = pool.tryAllocate();
            if (h == null) {
                break;
            }
            mine.add(h);
        }
        assertTrue(mine.size() >= 32 - 8, "got " + mine.size());
        int waited = 0;
        while (mine.size() < 32) {
            mine.add(pool.allocate(10, TimeUnit.SECONDS));
            waited++;
        }
        stop.set(true);
        worker.join();
        assertNull(failure.get());
        assertTrue(waited >= 0);
        assertEquals(32, mine.stream().map(x -> x.get().id).distinct().count());
        mine.forEach(Handle::close);
        assertEquals(32, pool.available());
    }

    @Test
    void shouldTimeOutTakingNothing() throws Exception {
        CachingPool<Item> pool = pool(2);
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(0, TimeUnit.MILLISECONDS));
        a.close();
        b.close();
        assertEquals(2, pool.available());
    }

    @Test
    void shouldHonourInterruptWhileWaitingTakingNothing() throws Exception {
        CachingPool<Item> pool = pool(1);
        Handle<Item> h = pool.allocate();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.allocate(1, TimeUnit.MINUTES);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiter.start();
        sleep(50);
        waiter.interrupt();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        h.close();
        assertEquals(1, pool.available());

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, pool.available());
    }

    @Test
    void shouldAdoptTheMagazineOfADeadThreadLosingNothing() throws Exception {
        CachingPool<Item> pool = CachingPool.create(config(32).build(), 2, 8);
        Thread t = new Thread(() -> {
            List<Handle<Item>> hs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                hs.add(pool.allocate());
            }
            hs.forEach(Handle::close); // cached in t's magazine, then t dies
        });
        t.start();
        t.join();
        assertEquals(32, pool.available());
        // this thread must get all 32, the dead thread's cached ones included
        List<Handle<Item>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Handle<Item> h = pool.tryAllocate();
            assertNotNull(h, "allocation " + i);
            all.add(h);
        }
        assertNull(pool.tryAllocate());
        assertEquals(32, all.stream().map(x -> x.get().id).distinct().count());
    }

    @Test
    void shouldNameThePoolInErrors() {
        CachingPool<Item> pool = CachingPool.create(config(1).name("orders").build());
        pool.allocate();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::allocate);
        assertTrue(e.getMessage().contains("CachingPool 'orders'"), e.getMessage());
        assertTrue(pool.toString().contains("orders"));
    }

    @Test
    void shouldReportEventsToTheRecorder() throws Exception {
        java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(6);
        io.fastalloc.PoolRecorder recorder = new io.fastalloc.PoolRecorder() {
            @Override
            public void onCreate(String poolName, String kind, int capacity) {
                counts.incrementAndGet(0);
            }

            @Override
            public void onAllocate() {
                counts.incrementAndGet(1);
            }

            @Override
            public void onRelease() {
                counts.incrementAndGet(2);
            }

            @Override
            public void onExhausted() {
                counts.incrementAndGet(3);
            }

            @Override
            public void onWait(long waitedNanos) {
                counts.incrementAndGet(4);
            }

            @Override
            public void onDiscard() {
                counts.incrementAndGet(5);
            }
        };
        CachingPool<Item> pool = CachingPool.create(config(2).recorder(recorder).validator(i -> i.value == 0).build(), 2, 1);
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        assertNull(pool.tryAllocate());
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(1, TimeUnit.MILLISECONDS));
        a.get().value = 1; // rejected by the validator on release
        a.close();
        b.close();
        assertEquals("[1, 2, 2, 2, 1, 1]", counts.toString());
    }

    /** Unchecked, no reset or validator, eager: the fast path, which with a recorder still reports. */
    @Test
    void shouldReportAllocationsAndReleasesOnTheFastPathToo() throws Exception {
        java.util.concurrent.atomic.AtomicLong allocated = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong released = new java.util.concurrent.atomic.AtomicLong();
        io.fastalloc.PoolRecorder recorder = new io.fastalloc.PoolRecorder() {
            @Override
            public void onAllocate() {
                allocated.incrementAndGet();
            }

            @Override
            public void onRelease() {
                released.incrementAndGet();
            }
        };
        CachingPool<Item> pool = CachingPool.create(config(16).recorder(recorder).build(), 2, 4);
        for (int i = 0; i < 1000; i++) {
            pool.allocate().close(); // the thread's magazine: hot slot in, hot slot out
        }
        Handle<Item> crossing = pool.allocate();
        Thread other = new Thread(crossing::close);
        other.start();
        other.join();
        assertEquals(1001, allocated.get());
        assertEquals(1001, released.get());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldRejectBadTestSizes() {
        assertThrows(IllegalArgumentException.class, () -> CachingPool.create(config(4).build(), 3, 1));
        assertThrows(IllegalArgumentException.class, () -> CachingPool.create(config(4).build(), 2, -1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldCloseThroughTheSlotsHintOnTheAllocatingThreadAndThroughTheLookUpElsewhere() throws Exception {
        CachingPool<Item> pool = CachingPool.create(config(16).alignment(64).build(), 2, 4);
        Handle<Item> h = pool.allocate();
        assertInstanceOf(CachingSlot.PaddedCachingSlot.class, h);
        h.close(); // the hint names this thread's magazine: lands in its hot slot
        assertSame(h, pool.allocate());
        Thread other = new Thread(h::close); // the hint names a magazine the closer does not own
        other.start();
        other.join();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(16, pool.available());
        assertEquals(16, pool.allocateBatch(16).size());
    }
}
