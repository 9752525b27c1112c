package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The soak test: every pool kind that any thread may allocate from and release into, under random
 * allocate / tryAllocate / timed allocate / batch / close / foreign-thread close from more threads
 * than cores, with an ownership flag on every object (a thread that gets an object someone else
 * holds fails the run) and exact conservation checked at the end.
 *
 * <p>Run apart from the unit tests: {@code mvn -B -Psoak -pl fastalloc-lockfree -am verify
 * -Dsoak.seconds=60} (the seconds are shared among the pool kinds). The single-role kinds
 * (SpscPool, MpscPool, SpmcPool) are soaked in {@link RoleSoakIT} with their thread roles.
 */
class SoakIT {
    static final int THREADS = 6;
    static final int CAPACITY = 64;

    /** A pooled object with an ownership flag. */
    static final class Owned {
        final AtomicInteger holder = new AtomicInteger(-1);
        long uses;
    }

    static long secondsTotal() {
        return Long.getLong("soak.seconds", 60L);
    }

    static List<Function<PoolConfig<Owned>, Pool<Owned>>> kinds() {
        List<Function<PoolConfig<Owned>, Pool<Owned>>> kinds = new ArrayList<>();
        kinds.add(ThreadSafePool::create);
        kinds.add(ThreadLocalPool::create);
        kinds.add(MpmcPool::create);
        kinds.add(CachingPool::create);
        return kinds;
    }

    static final String[] NAMES = {"ThreadSafePool", "ThreadLocalPool", "MpmcPool", "CachingPool"};

    @TestFactory
    Stream<DynamicTest> everyObjectComesBackAndNoneIsEverHeldTwice() {
        List<Function<PoolConfig<Owned>, Pool<Owned>>> kinds = kinds();
        long millisEach = Math.max(1_000L, secondsTotal() * 1000L / (kinds.size() + 3));
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            Function<PoolConfig<Owned>, Pool<Owned>> kind = kinds.get(k);
            tests.add(DynamicTest.dynamicTest(NAMES[k], () -> soak(kind, millisEach)));
        }
        return tests.stream();
    }

    static void soak(Function<PoolConfig<Owned>, Pool<Owned>> kind, long millis) throws InterruptedException {
        PoolConfig<Owned> config = PoolConfig.<Owned>builder().name("soak").capacity(CAPACITY).factory(Owned::new)
                .reset(o -> o.uses++).checked(false).build();
        Pool<Owned> pool = kind.apply(config);
        ConcurrentLinkedQueue<Handle<Owned>> handOff = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong operations = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            Thread worker = new Thread(() -> {
                try {
                    work(pool, me, handOff, deadline, operations);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "soak-" + t);
            worker.start();
        }
        done.await();
        assertNull(failure.get(), () -> "a worker failed: " + failure.get());
        Handle<Owned> h;
        while ((h = handOff.poll()) != null) {
            release(h);
        }
        // Conservation: every object can be taken again, each exactly once.
        assertEquals(0, pool.inUse(), "nothing is held after the run");
        System.out.printf("soak %s: %,d operations, capacity %d, available %d%n", pool, operations.get(),
                pool.capacity(), pool.available());
        assertEquals(pool.capacity(), pool.available(), "every object is back");
        pool.close();
    }

    private static void take(Handle<Owned> h, int me) {
        int previous = h.get().holder.getAndSet(me);
        if (previous != -1) {
            throw new AssertionError("thread " + me + " got an object held by thread " + previous);
        }
    }

    private static void release(Handle<Owned> h) {
        h.get().holder.set(-1);
        h.close();
    }

    @SuppressWarnings("unchecked")
    private static void work(Pool<Owned> pool, int me, ConcurrentLinkedQueue<Handle<Owned>> handOff, long deadline,
                             AtomicLong operations) throws InterruptedException {
        SplittableRandom r = new SplittableRandom(me * 7919L + System.nanoTime());
        List<Handle<Owned>> held = new ArrayList<>();
        Handle<Owned>[] batch = (Handle<Owned>[]) new Handle<?>[8];
        long ops = 0;
        while (System.nanoTime() < deadline) {
            int op = r.nextInt(10);
            if (op < 3 || held.size() > 6) { // close one, on this thread or hand it to another
                if (!held.isEmpty()) {
                    Handle<Owned> h = held.remove(r.nextInt(held.size()));
                    if (r.nextBoolean()) {
                        release(h);
                    } else {
                        h.get().holder.set(-1);
                        handOff.add(h); // another thread closes it: the foreign-release path
                    }
                }
                Handle<Owned> foreign = handOff.poll();
                if (foreign != null) {
                    foreign.close();
                }
            } else if (op < 5) {
                Handle<Owned> h = pool.tryAllocate();
                if (h != null) {
                    take(h, me);
                    held.add(h);
                }
            } else if (op < 6) {
                try {
                    Handle<Owned> h = pool.allocate();
                    take(h, me);
                    held.add(h);
                } catch (PoolExhaustedException expected) {
                    // exhaustion is a legal answer under load
                }
            } else if (op < 7) {
                try {
                    Handle<Owned> h = pool.allocate(r.nextInt(50), TimeUnit.MICROSECONDS);
                    take(h, me);
                    held.add(h);
                } catch (PoolExhaustedException expected) {
                    // timed out, nothing taken
                }
            } else if (op < 8) {
                int n = pool.allocateBatch(batch, 0, 1 + r.nextInt(batch.length));
                for (int i = 0; i < n; i++) {
                    take(batch[i], me);
                    held.add(batch[i]);
                    batch[i] = null;
                }
            } else if (op < 9) {
                try {
                    List<Handle<Owned>> list = pool.allocateBatch(1 + r.nextInt(4));
                    for (Handle<Owned> h : list) {
                        take(h, me);
                        held.add(h);
                    }
                } catch (PoolExhaustedException expected) {
                    // all or nothing: nothing taken
                }
            } else {
                Handle<Owned> h = pool.tryAllocate();
                if (h != null) {
                    take(h, me);
                    release(h);
                }
            }
            ops++;
        }
        for (Handle<Owned> h : held) {
            release(h);
        }
        operations.addAndGet(ops);
    }
}
