package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

class ThreadSafePoolTest {

    /** A pooled object with an ownership flag. */
    static final class Owned {
        final AtomicBoolean held = new AtomicBoolean();
        int value;
    }

    private static PoolConfig.Builder<Object> config(int capacity) {
        return PoolConfig.<Object>builder().capacity(capacity).factory(Object::new);
    }

    @Test
    void shouldReturnNullWhenExhaustedAndThrowFromAllocate() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(2, Object::new);
        Handle<Object> a = pool.tryAllocate();
        Handle<Object> b = pool.allocate();
        assertNotSame(a.get(), b.get());
        assertNull(pool.tryAllocate());
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::allocate);
        assertTrue(e.getMessage().contains("ThreadSafePool"), e.getMessage());
        assertEquals(0, pool.available());
        assertEquals(2, pool.inUse());
        a.close();
        assertEquals(1, pool.available());
        assertEquals(2, pool.capacity());
    }

    @Test
    void shouldDetectSecondCloseInUncheckedMode() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(1).checked(false).build());
        Handle<Object> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("double release of slot 0"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
        assertEquals(1, pool.available());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldNameSlotAndGenerationsInCheckedMode() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(1).name("orders").checked(true).build());
        Handle<Object> first = pool.allocate();
        first.close();
        Handle<Object> second = pool.allocate();
        IllegalStateException use = assertThrows(IllegalStateException.class, first::get);
        assertEquals("ThreadSafePool 'orders': use after release of slot 0: lease generation 0, "
                + "slot now at generation 1 (held by another lease)", use.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, first::close);
        assertTrue(twice.getMessage().startsWith("ThreadSafePool 'orders': double release of slot 0"), twice.getMessage());
        assertNotNull(second.get());
        assertEquals(1, pool.inUse());
        second.close();
        assertEquals(1, pool.available());
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingClosesWin() throws Exception {
        for (boolean checked : new boolean[] {false, true}) {
            ThreadSafePool<Object> pool = ThreadSafePool.create(config(1).checked(checked).build());
            for (int round = 0; round < 300; round++) {
                Handle<Object> h = pool.allocate();
                AtomicInteger wins = new AtomicInteger();
                AtomicInteger losses = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                Runnable closer = () -> {
                    try {
                        go.await();
                        h.close();
                        wins.incrementAndGet();
                    } catch (IllegalStateException e) {
                        losses.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                Thread t1 = new Thread(closer);
                Thread t2 = new Thread(closer);
                t1.start();
                t2.start();
                go.countDown();
                t1.join();
                t2.join();
                assertEquals(1, wins.get());
                assertEquals(1, losses.get());
                assertEquals(1, pool.available());
            }
        }
    }

    @Test
    void shouldHandOutObjectReleasedWhileWaiting() throws Exception {
        ThreadSafePool<Object> pool = ThreadSafePool.create(1, Object::new);
        Handle<Object> held = pool.allocate();
        Object object = held.get();
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try (Handle<Object> h = pool.allocate(1, TimeUnit.HOURS)) {
                got.set(h.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        AllocationMeter.awaitBlocked(waiter);
        held.close();
        waiter.join();
        assertSame(object, got.get());
        assertEquals(1, pool.available());
    }

    @Test
    void shouldThrowAtDeadlineTakingNothing() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(1, Object::new);
        Handle<Object> held = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(0, TimeUnit.MILLISECONDS));
        assertEquals(1, pool.inUse());
        held.close();
        assertEquals(1, pool.available());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldThrowInterruptedExceptionTakingNothing() throws Exception {
        ThreadSafePool<Object> pool = ThreadSafePool.create(1, Object::new);
        Handle<Object> held = pool.allocate();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.allocate(1, TimeUnit.HOURS);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        AllocationMeter.awaitBlocked(waiter);
        waiter.interrupt();
        waiter.join();
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertEquals(1, pool.inUse());
        held.close();
        assertEquals(1, pool.available());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertEquals(1, pool.available());
    }

    @Test
    void shouldWakeWaitersWithIllegalStateWhenClosed() throws Exception {
        ThreadSafePool<Object> pool = ThreadSafePool.create(1, Object::new);
        Handle<Object> held = pool.allocate();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.allocate(1, TimeUnit.HOURS);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        AllocationMeter.awaitBlocked(waiter);
        pool.close();
        waiter.join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        held.close(); // outstanding handles may still be closed
        assertEquals(1, pool.available());
    }

    @Test
    void shouldRefuseAllocationAfterCloseAndStayIdempotent() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(2, Object::new);
        Handle<Object> held = pool.allocate();
        pool.close();
        pool.close();
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        assertThrows(IllegalStateException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        held.close();
        assertEquals(2, pool.available());
    }

    @Test
    void shouldOfferFairLockOnRequest() throws Exception {
        ThreadSafePool<Object> fair = ThreadSafePool.create(config(1).build(), true);
        assertTrue(fair.isFair());
        assertFalse(ThreadSafePool.create(1, Object::new).isFair());
        // a fair pool still works across threads
        Handle<Object> held = fair.allocate();
        AtomicReference<Handle<Object>> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                got.set(fair.allocate(1, TimeUnit.HOURS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        AllocationMeter.awaitBlocked(waiter);
        held.close();
        waiter.join();
        assertNotNull(got.get());
        assertTrue(fair.toString().contains("fair=true"), fair.toString());
    }

    @Test
    void shouldTakeBatchAllOrNothing() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(3).checked(false).build());
        Handle<Object> one = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(3));
        assertEquals(2, pool.available());
        List<Handle<Object>> two = pool.allocateBatch(2);
        assertEquals(2, two.size());
        assertEquals(0, pool.available());
        two.forEach(Handle::close);
        one.close();
        assertEquals(0, pool.allocateBatch(0).size());
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(-1));

        @SuppressWarnings("unchecked")
        Handle<Object>[] out = new Handle[5];
        assertEquals(3, pool.allocateBatch(out, 1, 4));
        assertNull(out[0]);
        assertNull(out[4]);
        assertEquals(0, pool.available());
        for (int i = 1; i <= 3; i++) {
            out[i].close();
        }
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 3, 3));
        assertEquals(3, pool.available());
    }

    @Test
    void shouldRunFactoryOutsideTheLock() {
        AtomicReference<ThreadSafePool<Object>> ref = new AtomicReference<>();
        AtomicBoolean otherThreadGotIn = new AtomicBoolean();
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(2)
                .initialization(InitializationStrategy.LAZY)
                .factory(() -> {
                    // another thread must be able to use the pool while the factory runs
                    Thread t = new Thread(() -> otherThreadGotIn.set(ref.get().available() >= 0));
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Object();
                }).build());
        ref.set(pool);
        pool.allocate().close();
        assertTrue(otherThreadGotIn.get());
    }

    @Test
    void shouldGrowByStrategyUpToMaxCapacity() {
        List<int[]> changes = new ArrayList<>();
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(2).maxCapacity(5)
                .growthStrategy(GrowthStrategy.exponential(2.0))
                .recorder(new PoolRecorder() {
                    @Override
                    public void onCapacityChange(int oldCapacity, int newCapacity) {
                        changes.add(new int[] {oldCapacity, newCapacity});
                    }
                }).build());
        List<Handle<Object>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(pool.allocate());
        }
        assertEquals(5, pool.capacity());
        assertNull(pool.tryAllocate());
        assertEquals(2, changes.size());
        assertEquals(4, changes.get(0)[1]);
        assertEquals(5, changes.get(1)[1]);
        held.forEach(Handle::close);
        assertEquals(5, pool.available());
        // a batch grows too
        ThreadSafePool<Object> batch = ThreadSafePool.create(config(1).maxCapacity(8).build());
        assertEquals(6, batch.allocateBatch(6).size());
        assertTrue(batch.capacity() >= 6);
    }

    @Test
    void shouldKeepSlotWhenFactoryOrResetThrows() {
        AtomicInteger made = new AtomicInteger();
        ThreadSafePool<Owned> pool = ThreadSafePool.create(PoolConfig.<Owned>builder().capacity(2)
                .initialization(InitializationStrategy.LAZY)
                .factory(() -> {
                    if (made.incrementAndGet() == 1) {
                        throw new IllegalArgumentException("factory boom");
                    }
                    return new Owned();
                })
                .reset(o -> {
                    if (o.value == 13) {
                        throw new IllegalStateException("reset boom");
                    }
                }).build());
        assertThrows(IllegalArgumentException.class, pool::allocate);
        assertEquals(2, pool.available());
        assertEquals(0, pool.inUse());
        Handle<Owned> h = pool.allocate();
        h.get().value = 13;
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(2, pool.available());
        assertEquals(0, pool.inUse());
        try (Handle<Owned> again = pool.allocate()) {
            assertEquals(0, again.get().value); // the failed object was discarded and remade
        }
    }

    @Test
    void shouldRunResetOnRelease() {
        ThreadSafePool<Owned> pool = ThreadSafePool.create(PoolConfig.<Owned>builder().capacity(1)
                .factory(Owned::new).reset(o -> o.value = 0).build());
        Handle<Owned> h = pool.allocate();
        h.get().value = 42;
        h.close();
        assertEquals(0, pool.allocate().get().value);
    }

    @Test
    void shouldNeverHandOneObjectToTwoThreads() throws Exception {
        int capacity = 8;
        ThreadSafePool<Owned> pool = ThreadSafePool.create(PoolConfig.<Owned>builder().capacity(capacity)
                .factory(Owned::new).checked(false).build());
        int threads = 4;
        AtomicReference<String> failure = new AtomicReference<>();
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
                @SuppressWarnings("unchecked")
                Handle<Owned>[] batch = new Handle[3];
                for (int i = 0; i < 30_000 && failure.get() == null; i++) {
                    if ((i + seed) % 7 == 0) {
                        int n = pool.allocateBatch(batch, 0, 3);
                        for (int k = 0; k < n; k++) {
                            take(batch[k], failure);
                        }
                        for (int k = 0; k < n; k++) {
                            give(batch[k], failure);
                        }
                    } else {
                        Handle<Owned> h = pool.tryAllocate();
                        if (h != null) {
                            take(h, failure);
                            give(h, failure);
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
        assertNull(failure.get());
        assertEquals(capacity, pool.available());
        assertEquals(0, pool.inUse());
    }

    static void take(Handle<Owned> h, AtomicReference<String> failure) {
        if (!h.get().held.compareAndSet(false, true)) {
            failure.compareAndSet(null, "object handed to two holders: " + h);
        }
    }

    static void give(Handle<Owned> h, AtomicReference<String> failure) {
        if (!h.get().held.compareAndSet(true, false)) {
            failure.compareAndSet(null, "object released by a non-holder: " + h);
        }
        h.close();
    }

    @Test
    void shouldAllocateNothingInSteadyState() {
        ThreadSafePool<Object> pool = ThreadSafePool.create(config(4).checked(false).build());
        long bytes = AllocationMeter.minBytesPer100k(() -> pool.allocate().close());
        assertEquals(0, bytes);
        long tryBytes = AllocationMeter.minBytesPer100k(() -> pool.tryAllocate().close());
        assertEquals(0, tryBytes);
    }
}
