package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ThreadSafePool} makes every recorder call under its lock (so a single-writer recorder
 * suffices), records a lazily made object once, and still takes its lock when spinning fails.
 */
class ThreadSafePoolRecordingTest {

    /** Counts events and notes any two calls that overlap (which the pool's lock must prevent). */
    static final class OverlapRecorder implements PoolRecorder {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        // plain fields: correct only if the calls take turns with happens-before between them
        long allocations;
        long releases;
        long exhaustions;
        long waits;

        private void enter() {
            if (inside.incrementAndGet() != 1) {
                overlapped.set(true);
            }
            for (int i = 0; i < 20; i++) {
                Thread.onSpinWait(); // widen the window
            }
        }

        private void exit() {
            inside.decrementAndGet();
        }

        @Override
        public void onAllocate() {
            enter();
            allocations++;
            exit();
        }

        @Override
        public void onRelease() {
            enter();
            releases++;
            exit();
        }

        @Override
        public void onExhausted() {
            enter();
            exhaustions++;
            exit();
        }

        @Override
        public void onWait(long waitedNanos) {
            enter();
            waits++;
            exit();
        }
    }

    @Test
    void shouldCallTheRecorderOneThreadAtATime() throws Exception {
        OverlapRecorder recorder = new OverlapRecorder();
        ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.<Object>builder().capacity(2)
                .factory(Object::new).checked(false).recorder(recorder).build());
        int threads = 3;
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger allocated = new AtomicInteger();
        AtomicInteger exhausted = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Handle<Object> h = pool.tryAllocate();
                        if (h == null) {
                            exhausted.incrementAndGet();
                        } else {
                            allocated.incrementAndGet();
                            h.close();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
        assertFalse(recorder.overlapped.get(), "two recorder calls overlapped");
        assertEquals(allocated.get(), recorder.allocations);
        assertEquals(allocated.get(), recorder.releases);
        assertEquals(exhausted.get(), recorder.exhaustions);
    }

    @Test
    void shouldRecordLazilyMadeObjectsOnceOnEveryAllocationPath() throws Exception {
        OverlapRecorder recorder = new OverlapRecorder();
        ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.<Object>builder().capacity(8)
                .initialization(InitializationStrategy.LAZY).factory(Object::new).checked(false)
                .recorder(recorder).build());
        Handle<Object> one = pool.tryAllocate();
        Handle<Object> two = pool.allocate(1, TimeUnit.SECONDS);
        List<Handle<Object>> three = pool.allocateBatch(3);
        @SuppressWarnings("unchecked")
        Handle<Object>[] out = new Handle[4];
        assertEquals(3, pool.allocateBatch(out, 0, 4)); // 3 left: one exhaustion
        assertEquals(8, recorder.allocations);
        assertEquals(1, recorder.exhaustions);
        assertNotNull(one.get());
        one.close();
        two.close();
        three.forEach(Handle::close);
        for (int i = 0; i < 3; i++) {
            out[i].close();
        }
        assertEquals(8, recorder.releases);
        // the objects exist now: the same paths record under their first lock acquisition
        pool.allocateBatch(8).forEach(Handle::close);
        assertEquals(16, recorder.allocations);
        assertEquals(16, recorder.releases);
    }

    @Test
    void shouldNotRecordAnAllocationWhoseFactoryFailed() {
        OverlapRecorder recorder = new OverlapRecorder();
        AtomicInteger calls = new AtomicInteger();
        ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.<Object>builder().capacity(2)
                .initialization(InitializationStrategy.LAZY).checked(false).recorder(recorder).factory(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first object fails");
                    }
                    return new Object();
                }).build());
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertEquals(0, recorder.allocations);
        assertEquals(2, pool.available());
        pool.allocate().close();
        assertEquals(1, recorder.allocations);
        assertEquals(1, recorder.releases);
    }

    @Test
    void shouldQueueOnTheLockWhenSpinningDoesNotGetIt() throws Exception {
        // EAGER growth makes the new objects under the lock: a factory that blocks holds the lock
        CountDownLatch growing = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.<Object>builder().capacity(1).maxCapacity(2)
                .growthStrategy(GrowthStrategy.linear(1)).checked(false).factory(() -> {
                    if (made.incrementAndGet() == 2) {
                        growing.countDown();
                        try {
                            letGo.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new Object();
                }).build());
        Handle<Object> first = pool.allocate();
        AtomicReference<Handle<Object>> grown = new AtomicReference<>();
        Thread grower = new Thread(() -> grown.set(pool.allocate()));
        grower.start();
        assertTrue(growing.await(10, TimeUnit.SECONDS));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                first.close(); // spins on tryLock, then queues in lock()
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        closer.start();
        Thread.sleep(50); // let it spin out and queue
        letGo.countDown();
        grower.join();
        closer.join();
        assertNull(failure.get());
        assertNotNull(grown.get());
        assertEquals(2, pool.capacity());
        assertEquals(1, pool.available());
        grown.get().close();
        assertEquals(2, pool.available());
    }
}
