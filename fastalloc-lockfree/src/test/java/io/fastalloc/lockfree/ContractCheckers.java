package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.internal.Lease;
import io.fastalloc.testkit.CountingRecorder;
import io.fastalloc.testkit.PoolKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks of the handle contract (Pool and Handle javadoc, docs/architecture.md) that the review's defects broke, each written once and run over
 * every kind x configuration of the registry ({@link EveryKindContractTest}) and over a pool with
 * the matching bug planted ({@link PlantedBugsTest}), where each must fail.
 *
 * <p>A pool comes from a {@link Maker}: a builder in the configuration under test, on which a check
 * sets what it needs (LAZY, a recorder) before the kind builds the pool.
 */
final class ContractCheckers {
    private ContractCheckers() {
    }

    /**
     * What a check is run on: a builder in the configuration under test, on which the check sets what
     * it needs (LAZY, a recorder, checked), and the kind's factory.
     */
    interface Maker {
        PoolConfig.Builder<Object> builder(int capacity, Supplier<Object> factory);

        Pool<Object> create(PoolConfig.Builder<Object> builder);
    }

    static Supplier<Object> objects() {
        return () -> new int[1];
    }

    // ------------------------------------------------------------------ a compiled loop against close

    /**
     * A thread runs a {@link CompiledLoop} of its own long enough for C2 to compile it (hundreds of
     * milliseconds: the OSR compilation of such a loop takes a few milliseconds once it is hot); then
     * another thread closes the pool; the loop must throw {@link IllegalStateException} within 5 s.
     */
    static void compiledLoopSeesClose(String name, Maker maker) throws InterruptedException {
        Pool<Object> pool = maker.create(maker.builder(4, objects()));
        java.util.function.ToLongFunction<Pool<Object>> loop = CompiledLoop.fresh();
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.set(true);
            try {
                loop.applyAsLong(pool);
                ended.set(new AssertionError("the loop ran its " + CompiledLoop.LIMIT + " iterations"));
            } catch (Throwable e) {
                ended.set(e);
            } finally {
                done.countDown();
            }
        }, "compiled-loop");
        t.setDaemon(true); // a pool that never sees close keeps it busy until CompiledLoop.LIMIT
        t.start();
        while (!started.get()) {
            Thread.onSpinWait();
        }
        Thread.sleep(1000); // compiled by now (C2 OSR takes a few hundred ms from the start): allocate + close inlined
        pool.close();
        boolean sawIt = done.await(5, TimeUnit.SECONDS);
        assertTrue(sawIt, name + ": a compiled allocate/close loop went on allocating 5 s after close() returned");
        assertInstanceOf(IllegalStateException.class, ended.get(), name + ": the loop ended with " + ended.get());
    }

    // ------------------------------------------------------------------ waiters and multi-slot give-backs

    /**
     * Two threads wait in {@code allocate(30 s)} while a batch holds both objects of a LAZY pool and
     * its factory fails: the batch gives both slots back, and both waiters must get one within 5 s.
     * Then the same with a batch that succeeds and is closed (two single give-backs), in both batch
     * forms.
     */
    static void giveBackOfKSlotsWakesKWaiters(String name, Maker maker) throws Exception {
        for (boolean arrayForm : new boolean[] {false, true}) {
            CountDownLatch factoryEntered = new CountDownLatch(1);
            CountDownLatch failNow = new CountDownLatch(1);
            AtomicInteger made = new AtomicInteger();
            Supplier<Object> factory = () -> {
                if (made.incrementAndGet() == 2) { // the batch's second object: wait, then fail
                    factoryEntered.countDown();
                    try {
                        failNow.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("planned factory failure");
                }
                return new int[1];
            };
            Pool<Object> pool = maker.create(maker.builder(2, factory).initialization(InitializationStrategy.LAZY));
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                Future<?> batch = threads.submit(() -> {
                    if (arrayForm) {
                        @SuppressWarnings("unchecked")
                        Handle<Object>[] out = (Handle<Object>[]) new Handle<?>[2];
                        return pool.allocateBatch(out, 0, 2);
                    }
                    return pool.allocateBatch(2);
                });
                assertTrue(factoryEntered.await(5, TimeUnit.SECONDS), name + ": the batch reached its factory");
                List<Future<Handle<Object>>> waiters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    waiters.add(threads.submit(() -> pool.allocate(30, TimeUnit.SECONDS)));
                }
                Thread.sleep(200); // both wait (or took what was free)
                failNow.countDown();
                Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> batch.get(5, TimeUnit.SECONDS)).getCause();
                assertEquals("planned factory failure", failure.getMessage(), name + ": the batch's failure");
                for (Future<Handle<Object>> w : waiters) {
                    try {
                        assertNotNull(w.get(5, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.TimeoutException e) {
                        fail(name + (arrayForm ? ": array" : ": list") + " batch failed and gave back its slots, "
                                + "but a waiter still slept 5 s later: " + pool);
                    }
                }
                assertEquals(2, pool.inUse(), name + ": both waiters hold an object");
            } finally {
                failNow.countDown();
                threads.shutdownNow();
                assertTrue(threads.awaitTermination(35, TimeUnit.SECONDS));
            }
        }
    }

    // ------------------------------------------------------------------ a throwing factory in a batch

    /**
     * A LAZY pool whose factory fails part-way through a batch: the array form takes nothing (every
     * entry it wrote is null again) and the list form too; nothing is lost, and a recorder's counts
     * agree with the pool.
     */
    static void batchThatThrowsTakesNothing(String name, Maker maker, CountingRecorder recorder) {
        AtomicInteger failIn = new AtomicInteger(-1); // the factory call, counting down, that fails
        Supplier<Object> factory = () -> {
            if (failIn.getAndDecrement() == 1) {
                throw new IllegalStateException("planned factory failure");
            }
            return new int[1];
        };
        PoolConfig.Builder<Object> b = maker.builder(6, factory).initialization(InitializationStrategy.LAZY);
        if (recorder != null) {
            b.recorder(recorder);
        }
        Pool<Object> pool = maker.create(b);
        @SuppressWarnings("unchecked")
        Handle<Object>[] out = (Handle<Object>[]) new Handle<?>[8];
        failIn.set(3);
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(out, 1, 5), name + ": array batch");
        for (int i = 0; i < out.length; i++) {
            assertNull(out[i], name + ": out[" + i + "] after the array batch threw");
        }
        assertNothingOut(name + " after the array batch threw", pool, recorder);

        failIn.set(2);
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(5), name + ": list batch");
        assertNothingOut(name + " after the list batch threw", pool, recorder);

        failIn.set(-1);
        List<Handle<Object>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(pool.allocate()); // every slot is still there
        }
        assertEquals(6, pool.inUse(), name + ": all six out");
        for (Handle<Object> h : all) {
            h.close();
        }
        assertNothingOut(name + " at the end", pool, recorder);
    }

    private static void assertNothingOut(String what, Pool<Object> pool, CountingRecorder recorder) {
        assertEquals(0, pool.inUse(), what + ": inUse " + pool);
        assertEquals(pool.capacity(), pool.available(), what + ": available " + pool);
        if (recorder != null) {
            assertEquals(recorder.allocations.get(), recorder.releases.get(),
                    what + ": the recorder heard as many releases as allocations");
        }
    }

    // ------------------------------------------------------------------ a recorder that reads the pool

    /** A recorder whose every callback reads the pool, as a logging recorder would. */
    static final class ReadingRecorder implements PoolRecorder {
        final AtomicReference<Pool<?>> pool = new AtomicReference<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        private void read() {
            Pool<?> p = pool.get();
            if (p == null) {
                return;
            }
            try {
                int c = p.capacity();
                int a = p.available();
                int u = p.inUse();
                String s = p.toString();
                if (c < 0 || a < 0 || u < 0 || s == null) {
                    throw new AssertionError("impossible read: " + c + ", " + a + ", " + u);
                }
                reads.incrementAndGet();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        @Override
        public void onAllocate() {
            read();
        }

        @Override
        public void onRelease() {
            read();
        }

        @Override
        public void onExhausted() {
            read();
        }

        @Override
        public void onWait(long waitedNanos) {
            read();
        }

        @Override
        public void onCapacityChange(int oldCapacity, int newCapacity) {
            read();
        }

        @Override
        public void onDiscard() {
            read();
        }
    }

    /**
     * Every operation of a pool whose recorder reads the pool from every callback completes (10 s at
     * most for all of them), and every read succeeds.
     */
    static void recorderMayReadThePool(String name, Maker maker, PoolKind traits) {
        ReadingRecorder recorder = new ReadingRecorder();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Pool<Object> pool = maker.create(maker.builder(2, objects()).recorder(recorder));
            recorder.pool.set(pool);
            Handle<Object> a = pool.allocate();
            Handle<Object> b = pool.allocate();
            assertNull(pool.tryAllocate(), name + ": exhausted");
            assertThrows(PoolExhaustedException.class, pool::allocate);
            if (traits.threadSafe) {
                assertThrows(PoolExhaustedException.class, () -> pool.allocate(1, TimeUnit.MILLISECONDS));
            }
            a.close();
            b.close();
            @SuppressWarnings("unchecked")
            Handle<Object>[] out = (Handle<Object>[]) new Handle<?>[3];
            int n = pool.allocateBatch(out, 0, 3);
            for (int i = 0; i < n; i++) {
                out[i].close();
            }
            for (Handle<Object> h : pool.allocateBatch(2)) {
                h.close();
            }
            assertNotNull(pool.toString());
            pool.close();
        }, name + ": a recorder that reads the pool from its callbacks hung the pool");
        assertNull(recorder.failure.get(), name + ": a read from a callback failed: " + recorder.failure.get());
        assertTrue(recorder.reads.get() > 0, name + ": the recorder was called and read the pool");
    }

    // ------------------------------------------------------------------ timeouts of any length

    /**
     * {@code allocate(timeout, unit)} with zero, negative, {@code Long.MIN_VALUE} and
     * {@code MIN_VALUE + 1} in every unit fails at once on an exhausted pool; {@code Long.MAX_VALUE}
     * waits until a release (concurrent kinds; the single-threaded kinds fail at once); a null unit
     * throws {@link NullPointerException} whether an object is free or not, and takes nothing.
     */
    static void timeoutsOfAnyLength(String name, Maker maker, PoolKind traits) {
        ExecutorService releaser = Executors.newSingleThreadExecutor();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Pool<Object> pool = maker.create(maker.builder(1, objects()));
                assertThrows(NullPointerException.class, () -> pool.allocate(1, null), name + ": null unit, one free");
                assertEquals(0, pool.inUse(), name + ": a null unit takes nothing");
                Handle<Object> held = pool.allocate();
                assertThrows(NullPointerException.class, () -> pool.allocate(1, null), name + ": null unit, none free");
                List<long[]> cases = new ArrayList<>();
                for (TimeUnit unit : TimeUnit.values()) {
                    for (long timeout : new long[] {0, -1, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
                        long start = System.nanoTime();
                        assertThrows(PoolExhaustedException.class, () -> pool.allocate(timeout, unit),
                                name + ": allocate(" + timeout + ", " + unit + ")");
                        long tookMillis = (System.nanoTime() - start) / 1_000_000;
                        assertTrue(tookMillis < 1_000, name + ": allocate(" + timeout + ", " + unit + ") waited "
                                + tookMillis + " ms");
                        cases.add(new long[] {timeout, tookMillis});
                    }
                }
                if (!traits.threadSafe) {
                    assertThrows(PoolExhaustedException.class, () -> pool.allocate(Long.MAX_VALUE, TimeUnit.DAYS),
                            name + ": a single-threaded pool does not wait");
                    return;
                }
                for (TimeUnit unit : new TimeUnit[] {TimeUnit.NANOSECONDS, TimeUnit.DAYS}) {
                    Handle<Object> toRelease = held;
                    releaser.submit(() -> {
                        Thread.sleep(200);
                        toRelease.close();
                        return null;
                    });
                    long start = System.nanoTime();
                    held = pool.allocate(Long.MAX_VALUE, unit);
                    assertNotNull(held, name + ": allocate(MAX_VALUE, " + unit + ") got the released object");
                    assertTrue(System.nanoTime() - start >= 100_000_000L,
                            name + ": allocate(MAX_VALUE, " + unit + ") waited for the release, not wrapped to no wait");
                }
            }, name + ": a timed allocate on an exhausted pool did not return in time");
        } finally {
            releaser.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ checked generations

    /** Advances a real pool's lease's slot by {@code cycles} allocate + close cycles, as that many would. */
    static void advanceSlot(Handle<?> lease, long cycles) {
        Lease<?> l = (Lease<?>) lease;
        l.slot.spState(l.slot.lpState() + (int) (2 * cycles)); // what 2 x cycles state changes leave: the int wraps
    }

    /**
     * In checked mode, a lease closed 2^31 - 1 cycles of its slot ago, when the slot's 32-bit state
     * has wrapped back to the lease's, is still caught: {@code get()} and {@code close()} throw, and
     * the live holder's object and slot are untouched; and so again past 2^32 generations.
     */
    static void staleLeaseCaughtAfterWrap(String name, Maker maker, BiConsumer<Handle<?>, Long> advance) {
        Pool<Object> pool = maker.create(maker.builder(1, objects()).checked(true));
        Handle<Object> stale = pool.allocate();
        stale.close();
        advance.accept(stale, (1L << 31) - 1); // the next allocation's generation equals the stale one's, mod 2^32
        Handle<Object> live = pool.allocate();
        Object object = live.get();
        assertThrows(IllegalStateException.class, stale::get, name + ": get() on a lease closed 2^31 cycles ago");
        assertThrows(IllegalStateException.class, stale::close, name + ": close() of a lease closed 2^31 cycles ago");
        assertSame(object, live.get(), name + ": the live holder still holds its object");
        assertEquals(1, pool.inUse(), name + ": the stale close freed nothing");
        live.close();
        assertEquals(0, pool.inUse(), name + ": the live close frees the slot");
        // and past 2^32 generations: another 2^32 + 2^31 - 1 cycles of the slot after the first stale lease
        Handle<Object> stale2 = pool.allocate();
        stale2.close();
        advance.accept(stale2, (1L << 32) + (1L << 31) - 1);
        Handle<Object> live2 = pool.allocate();
        assertThrows(IllegalStateException.class, stale2::get, name + ": get() on a lease closed 3 x 2^31 - 1 cycles ago");
        assertThrows(IllegalStateException.class, stale::close, name + ": the first stale lease, closed again");
        assertEquals(1, pool.inUse(), name + ": the stale closes freed nothing");
        live2.close();
    }

    // ------------------------------------------------------------------ threads dying while others work

    /**
     * While a worker thread allocates and closes without pause, 24 short-lived threads in turn each
     * take 4 objects (marking each as theirs: a second holder fails the run), close them and die.
     * No thread is ever refused for want of a share while dead threads' shares lie idle (the
     * per-thread kinds run with {@code maxThreads(2)}, so every new thread must adopt a dead one's
     * share), nothing is lost, and at the end one thread can take {@code perThread} objects again.
     *
     * @param perThread how many objects one thread can hold at once (the capacity for a shared
     *                  pool, the per-thread capacity for a per-thread one)
     */
    static void deadThreadsSharesComeBack(String name, Maker maker, int perThread) throws Exception {
        Pool<Object> pool = maker.create(maker.builder(8, () -> new AtomicBoolean()).maxThreads(2));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Handle<Object> h = pool.tryAllocate();
                    if (h != null) {
                        hold(h);
                        h.close();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "worker");
        worker.start();
        for (int round = 0; round < 24 && failure.get() == null; round++) {
            Thread shortLived = new Thread(() -> {
                try {
                    List<Handle<Object>> held = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        Handle<Object> h = pool.allocate(5, TimeUnit.SECONDS);
                        hold(h);
                        held.add(h);
                    }
                    for (Handle<Object> h : held) {
                        h.close();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "short-lived-" + round);
            shortLived.start();
            shortLived.join(30_000);
        }
        stop.set(true);
        worker.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError(name + ": a thread failed while others died: " + failure.get(), failure.get());
        }
        assertEquals(0, pool.inUse(), name + ": every object is back: " + pool);
        assertEquals(pool.capacity(), pool.available(), name + ": available == capacity: " + pool);
        Thread last = new Thread(() -> {
            try {
                List<Handle<Object>> all = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    all.add(pool.allocate(5, TimeUnit.SECONDS));
                }
                for (Handle<Object> h : all) {
                    h.close();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "last");
        last.start();
        last.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError(name + ": after every other thread died, one thread could not take "
                    + perThread + " objects: " + failure.get(), failure.get());
        }
    }

    private static void hold(Handle<Object> h) {
        AtomicBoolean owned = (AtomicBoolean) h.get();
        if (!owned.compareAndSet(false, true)) {
            throw new AssertionError("an object held by two threads at once: " + h);
        }
        owned.set(false);
    }
}
