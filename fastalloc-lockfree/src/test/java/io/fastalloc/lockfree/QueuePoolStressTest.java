package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Ownership and conservation under real threads, keeping each kind's roles: no object is ever held
 * by two holders at once (an ownership flag set on allocate and cleared before close), and at the
 * end every object is back and distinct (unchecked mode: the handles are the slots themselves). Also: of two threads racing to close one handle, exactly
 * one wins, for the kinds with many releasing threads.
 */
class QueuePoolStressTest {
    private static final int CAPACITY = 8;
    private static final int OPERATIONS = 100_000;

    static final class Obj {
        final AtomicBoolean owned = new AtomicBoolean();
    }

    private static void take(Handle<Obj> h, AtomicReference<Throwable> error) {
        if (!h.get().owned.compareAndSet(false, true)) {
            error.compareAndSet(null, new AssertionError("object handed out while held: " + h));
        }
    }

    private static void give(Handle<Obj> h, AtomicReference<Throwable> error) {
        if (!h.get().owned.compareAndSet(true, false)) {
            error.compareAndSet(null, new AssertionError("object not owned at release: " + h));
        }
        h.close();
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldNeverHandOutAHeldObjectAndShouldGetEveryObjectBack(PoolKind kind) throws Exception {
        Pool<Obj> pool = kind.create(PoolConfig.<Obj>builder().capacity(CAPACITY).factory(Obj::new).checked(false).build());
        AtomicReference<Throwable> error = new AtomicReference<>();
        int allocators = kind.singleAllocator ? 1 : 2;
        int releasers = kind.singleReleaser ? 1 : 2;
        ConcurrentLinkedQueue<Handle<Obj>> handOff = new ConcurrentLinkedQueue<>();
        AtomicInteger released = new AtomicInteger();
        int total = OPERATIONS * allocators;
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < allocators; a++) {
            threads.add(new Thread(() -> {
                int done = 0;
                while (done < OPERATIONS && error.get() == null) {
                    Handle<Obj> h = pool.tryAllocate();
                    if (h == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    take(h, error);
                    handOff.offer(h);
                    done++;
                }
            }, "allocator-" + a));
        }
        for (int r = 0; r < releasers; r++) {
            threads.add(new Thread(() -> {
                while (released.get() < total && error.get() == null) {
                    Handle<Obj> h = handOff.poll();
                    if (h == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    give(h, error);
                    released.incrementAndGet();
                }
            }, "releaser-" + r));
        }
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((t1, e) -> error.compareAndSet(null, e));
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(error.get());
        assertEquals(CAPACITY, pool.available());
        assertConserved(pool);
    }

    private static void assertConserved(Pool<Obj> pool) {
        IdentityHashMap<Obj, Boolean> objects = new IdentityHashMap<>();
        for (Handle<Obj> h : pool.allocateBatch(CAPACITY)) {
            objects.put(h.get(), Boolean.TRUE);
        }
        assertEquals(CAPACITY, objects.size());
        assertNull(pool.tryAllocate());
    }

    /** @return the queue pools with many releasing threads ({@code MpmcPool}, {@code MpscPool}) */
    static List<PoolKind> manyReleaserQueuePools() {
        return QueuePoolContractTest.queuePools().stream().filter(k -> !k.singleReleaser).toList();
    }

    @ParameterizedTest
    @MethodSource("manyReleaserQueuePools")
    void shouldLetExactlyOneOfTwoRacingClosesWin(PoolKind kind) throws Exception {
        for (boolean checked : new boolean[] {false, true}) {
            Pool<Obj> pool = kind.create(PoolConfig.<Obj>builder().capacity(1).factory(Obj::new).checked(checked).build());
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Handle<Obj>> shared = new AtomicReference<>();
            AtomicInteger wins = new AtomicInteger();
            AtomicInteger losses = new AtomicInteger();
            Runnable closer = () -> {
                try {
                    start.await();
                    Handle<Obj> h;
                    while ((h = shared.get()) == null) {
                        Thread.onSpinWait();
                    }
                    h.close();
                    wins.incrementAndGet();
                } catch (IllegalStateException e) {
                    losses.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            for (int round = 0; round < 2_000; round++) {
                Thread a = new Thread(closer);
                Thread b = new Thread(closer);
                a.start();
                b.start();
                shared.set(pool.allocate());
                a.join();
                b.join();
                shared.set(null);
                start.reset();
                assertEquals(1, pool.available());
            }
            assertEquals(2_000, wins.get());
            assertEquals(2_000, losses.get());
        }
    }

    @Test
    void shouldLetNoAllocationThroughAfterPoolCloseReturns() throws Exception {
        for (int round = 0; round < 200; round++) {
            Pool<Obj> pool = MpmcPool.create(PoolConfig.<Obj>builder().capacity(4).factory(Obj::new).checked(false).build());
            AtomicBoolean closeReturned = new AtomicBoolean();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread allocator = new Thread(() -> {
                while (true) {
                    try {
                        boolean after = closeReturned.get(); // read before the call starts
                        Handle<Obj> h = pool.tryAllocate();
                        if (h != null) {
                            if (after) {
                                error.set(new AssertionError("handed out after close() returned"));
                                return;
                            }
                            h.close();
                        }
                    } catch (IllegalStateException e) {
                        return;
                    }
                }
            });
            allocator.start();
            pool.close();
            closeReturned.set(true);
            allocator.join();
            assertNull(error.get());
            assertEquals(4, pool.available());
        }
    }
}
