package io.fastalloc.stats;

import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.testkit.PoolKind;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters match the operations done, for every pool kind with the recorder flavour it takes,
 * under both publication settings (lazy: 100 ms; write-through: zero).
 */
class PoolKindStatisticsTest {
    private static final int THREADS = 4;
    private static final int STEPS = 20_000;
    private static final int HOLD = 3;
    private static final int HANDED_OVER = 5_000;

    static Stream<Arguments> everyKind() {
        return StatsPoolKind.values().stream()
                .flatMap(k -> Stream.of(Arguments.of(k, 100L), Arguments.of(k, 0L)));
    }

    static Stream<Arguments> sharedKinds() {
        return everyKind().filter(a -> ((StatsPoolKind) a.get()[0]).shared());
    }

    static Stream<Arguments> anyRoleKinds() {
        return everyKind().filter(a -> ((StatsPoolKind) a.get()[0]).anyThreadAnyRole());
    }

    static Stream<StatsPoolKind> lockFreeKinds() {
        return StatsPoolKind.values().stream().filter(StatsPoolKind::lockFree);
    }

    static Stream<Arguments> growingKinds() {
        return everyKind().filter(a -> ((StatsPoolKind) a.get()[0]).grows());
    }

    @Test
    void shouldCheckEveryKindOfTheRegistry() {
        assertEquals(PoolKind.values().length, StatsPoolKind.values().size(),
                "core and lockfree kinds are all on this module's class path");
    }

    private static StatsRegistry registry(long publishMs) {
        return StatsRegistry.builder().publishInterval(Duration.ofMillis(publishMs)).build();
    }

    /** An object the validator rejects once it has been marked (so closing it counts a discard). */
    private static PoolConfig.Builder<StringBuilder> config(String name, int capacity) {
        return PoolConfig.<StringBuilder>builder().name(name).capacity(capacity).factory(StringBuilder::new)
                .validator(sb -> sb.length() == 0).checked(false);
    }

