package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The soak test of the single-role kinds, with their thread roles: allocating threads take objects
 * (tryAllocate, allocate, timed allocate, both batch forms) and hand every one to releasing threads
 * that close it. The kinds are the registry's concurrent kinds with a role
 * ({@link PoolKind#singleAllocator}, {@link PoolKind#singleReleaser}): one thread in a single role,
 * three in a shared one (SpscPool: one allocator, one releaser; MpscPool: one allocator, three
 * releasers; SpmcPool: three allocators, one releaser). Each runs in the configurations
 * {@link SoakIT#configurations} chooses, in its share of {@code soak.seconds}. Ownership flag on
 * every object, exact conservation at the end. Run with {@link SoakIT}'s command.
 */
class RoleSoakIT {
    /** Threads in a role the kind lets many threads share. */
    static final int SHARED_ROLE_THREADS = 3;

    @TestFactory
    Stream<DynamicTest> everyObjectComesBackUnderTheThreadRoles() {
        long millisEach = SoakIT.millisPerCell();
        List<DynamicTest> tests = new ArrayList<>();
        for (KindConfiguration cell : SoakIT.cells(k -> !k.anyThread())) {
            int allocators = cell.kind().singleAllocator ? 1 : SHARED_ROLE_THREADS;
            int releasers = cell.kind().singleReleaser ? 1 : SHARED_ROLE_THREADS;
            tests.add(DynamicTest.dynamicTest(cell + " (" + allocators + " allocating, " + releasers + " releasing)",
                    () -> soak(cell, allocators, releasers, millisEach)));
        }
        return tests.stream();
    }

    static void soak(KindConfiguration cell, int allocators, int releasers, long millis) throws InterruptedException {
        PoolConfig<SoakIT.Owned> config = SoakIT.config(cell, "role-soak");
        Pool<SoakIT.Owned> pool = cell.kind().create(config);
        ConcurrentLinkedQueue<Handle<SoakIT.Owned>> handOff = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong allocations = new AtomicLong();
        AtomicLong releases = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CountDownLatch allocatorsDone = new CountDownLatch(allocators);
        CountDownLatch done = new CountDownLatch(allocators + releasers);
        for (int a = 0; a < allocators; a++) {
            int me = a;
            new Thread(() -> {
                try {
                    allocate(pool, me, handOff, deadline, allocations);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    allocatorsDone.countDown();
                    done.countDown();
                }
            }, "allocator-" + a).start();
        }
        for (int r = 0; r < releasers; r++) {
            new Thread(() -> {
                try {
                    while (true) {
                        Handle<SoakIT.Owned> h = handOff.poll();
                        if (h == null) {
                            if (allocatorsDone.getCount() == 0 && handOff.isEmpty()) {
                                break;
                            }
                            Thread.onSpinWait();
                            continue;
                        }
                        h.get().holder.set(-1);
                        h.close();
                        releases.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "releaser-" + r).start();
        }
        done.await();
        assertNull(failure.get(), () -> "a worker failed: " + failure.get());
        assertEquals(allocations.get(), releases.get(), "every allocation was released once");
        assertEquals(0, pool.inUse(), "nothing is held after the run");
        assertEquals(pool.capacity(), pool.available(), "every object is back");
        SoakIT.assertRecorded(config, allocations.get());
        System.out.printf("role soak %s %s: %,d allocations and releases%n", pool, cell.configuration(),
                allocations.get());
        pool.close();
    }

    @SuppressWarnings("unchecked")
    private static void allocate(Pool<SoakIT.Owned> pool, int me, ConcurrentLinkedQueue<Handle<SoakIT.Owned>> handOff,
                                 long deadline, AtomicLong allocations) throws InterruptedException {
        SplittableRandom r = new SplittableRandom(me * 31L + System.nanoTime());
        Handle<SoakIT.Owned>[] batch = (Handle<SoakIT.Owned>[]) new Handle<?>[8];
        long n = 0;
        while (System.nanoTime() < deadline) {
            List<Handle<SoakIT.Owned>> got = new ArrayList<>(8);
            int op = r.nextInt(5);
            try {
                if (op == 0) {
                    Handle<SoakIT.Owned> h = pool.tryAllocate();
                    if (h != null) {
                        got.add(h);
                    }
                } else if (op == 1) {
                    got.add(pool.allocate());
                } else if (op == 2) {
                    got.add(pool.allocate(r.nextInt(100), TimeUnit.MICROSECONDS));
                } else if (op == 3) {
                    int k = pool.allocateBatch(batch, 0, 1 + r.nextInt(batch.length));
                    for (int i = 0; i < k; i++) {
                        got.add(batch[i]);
                        batch[i] = null;
                    }
                } else {
                    got.addAll(pool.allocateBatch(1 + r.nextInt(4)));
                }
            } catch (PoolExhaustedException expected) {
                // a legal answer while the releasers lag; nothing was taken
            }
            for (Handle<SoakIT.Owned> h : got) {
                int previous = h.get().holder.getAndSet(me);
                if (previous != -1) {
                    throw new AssertionError("allocator " + me + " got an object held by " + previous);
                }
                handOff.add(h);
                n++;
            }
        }
        allocations.addAndGet(n);
    }
}
