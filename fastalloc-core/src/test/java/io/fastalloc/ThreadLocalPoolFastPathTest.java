package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's fast path and what it must not change: the part table (thread-id collisions fall
 * back to the ThreadLocal, dead owners' entries are replaced), the STACK list whose held top stays
 * on it (LIFO order, batch undo), the other strategies, a recorder on the owner's close.
 */
class ThreadLocalPoolFastPathTest {

    private static PoolConfig.Builder<Object> unchecked(int capacity) {
        return PoolConfig.<Object>builder().capacity(capacity).factory(Object::new).checked(false);
    }

    /** @return a thread (not started) whose id has the same low bits as {@code like}'s, for a table of {@code length} */
    @SuppressWarnings("deprecation")
    private static Thread collidingWith(Thread like, int length, Runnable body) {
        for (int i = 0; i < 10 * length; i++) {
            Thread t = new Thread(body);
            if ((t.getId() & (length - 1)) == (like.getId() & (length - 1))) {
                return t;
            }
        }
        throw new AssertionError("no thread id collided in " + 10 * length + " tries");
    }

    private static void runAndJoin(Thread t, AtomicReference<Throwable> failure) throws InterruptedException {
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void shouldServeThreadsWhoseIdsCollideInThePartTable() throws Exception {
        // maxThreads 4: a table of 16 entries
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(2).maxThreads(4).build());
        Handle<Object> mine = pool.allocate();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger got = new AtomicInteger();
        Thread other = collidingWith(Thread.currentThread(), 16, () -> {
            try {
                for (int round = 0; round < 3; round++) { // its entry is taken: the ThreadLocal serves it
                    Handle<Object> a = pool.allocate();
                    Handle<Object> b = pool.allocate();
                    assertNull(pool.tryAllocate());
                    assertNotSame(a.get(), b.get());
                    b.close();
                    a.close();
                    got.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runAndJoin(other, failure);
        assertEquals(3, got.get());
        assertEquals(2, pool.threads());
        Handle<Object> second = pool.allocate(); // this thread still hits its own entry
        assertNull(pool.tryAllocate());
        second.close();
        mine.close();
        assertEquals(4, pool.available());
        assertEquals(0, pool.inUse());
    }

    /** Runs one allocate + close on a new thread (which then dies) and returns the thread. */
    private static Thread useAndDie(ThreadLocalPool<Object> pool, AtomicReference<Throwable> failure)
            throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                pool.allocate().close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runAndJoin(t, failure);
        return t;
    }

    @SuppressWarnings("deprecation")
    private static boolean sameEntry(Thread a, Thread b) {
        return (a.getId() & 15) == (b.getId() & 15);
    }

    @Test
    void shouldReplaceTheTableEntryOfADeadThread() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(1).maxThreads(3).build()); // 16 entries
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch bothAttached = new CountDownLatch(2);
        CountDownLatch firstAttached = new CountDownLatch(1);
        Runnable first = () -> {
            try {
                pool.allocate().close();
                firstAttached.countDown();
                bothAttached.countDown();
                bothAttached.await(); // both alive when they attach: two parts
            } catch (Throwable e) {
                failure.set(e);
            }
        };
        Runnable second = () -> {
            try {
                firstAttached.await(); // d0's part comes first in the registry
                pool.allocate().close();
                bothAttached.countDown();
                bothAttached.await();
            } catch (Throwable e) {
                failure.set(e);
            }
        };
        Thread d0 = new Thread(first);
        Thread d1 = new Thread(second);
        while (sameEntry(d0, d1)) {
            d1 = new Thread(second);
        }
        d0.start();
        d1.start();
        d0.join();
        d1.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(2, pool.threads());
        // h shares d1's entry: it adopts d0's part (the first dead one) and takes over the entry
        AtomicInteger rounds = new AtomicInteger();
        Thread h = collidingWith(d1, 16, () -> {
            try {
                for (int i = 0; i < 3; i++) {
                    pool.allocate().close();
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runAndJoin(h, failure);
        assertEquals(3, rounds.get());
        assertEquals(2, pool.threads());
        assertEquals(2, pool.available());
    }

    @Test
    void shouldReplaceATableEntryWhosePartMovedToAnotherThread() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(1).maxThreads(3).build()); // 16 entries
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread d;
        do {
            d = useAndDie(pool, failure); // its part may be adopted by the next try, so one part only
        } while (sameEntry(d, Thread.currentThread()));
        assertEquals(1, pool.threads());
        Object adopted;
        try (Handle<Object> mine = pool.allocate()) { // this thread adopts d's part: d's entry is stale
            adopted = mine.get();
        }
        AtomicReference<Object> theirs = new AtomicReference<>();
        Thread h = collidingWith(d, 16, () -> {
            try {
                for (int i = 0; i < 3; i++) {
                    try (Handle<Object> x = pool.allocate()) { // a new part, cached over the stale entry
                        theirs.set(x.get());
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runAndJoin(h, failure);
        assertEquals(2, pool.threads());
        assertNotSame(adopted, theirs.get());
        try (Handle<Object> again = pool.allocate()) {
            assertSame(adopted, again.get());
        }
    }

    @Test
    void shouldReuseTheMostRecentlyClosedObjectFirst() {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(3).build());
        Handle<Object> a = pool.allocate();
        Handle<Object> b = pool.allocate();
        Object objA = a.get();
        Object objB = b.get();
        a.close(); // b, the held top, moves off the list; a goes on top
        b.close();
        Handle<Object> x = pool.allocate();
        assertSame(objB, x.get(), "the last closed comes back first");
        Handle<Object> y = pool.allocate();
        assertSame(objA, y.get());
        Handle<Object> z = pool.allocate();
        assertNull(pool.tryAllocate());
        assertEquals(3, pool.inUse());
        assertEquals(0, pool.available());
        z.close();
        y.close();
        x.close();
        assertEquals(3, pool.available());
    }

    @Test
    void shouldUndoABatchWhoseFactoryFailsInOrder() {
        AtomicInteger made = new AtomicInteger();
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(PoolConfig.<Object>builder().capacity(4)
                .initialization(InitializationStrategy.LAZY).checked(false).factory(() -> {
                    if (made.incrementAndGet() == 3) {
                        throw new IllegalStateException("third object fails");
                    }
                    return new Object();
                }).build());
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(3));
        assertEquals(4, pool.available());
        assertEquals(0, pool.inUse());
        List<Handle<Object>> all = pool.allocateBatch(4); // the list is whole again
        assertEquals(4, all.size());
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(1));
        all.forEach(Handle::close);
        assertEquals(4, pool.available());
    }

    @Test
    void shouldKeepEveryStrategyWorkingOffTheFastPath() throws Exception {
        for (AllocationStrategy strategy : AllocationStrategy.values()) {
            ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(3).allocationStrategy(strategy).build());
            Handle<Object> a = pool.allocate();
            Handle<Object> b = pool.allocate();
            Handle<Object> c = pool.allocate();
            assertNull(pool.tryAllocate(), strategy.name());
            a.close();
            ThreadLocalPoolTest.onOtherThread(() -> {
                b.close(); // foreign: onto the return stack
                return null;
            });
            assertEquals(2, pool.available(), strategy.name());
            assertEquals(1, pool.inUse(), strategy.name());
            List<Handle<Object>> two = pool.allocateBatch(2); // drains the return stack
            assertEquals(2, two.size(), strategy.name());
            two.forEach(Handle::close);
            c.close();
            assertEquals(3, pool.available(), strategy.name());
            assertEquals(0, pool.inUse(), strategy.name());
        }
    }

    @Test
    void shouldRecordOwnerClosesWithARecorder() {
        AtomicInteger allocations = new AtomicInteger();
        AtomicInteger releases = new AtomicInteger();
        PoolRecorder counting = new PoolRecorder() {
            @Override
            public void onAllocate() {
                allocations.incrementAndGet();
            }

            @Override
            public void onRelease() {
                releases.incrementAndGet();
            }
        };
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(2).recorder(counting).build());
        for (int i = 0; i < 10; i++) {
            Handle<Object> a = pool.allocate();
            Handle<Object> b = pool.allocate();
            b.close();
            a.close();
        }
        assertEquals(20, allocations.get());
        assertEquals(20, releases.get());
        assertEquals(2, pool.available());
    }

    @Test
    void shouldRefuseAllocationAfterCloseEvenOnTheFastPath() throws Exception {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(2).build());
        pool.allocate().close(); // this thread's part is cached
        Handle<Object> out = pool.allocate();
        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            pool.close();
            closed.countDown();
        });
        closer.start();
        closed.await();
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        out.close(); // a handle still out may be closed
        assertEquals(2, pool.available());
        closer.join();
    }

    @Test
    void shouldListTheThreadsObjectsInTheExhaustionMessage() {
        ThreadLocalPool<Object> pool = ThreadLocalPool.create(unchecked(2).build());
        List<Handle<Object>> out = new ArrayList<>(pool.allocateBatch(1));
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(2));
        assertTrue(e.getMessage().contains("1 free of 2"), e.getMessage());
        out.forEach(Handle::close);
    }
}