    private static void assertCountersEqual(StatsRegistry stats, PoolStats recorder, PoolStatistics s) {
        stats.publish();
        CountersReader reader = stats.countersReader();
        assertEquals(s.totalAllocations(), reader.getCounterValue(recorder.counterId(PoolCounter.ALLOCATIONS)));
        assertEquals(s.totalReleases(), reader.getCounterValue(recorder.counterId(PoolCounter.RELEASES)));
        assertEquals(s.currentUsage(), reader.getCounterValue(recorder.counterId(PoolCounter.IN_USE)));
        assertEquals(s.peakUsage(), reader.getCounterValue(recorder.counterId(PoolCounter.PEAK_IN_USE)));
        assertEquals(s.capacity(), reader.getCounterValue(recorder.counterId(PoolCounter.CAPACITY)));
        assertEquals(s.exhaustions(), reader.getCounterValue(recorder.counterId(PoolCounter.EXHAUSTIONS)));
        assertEquals(s.growths(), reader.getCounterValue(recorder.counterId(PoolCounter.GROWTHS)));
        assertEquals(s.discards(), reader.getCounterValue(recorder.counterId(PoolCounter.DISCARDS)));
    }

    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("everyKind")
    void shouldCountEveryOperationOnOneThread(StatsPoolKind kind, long publishMs) {
        try (StatsRegistry stats = registry(publishMs)) {
            PoolStats recorder = kind.recorder(stats);
            assertEquals(kind.concurrentRecorder(), recorder.isConcurrent());
            Pool<StringBuilder> pool = kind.create(config("one-thread", 4).recorder(recorder).build());

            Handle<StringBuilder> a = pool.allocate();
            Handle<StringBuilder> b = pool.allocate();
            Handle<StringBuilder> c = pool.allocate();
            b.get().append("dirty");
            b.close(); // the validator rejects it: a release and a discard
            Handle<StringBuilder> d = pool.allocate();
            Handle<StringBuilder> e = pool.allocate();
            PoolStatistics full = recorder.statistics(); // all 4 out: a sampled peak sees it here
            assertEquals(4, full.currentUsage());
            assertEquals(5, full.totalAllocations());
            assertNull(pool.tryAllocate());
            assertThrows(PoolExhaustedException.class, pool::allocate);
            assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(1));
            @SuppressWarnings("unchecked")
            Handle<StringBuilder>[] out = (Handle<StringBuilder>[]) new Handle<?>[3];
            assertEquals(0, pool.allocateBatch(out, 0, 3));
            a.close();
            c.close();
            d.close();
            e.close();
            List<Handle<StringBuilder>> batch = pool.allocateBatch(3);
            batch.forEach(Handle::close);
            assertEquals(3, pool.allocateBatch(out, 0, 3));
            for (Handle<StringBuilder> h : out) {
                h.close();
            }

            PoolStatistics s = recorder.statistics();
            assertEquals("one-thread", s.poolName());
            assertEquals(kind.kindName(), s.kind());
            assertEquals(11, s.totalAllocations());
            assertEquals(11, s.totalReleases());
            assertEquals(0, s.currentUsage());
            assertEquals(pool.inUse(), s.currentUsage());
            assertEquals(4, s.peakUsage());
            assertEquals(4, s.capacity());
            assertEquals(pool.capacity(), s.capacity());
            assertEquals(4, s.exhaustions());
            assertEquals(1, s.discards());
            assertEquals(kind.growthsOnFirstUse(), s.growths());
            assertEquals(0, s.waits());
            assertEquals(11.0 / 15.0, s.hitRate(), 1e-9);
            assertCountersEqual(stats, recorder, s);
        }
    }

    /**
     * Several threads allocate, hold up to {@value #HOLD} objects, and close, a third of the closes
     * being of objects another thread allocated; each counts what it saw. At quiescence the counters
     * equal the sums exactly.
     */
    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("anyRoleKinds")
    void shouldCountExactTotalsWhenThreadsShareThePool(StatsPoolKind kind, long publishMs) throws Exception {
        // 2 objects (2 per thread for ThreadLocalPool) for threads that each try to hold up to 3:
        // every thread runs dry, so exhaustions are counted too; the validator makes discards
        shareAndCount(kind, publishMs, 2, true);
    }

    /**
     * As above with a larger pool and no validator: the pools' fast paths (CachingPool's thread
     * magazines, for one), with statistics on.
     */
    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("anyRoleKinds")
    void shouldCountExactTotalsOnTheFastPathWhenThreadsShareThePool(StatsPoolKind kind, long publishMs)
            throws Exception {
        shareAndCount(kind, publishMs, 64, false);
    }

    private void shareAndCount(StatsPoolKind kind, long publishMs, int capacity, boolean validate) throws Exception {
        try (StatsRegistry stats = registry(publishMs)) {
            PoolStats recorder = kind.recorder(stats);
            PoolConfig.Builder<StringBuilder> b = validate ? config("shared", capacity)
                    : PoolConfig.<StringBuilder>builder().name("shared").capacity(capacity)
                            .factory(StringBuilder::new).checked(false);
            Pool<StringBuilder> pool = kind.create(b.recorder(recorder).build());
            ConcurrentLinkedQueue<Handle<StringBuilder>> handedOver = new ConcurrentLinkedQueue<>();
            AtomicLong allocated = new AtomicLong();
            AtomicLong exhausted = new AtomicLong();
            AtomicLong discarded = new AtomicLong();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService executor = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int seed = t;
                    futures.add(executor.submit(() -> {
                        start.await();
                        Deque<Handle<StringBuilder>> held = new ArrayDeque<>();
                        long myAllocated = 0;
                        long myExhausted = 0;
                        long myDiscarded = 0;
                        for (int i = 0; i < STEPS; i++) {
                            int step = (i * 7 + seed) % 10;
                            if (step < 6 && held.size() < HOLD) {
                                Handle<StringBuilder> h = pool.tryAllocate();
                                if (h == null) {
                                    myExhausted++;
                                } else {
                                    myAllocated++;
                                    held.push(h);
                                }
                            } else if (step == 6 && !held.isEmpty()) {
                                handedOver.add(held.pop()); // closed later by whichever thread takes it
                            } else if (step == 7) {
                                Handle<StringBuilder> h = handedOver.poll();
                                if (h != null) {
                                    h.close();
                                }
                            } else if (!held.isEmpty()) {
                                Handle<StringBuilder> h = held.pop();
                                if (validate && i % 1000 == 0) {
                                    h.get().append('x'); // rejected by the validator
                                    myDiscarded++;
                                }
                                h.close();
                            }
                        }
                        held.forEach(Handle::close);
                        allocated.addAndGet(myAllocated);
                        exhausted.addAndGet(myExhausted);
                        discarded.addAndGet(myDiscarded);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                executor.shutdownNow();
                assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
            }
            for (Handle<StringBuilder> h; (h = handedOver.poll()) != null; ) {
                h.close();
            }

            PoolStatistics s = recorder.statistics();
            assertEquals(kind.kindName(), s.kind());
            assertTrue(allocated.get() > 100, "the threads should have allocated: " + allocated);
            assertEquals(allocated.get(), s.totalAllocations());
            assertEquals(allocated.get(), s.totalReleases());
            assertEquals(0, s.currentUsage());
            assertEquals(0, pool.inUse());
            assertEquals(exhausted.get(), s.exhaustions());
            assertEquals(discarded.get(), s.discards());
            assertEquals(pool.capacity(), s.capacity());
            // exact peaks (write-through) saw at least one object out; sampled ones (publisher, reads)
            // may have sampled only quiet moments; neither exceeds the capacity
            assertTrue(s.peakUsage() >= (publishMs == 0 ? 1 : 0) && s.peakUsage() <= s.capacity(),
                    "peak " + s.peakUsage() + " within 0..1.." + s.capacity());
            if (capacity == 2) {
                assertTrue(s.exhaustions() > 0, "threads holding up to 3 of 2 objects run dry");
            }
            if (kind.kind() != PoolKind.THREAD_LOCAL) {
                assertEquals(capacity, s.capacity());
            } else {
                // a part per thread that used the pool
                assertEquals(s.growths() * capacity, s.capacity());
                assertTrue(s.growths() >= 1 && s.growths() <= THREADS, "growths: " + s.growths());
            }
            assertCountersEqual(stats, recorder, s);
        }
    }

    /**
     * Allocating threads hand every object to closing threads (as many of each as the kind allows);
     * at quiescence the counters equal what the allocating threads counted.
     */
    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("sharedKinds")
    void shouldCountExactTotalsWhenObjectsPassFromAllocatingToClosingThreads(StatsPoolKind kind, long publishMs)
            throws Exception {
        try (StatsRegistry stats = registry(publishMs)) {
            PoolStats recorder = kind.recorder(stats);
            // 3: too few for CachingPool to give threads magazines (it would keep objects in an idle closer's)
            int capacity = 3;
            Pool<StringBuilder> pool = kind.create(config("hand-over", capacity).recorder(recorder).build());
            int allocators = kind.allocatingThreads();
            int closers = kind.closingThreads();
            ConcurrentLinkedQueue<Handle<StringBuilder>> inFlight = new ConcurrentLinkedQueue<>();
            AtomicLong allocated = new AtomicLong();
            AtomicLong exhausted = new AtomicLong();
            AtomicLong closed = new AtomicLong();
            AtomicLong allocatorsLeft = new AtomicLong(allocators);
            CyclicBarrier start = new CyclicBarrier(allocators + closers);
            ExecutorService executor = Executors.newFixedThreadPool(allocators + closers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < allocators; t++) {
                    futures.add(executor.submit(() -> {
                        start.await();
                        long mine = 0;
                        long dry = 0;
                        while (mine < HANDED_OVER) {
                            Handle<StringBuilder> h = pool.tryAllocate();
                            if (h == null) {
                                dry++;
                                Thread.yield();
                            } else {
                                mine++;
                                inFlight.add(h);
                            }
                        }
                        allocated.addAndGet(mine);
                        exhausted.addAndGet(dry);
                        allocatorsLeft.decrementAndGet();
                        return null;
                    }));
                }
                for (int t = 0; t < closers; t++) {
                    futures.add(executor.submit(() -> {
                        start.await();
                        long mine = 0;
                        while (true) {
                            boolean last = allocatorsLeft.get() == 0; // read before the poll: nothing comes after
                            Handle<StringBuilder> h = inFlight.poll();
                            if (h != null) {
                                h.close();
                                mine++;
                            } else if (last) {
                                break;
                            } else {
                                Thread.yield();
                            }
                        }
                        closed.addAndGet(mine);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                executor.shutdownNow();
                assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertTrue(inFlight.isEmpty());
            assertEquals(allocated.get(), closed.get());

            PoolStatistics s = recorder.statistics();
            assertEquals((long) allocators * HANDED_OVER, allocated.get());
            assertEquals(allocated.get(), s.totalAllocations());
            assertEquals(allocated.get(), s.totalReleases());
            assertEquals(exhausted.get(), s.exhaustions());
            assertEquals(0, s.currentUsage());
            assertEquals(0, pool.inUse());
            assertEquals(pool.capacity(), s.capacity());
            assertTrue(s.peakUsage() <= s.capacity(), "peak " + s.peakUsage() + " <= " + s.capacity());
            assertCountersEqual(stats, recorder, s);
        }
    }

    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("growingKinds")
    void shouldCountGrowthsUpToMaxCapacity(StatsPoolKind kind, long publishMs) {
        try (StatsRegistry stats = registry(publishMs)) {
            PoolStats recorder = kind.recorder(stats);
            Pool<StringBuilder> pool = kind.create(config("growing", 2).maxCapacity(9)
                    .growthStrategy(GrowthStrategy.exponential(2.0)).recorder(recorder).build());
            List<Handle<StringBuilder>> held = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                held.add(pool.allocate());
            }
            assertNull(pool.tryAllocate());
            PoolStatistics s = recorder.statistics();
            assertEquals(3, s.growths(), "2 -> 4 -> 8 -> 9 (clamped to maxCapacity)");
            assertEquals(9, s.capacity());
            assertEquals(9, s.peakUsage());
            assertEquals(1, s.exhaustions());
            assertEquals(1.0, s.utilizationRate(), 1e-9);
            held.forEach(Handle::close);
            int trimmed = kind.kind() == PoolKind.THREAD_SAFE
                    ? ((ThreadSafePool<StringBuilder>) pool).trim()
                    : ((io.fastalloc.GrowingPool<StringBuilder>) pool).trim();
            assertEquals(7, trimmed);
            PoolStatistics after = recorder.statistics();
            assertEquals(2, after.capacity(), "trimming lowers the capacity");
            assertEquals(3, after.growths(), "but is not a growth");
            assertEquals(9, after.totalReleases());
            assertEquals(0, after.utilizationRate(), 1e-9);
            assertCountersEqual(stats, recorder, after);
        }
    }

    @Test
    void shouldCountGrowthsOfAThreadSafePoolGrownByManyThreads() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            ThreadSafePool<StringBuilder> pool = ThreadSafePool.create(config("grown", 1).maxCapacity(16)
                    .growthStrategy(GrowthStrategy.linear(1)).recorder(recorder).build());
            CyclicBarrier allHolding = new CyclicBarrier(THREADS + 1);
            CyclicBarrier release = new CyclicBarrier(THREADS + 1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        List<Handle<StringBuilder>> mine = pool.allocateBatch(4);
                        allHolding.await();
                        release.await();
                        mine.forEach(Handle::close);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            allHolding.await(10, TimeUnit.SECONDS);
            PoolStatistics full = recorder.statistics();
            assertEquals(16, full.capacity());
            assertEquals(15, full.growths(), "1 -> 16 one object at a time");
            assertEquals(16, full.currentUsage());
            release.await(10, TimeUnit.SECONDS);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            PoolStatistics s = recorder.statistics();
            assertEquals(16, s.totalAllocations());
            assertEquals(16, s.totalReleases());
            assertEquals(16, s.peakUsage());
            assertEquals(0, s.exhaustions());
        }
    }

    @Test
    void shouldCountTheExhaustionAndTheWaitOfATimedAllocateOnAThreadSafePool() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            ThreadSafePool<StringBuilder> pool = ThreadSafePool.create(config("timed", 1).recorder(recorder).build());
            Handle<StringBuilder> held = pool.allocate();

            // nobody releases: one exhaustion, one wait of at least the timeout, then the exception
            assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));
            PoolStatistics timedOut = recorder.statistics();
            assertEquals(1, timedOut.exhaustions());
            assertEquals(1, timedOut.waits());
            assertTrue(timedOut.waitNanos() >= TimeUnit.MILLISECONDS.toNanos(20), "waited " + timedOut.waitNanos());

            // a waiter that gets the object another thread releases
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<Handle<StringBuilder>> waiter = executor.submit(() -> pool.allocate(60, TimeUnit.SECONDS));
                // the waiter records its exhaustion under the lock and then waits on the lock's
                // condition, so the release below (which takes the lock) comes after it started waiting
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (recorder.value(PoolCounter.EXHAUSTIONS) < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                held.close();
                waiter.get(60, TimeUnit.SECONDS).close();
            } finally {
                executor.shutdownNow();
            }
            PoolStatistics s = recorder.statistics();
            assertEquals(2, s.exhaustions());
            assertEquals(2, s.waits());
            assertEquals(2, s.totalAllocations());
            assertEquals(2, s.totalReleases());
            assertEquals(1, s.peakUsage());
            assertEquals(2.0 / 4.0, s.hitRate(), 1e-9);
            assertCountersEqual(stats, recorder, s);
        }
    }

    /**
     * A lock-free pool's timed allocate counts one exhaustion when it starts to wait and one wait when
     * it ends, whether it times out or gets an object. Only this thread allocates and only the
     * closer thread closes, so the single-role kinds keep their roles.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lockFreeKinds")
    void shouldCountTheExhaustionAndTheWaitOfATimedAllocateOnALockFreePool(StatsPoolKind kind) throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = kind.recorder(stats);
            Pool<StringBuilder> pool = kind.create(config("timed-" + kind, 1).recorder(recorder).build());
            ExecutorService closer = Executors.newSingleThreadExecutor();
            try {
                Handle<StringBuilder> held = pool.allocate();
                assertThrows(PoolExhaustedException.class, () -> pool.allocate(5, TimeUnit.MILLISECONDS));
                PoolStatistics timedOut = recorder.statistics();
                assertEquals(1, timedOut.exhaustions());
                assertEquals(1, timedOut.waits());
                assertTrue(timedOut.waitNanos() >= TimeUnit.MILLISECONDS.toNanos(5), "waited " + timedOut.waitNanos());

                closer.submit(held::close);
                Handle<StringBuilder> again = pool.allocate(60, TimeUnit.SECONDS);
                closer.submit(again::close).get(60, TimeUnit.SECONDS);
            } finally {
                closer.shutdown();
                assertTrue(closer.awaitTermination(10, TimeUnit.SECONDS));
            }
            PoolStatistics s = recorder.statistics();
            assertEquals(2, s.totalAllocations());
            assertEquals(2, s.totalReleases());
            assertEquals(0, s.currentUsage());
            // the second allocate waited (an exhaustion and a wait) unless the close came first
            assertEquals(s.exhaustions(), s.waits());
            assertTrue(s.waits() == 1 || s.waits() == 2, "waits: " + s.waits());
            assertEquals(1, s.capacity());
            assertEquals(0, s.growths());
            assertCountersEqual(stats, recorder, s);
        }
    }

    @Test
    void shouldCountTheWaitOfATimedAllocateOnAThreadLocalPool() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            ThreadLocalPool<StringBuilder> pool = ThreadLocalPool.create(config("timed-local", 1)
                    .recorder(recorder).build());
            Handle<StringBuilder> held = pool.allocate();
            assertThrows(PoolExhaustedException.class, () -> pool.allocate(5, TimeUnit.MILLISECONDS));
            PoolStatistics timedOut = recorder.statistics();
            assertEquals(1, timedOut.waits());
            // every poll of the wait found the thread's part empty
            assertTrue(timedOut.exhaustions() >= 1, "exhaustions: " + timedOut.exhaustions());

            // another thread closes the object: it goes back through the owner's return stack
            Thread closer = new Thread(held::close);
            closer.start();
            Handle<StringBuilder> again = pool.allocate(60, TimeUnit.SECONDS);
            closer.join();
            again.close();
            PoolStatistics s = recorder.statistics();
            assertEquals(2, s.totalAllocations());
            assertEquals(2, s.totalReleases());
            assertEquals(0, s.currentUsage());
            assertTrue(s.waits() == 1 || s.waits() == 2, "the second allocate waits unless the close came first");
            assertEquals(1, s.growths());
            assertEquals(1, s.capacity());
        }
    }

    @Test
    void shouldCountAPartPerThreadOfAThreadLocalPoolAsGrowth() throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.concurrentRecorder();
            ThreadLocalPool<StringBuilder> pool = ThreadLocalPool.create(config("parts", 5).maxThreads(2)
                    .recorder(recorder).build());
            assertEquals(0, recorder.statistics().capacity(), "no part before the first allocation");
            pool.allocate().close();
            Thread other = new Thread(() -> pool.allocate().close());
            other.start();
            other.join();
            Thread third = new Thread(() -> pool.allocate().close()); // adopts the dead thread's part
            third.start();
            third.join();
            PoolStatistics s = recorder.statistics();
            assertEquals(10, s.capacity());
            assertEquals(2, s.growths());
            assertEquals(3, s.totalAllocations());
            assertEquals(3, s.totalReleases());
            assertEquals(0, s.exhaustions());
        }
    }
}
