package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadLocalPoolTest {

    /** @return a weak reference to the object the dropped pool handed out */
    private static WeakReference<Object> useAndDrop(boolean checked) {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(PoolConfig.builder().capacity(2)
                .factory(Object::new).checked(checked).build());
        Handle<Object> h = pool.allocate();
        WeakReference<Object> object = new WeakReference<>(h.get());
        h.close();
        return object;
    }

    @Test
    void shouldNotStayReachableFromAThreadThatUsedItOnceThePoolIsDropped() throws InterruptedException {
        for (boolean checked : new boolean[] {false, true}) {
            WeakReference<Object> ref = useAndDrop(checked);
            for (int i = 0; i < 100 && ref.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(ref.get(), "the thread-local entry of the using thread keeps the pool's objects (checked=" + checked + ")");
        }
    }

    private static PoolConfig.Builder<Object> config(int capacity) {
        return PoolConfig.<Object>builder().capacity(capacity).factory(Object::new);
    }

    /** Runs {@code body} on a new thread and waits for it; rethrows what it threw. */
    static <R> R onOtherThread(ThrowingSupplier<R> body) throws Exception {
        AtomicReference<R> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(body.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() instanceof Exception) {
            throw (Exception) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    interface ThrowingSupplier<R> {
        R get() throws Exception;
    }

    @Test
    void shouldGiveEachThreadItsOwnCapacity() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(2, Object::new);
        Handle<Object> a = pool.allocate();
        Handle<Object> b = pool.tryAllocate();
        assertNotNull(b);
        assertNull(pool.tryAllocate());
        assertThrows(PoolExhaustedException.class, pool::allocate);
        int otherGot = onOtherThread(() -> {
            int n = 0;
            while (pool.tryAllocate() != null) {
                n++;
            }
            return n;
        });
        assertEquals(2, otherGot);
        assertEquals(2, pool.threads());
        assertEquals(4, pool.capacity());
        assertEquals(4, pool.inUse());
        a.close();
        b.close();
        assertEquals(2, pool.available());
    }

    @Test
    void shouldRouteForeignCloseBackToOwner() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(2).checked(false).build());
        Handle<Object> a = pool.allocate();
        Handle<Object> b = pool.allocate();
        Set<Object> objects = Set.of(a.get(), b.get());
        onOtherThread(() -> {
            a.close();
            b.close();
            return null;
        });
        assertEquals(1, pool.threads()); // the closing thread got no part of its own
        assertEquals(2, pool.available()); // counted while on the return stack
        assertEquals(0, pool.inUse());
        Handle<Object> c = pool.allocate(); // drains the return stack
        Handle<Object> d = pool.allocate();
        assertEquals(objects, Set.of(c.get(), d.get()));
        assertNull(pool.tryAllocate());
    }

    @Test
    void shouldDetectSecondCloseOnAnyThread() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(1).checked(false).build());
        Handle<Object> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("double release of slot 0"), e.getMessage());
        Handle<Object> again = pool.allocate();
        again.close();
        assertInstanceOf(IllegalStateException.class, assertThrows(Exception.class, () -> onOtherThread(() -> {
            again.close();
            return null;
        })));
        assertEquals(1, pool.available());
    }

    /**
     * Checked mode only: in unchecked mode the owner's close is plain writes (no CAS), so an owner
     * close racing with a foreign close of the same handle is undetectable there, like a stale
     * handle (ThreadLocalPool's javadoc says so); two foreign closes still race on a CAS (jcstress).
     */
    @Test
    void shouldLetExactlyOneOfOwnerAndForeignCloseWin() throws Exception {
        for (boolean checked : new boolean[] {true}) {
            ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(2).checked(checked).build());
            for (int round = 0; round < 300; round++) {
                Handle<Object> h = pool.allocate();
                AtomicInteger wins = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                Thread foreign = new Thread(() -> {
                    try {
                        go.await();
                        h.close();
                        wins.incrementAndGet();
                    } catch (IllegalStateException | InterruptedException e) {
                        // lost the race
                    }
                });
                foreign.start();
                go.countDown();
                try {
                    h.close();
                    wins.incrementAndGet();
                } catch (IllegalStateException e) {
                    // lost the race
                }
                foreign.join();
                assertEquals(1, wins.get());
                // the slot went back once: two allocations give two different objects, the third none
                Handle<Object> x = pool.allocate();
                Handle<Object> y = pool.allocate();
                assertFalse(x.get() == y.get());
                assertNull(pool.tryAllocate());
                x.close();
                y.close();
            }
        }
    }

    @Test
    void shouldNameSlotAndGenerationsInCheckedMode() {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(1).name("events").checked(true).build());
        Handle<Object> first = pool.allocate();
        first.close();
        Handle<Object> second = pool.allocate();
        IllegalStateException use = assertThrows(IllegalStateException.class, first::get);
        assertEquals("ThreadLocalPool 'events': use after release of slot 0: lease generation 0, "
                + "slot now at generation 1 (held by another lease)", use.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, first::close);
        assertTrue(twice.getMessage().startsWith("ThreadLocalPool 'events': double release of slot 0"), twice.getMessage());
        second.close();
    }

    /** A thread that owns a one-object part, hands its object out, then waits for it. */
    private static Thread ownerWaiting(ThreadLocalPool<Object> pool, AtomicReference<Handle<Object>> handedOut,
                                       AtomicReference<Object> result, long timeoutMillis) {
        CountDownLatch allocated = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            handedOut.set(pool.allocate());
            allocated.countDown();
            try {
                Handle<Object> h = pool.allocate(timeoutMillis, TimeUnit.MILLISECONDS);
                result.set(h.get());
            } catch (Throwable e) {
                result.set(e);
            }
        });
        owner.start();
        try {
            allocated.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return owner;
    }

    @Test
    void shouldHandOutObjectReleasedByAnotherThreadWhileWaiting() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(1, Object::new);
        AtomicReference<Handle<Object>> handedOut = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread owner = ownerWaiting(pool, handedOut, result, TimeUnit.HOURS.toMillis(1));
        Object object = handedOut.get().get();
        AllocationMeter.awaitBlocked(owner);
        handedOut.get().close();
        owner.join();
        assertSame(object, result.get());
    }

    @Test
    void shouldThrowAtDeadlineTakingNothing() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(1, Object::new);
        AtomicReference<Handle<Object>> handedOut = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread owner = ownerWaiting(pool, handedOut, result, 20);
        owner.join();
        assertInstanceOf(PoolExhaustedException.class, result.get());
        assertEquals(1, pool.inUse());
        handedOut.get().close();
        assertEquals(1, pool.available());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldThrowInterruptedExceptionTakingNothing() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(1, Object::new);
        AtomicReference<Handle<Object>> handedOut = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread owner = ownerWaiting(pool, handedOut, result, TimeUnit.HOURS.toMillis(1));
        AllocationMeter.awaitBlocked(owner);
        owner.interrupt();
        owner.join();
        assertInstanceOf(InterruptedException.class, result.get());
        assertEquals(1, pool.inUse());
        handedOut.get().close();
        assertEquals(1, pool.available());
        // an interrupt pending on entry is honoured when the thread must wait
        Handle<Object> mine = pool.allocate();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        mine.close();
    }

    @Test
    void shouldAdoptPartOfDeadThreadWithItsObjects() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(2).checked(false).build());
        // thread A allocates both objects, closes one, leaves the other out, and dies
        Handle<Object> leftOut = onOtherThread(() -> {
            Handle<Object> kept = pool.allocate();
            pool.allocate().close();
            return kept;
        });
        assertEquals(1, pool.threads());
        // thread B adopts A's part: one object free now, the other comes back when closed
        List<Object> got = onOtherThread(() -> {
            List<Object> objects = new ArrayList<>();
            objects.add(pool.allocate().get());
            assertNull(pool.tryAllocate());
            leftOut.close(); // closed by its new owner
            objects.add(pool.allocate().get());
            return objects;
        });
        assertEquals(1, pool.threads()); // adopted, not a second part
        assertEquals(2, pool.capacity());
        assertEquals(2, new HashSet<>(got).size());
        // B died holding both: the next thread adopts them as held; closing on another thread returns them
        assertEquals(0, pool.available());
    }

    @Test
    void shouldRefuseThreadsBeyondCapUntilOneDies() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(1).maxThreads(1).build());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            pool.allocate().close();
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        first.start();
        holding.await();
        assertNull(pool.tryAllocate());
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::allocate);
        assertTrue(e.getMessage().contains("thread cap reached"), e.getMessage());
        assertEquals(1, pool.threads());
        release.countDown();
        first.join();
        try (Handle<Object> h = pool.allocate()) { // adopts the dead thread's part
            assertNotNull(h.get());
        }
        assertEquals(1, pool.threads());
    }

    @Test
    void shouldRefuseAllocationAfterCloseOnEveryThread() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(2, Object::new);
        Handle<Object> mine = pool.allocate();
        Handle<Object> foreign = pool.allocate();
        pool.close();
        pool.close();
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        assertThrows(IllegalStateException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, assertThrows(Exception.class, () -> onOtherThread(pool::tryAllocate)));
        mine.close();
        onOtherThread(() -> {
            foreign.close();
            return null;
        });
        assertEquals(2, pool.available());
    }

    @Test
    void shouldTakeBatchAllOrNothing() {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(3).checked(false).build());
        Handle<Object> one = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(3));
        assertEquals(2, pool.available());
        List<Handle<Object>> two = pool.allocateBatch(2);
        assertEquals(2, two.size());
        assertEquals(0, pool.available());
        two.forEach(Handle::close);
        one.close();
        @SuppressWarnings("unchecked")
        Handle<Object>[] out = new Handle[4];
        assertEquals(3, pool.allocateBatch(out, 0, 4));
        assertNull(out[3]);
        for (int i = 0; i < 3; i++) {
            out[i].close();
        }
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(-1));
    }

    @Test
    void shouldRunResetOnTheClosingThreadAndKeepSlotWhenItThrows() throws Exception {
        AtomicReference<Thread> resetOn = new AtomicReference<>();
        ThreadLocalPool<ThreadSafePoolTest.Owned> pool = ThreadLocalPool.create(
                PoolConfig.<ThreadSafePoolTest.Owned>builder().capacity(1).factory(ThreadSafePoolTest.Owned::new)
                        .reset(o -> {
                            resetOn.set(Thread.currentThread());
                            if (o.value == 13) {
                                throw new IllegalStateException("reset boom");
                            }
                            o.value = 0;
                        }).build());
        Handle<ThreadSafePoolTest.Owned> h = pool.allocate();
        h.get().value = 13;
        Exception e = assertThrows(Exception.class, () -> onOtherThread(() -> {
            h.close();
            return null;
        }));
        assertEquals("reset boom", e.getMessage());
        assertFalse(resetOn.get() == Thread.currentThread());
        Handle<ThreadSafePoolTest.Owned> again = pool.allocate(); // the slot came back, its object remade
        assertEquals(0, again.get().value);
        again.get().value = 13;
        assertThrows(IllegalStateException.class, again::close); // owner path
        assertEquals(1, pool.available());
    }

    @Test
    void shouldNeverHandOneObjectToTwoThreads() throws Exception {
        int capacity = 4;
        int threads = 4;
        ThreadLocalPool<ThreadSafePoolTest.Owned> pool = ThreadLocalPool.create(PoolConfig.<ThreadSafePoolTest.Owned>builder()
                .capacity(capacity).factory(ThreadSafePoolTest.Owned::new).checked(false).build());
        AtomicReference<String> failure = new AtomicReference<>();
        // handles travel between threads through this exchange: any thread may close any handle
        AtomicReferenceArray<Handle<ThreadSafePoolTest.Owned>> exchange = new AtomicReferenceArray<>(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 30_000 && failure.get() == null; i++) {
                    int cell = (i * 7 + seed) & 15;
                    Handle<ThreadSafePoolTest.Owned> passed = exchange.getAndSet(cell, null);
                    if (passed != null) {
                        ThreadSafePoolTest.give(passed, failure); // usually a foreign close
                    }
                    Handle<ThreadSafePoolTest.Owned> h = pool.tryAllocate();
                    if (h != null) {
                        ThreadSafePoolTest.take(h, failure);
                        if ((i & 1) == 0) {
                            Handle<ThreadSafePoolTest.Owned> old = exchange.getAndSet(cell, h);
                            if (old != null) {
                                ThreadSafePoolTest.give(old, failure);
                            }
                        } else {
                            ThreadSafePoolTest.give(h, failure);
                        }
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (int i = 0; i < 16; i++) {
            Handle<ThreadSafePoolTest.Owned> left = exchange.getAndSet(i, null);
            if (left != null) {
                ThreadSafePoolTest.give(left, failure);
            }
        }
        assertNull(failure.get());
        // a worker that starts after another died adopts the dead one's part: 1 to 4 parts
        assertTrue(pool.threads() >= 1 && pool.threads() <= threads, "parts: " + pool.threads());
        assertEquals(pool.threads() * capacity, pool.capacity());
        assertEquals(pool.capacity(), pool.available());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldAllocateNothingOnTheOwnersPath() {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(4).checked(false).build());
        assertEquals(0, AllocationMeter.minBytesPer100k(() -> pool.allocate().close()));
        assertEquals(0, AllocationMeter.minBytesPer100k(() -> pool.tryAllocate().close()));
    }

    /**
     * The owner allocates and passes handles through a ring to a releasing thread, which closes them
     * (foreign close: reset, push); the owner gets them back by draining. Both threads measure what
     * they allocate over their last 100,000 handles.
     */
    @Test
    void shouldAllocateNothingOnTheForeignReleasePath() throws Exception {
        long best = Long.MAX_VALUE;
        long bestOwner = Long.MAX_VALUE;
        long bestReleaser = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 4 && best > 0; attempt++) {
            long[] bytes = foreignReleaseRun();
            bestOwner = Math.min(bestOwner, bytes[0]);
            bestReleaser = Math.min(bestReleaser, bytes[1]);
            best = Math.max(bestOwner, bestReleaser);
        }
        assertEquals(0, bestOwner, "owner (draining) thread");
        assertEquals(0, bestReleaser, "releasing thread");
    }

    private static long[] foreignReleaseRun() throws InterruptedException {
        int total = 300_000;
        int measured = 100_000;
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(config(64).checked(false).build());
        AtomicReferenceArray<Handle<Object>> ring = new AtomicReferenceArray<>(128);
        AtomicLong ownerBytes = new AtomicLong();
        AtomicLong releaserBytes = new AtomicLong();
        Thread owner = new Thread(() -> {
            long before = 0;
            for (int i = 0; i < total; i++) {
                if (i == total - measured) {
                    before = AllocationMeter.allocatedBytes();
                }
                Handle<Object> h;
                while ((h = pool.tryAllocate()) == null) {
                    Thread.yield();
                }
                int cell = i & 127;
                while (ring.get(cell) != null) {
                    Thread.yield();
                }
                ring.set(cell, h);
            }
            ownerBytes.set(AllocationMeter.allocatedBytes() - before);
        });
        Thread releaser = new Thread(() -> {
            long before = 0;
            for (int i = 0; i < total; i++) {
                if (i == total - measured) {
                    before = AllocationMeter.allocatedBytes();
                }
                int cell = i & 127;
                Handle<Object> h;
                while ((h = ring.getAndSet(cell, null)) == null) {
                    Thread.yield();
                }
                h.close();
            }
            releaserBytes.set(AllocationMeter.allocatedBytes() - before);
        });
        owner.start();
        releaser.start();
        owner.join();
        releaser.join();
        return new long[] {ownerBytes.get(), releaserBytes.get()};
    }
}
