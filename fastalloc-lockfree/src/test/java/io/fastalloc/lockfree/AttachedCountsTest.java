package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.testkit.PoolKind;
import io.fastalloc.lockfree.internal.CachingCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A recorder that takes the pool's own counts ({@link PoolRecorder#attachCounts}) must see every
 * allocation and release exactly once: from the pool's counts or from its own calls, never both.
 */
class AttachedCountsTest {

    /** Counts calls, and adds the pool's counts when it took them. */
    static final class Recorder implements PoolRecorder {
        final boolean accept;
        final AtomicLong allocated = new AtomicLong();
        final AtomicLong released = new AtomicLong();
        final AtomicInteger attachCalls = new AtomicInteger();
        volatile Counts counts;

        Recorder(boolean accept) {
            this.accept = accept;
        }

        @Override
        public void onAllocate() {
            allocated.incrementAndGet();
        }

        @Override
        public void onRelease() {
            released.incrementAndGet();
        }

        @Override
        public boolean attachCounts(Counts c) {
            attachCalls.incrementAndGet();
            if (accept) {
                counts = c;
            }
            return accept;
        }

        long allocations() {
            Counts c = counts;
            return allocated.get() + (c == null ? 0 : c.allocations());
        }

        long releases() {
            Counts c = counts;
            return released.get() + (c == null ? 0 : c.releases());
        }
    }

    private static PoolConfig.Builder<Object> config(int capacity, PoolRecorder recorder) {
        return PoolConfig.builder().capacity(capacity).factory(Object::new).checked(false).recorder(recorder);
    }

    /** 100 allocate + close pairs, a batch of 3, a batch too big (taken and given back), 2 left out. */
    private static void exercise(Pool<Object> pool, Recorder r) {
        for (int i = 0; i < 100; i++) {
            pool.allocate().close();
        }
        List<Handle<Object>> batch = pool.allocateBatch(3);
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(pool.capacity()));
        for (Handle<Object> h : batch) {
            h.close();
        }
        Handle<Object> a = pool.allocate();
        Handle<Object> b = pool.tryAllocate();
        assertNotNull(b);
        assertEquals(105, r.allocations());
        assertEquals(103, r.releases());
        a.close();
        b.close();
        assertEquals(105, r.releases());
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldCountEachOperationOnceFromTheQueueIndices(PoolKind kind) {
        Recorder r = new Recorder(true);
        exercise(kind.create(config(8, r).build()), r);
        assertEquals(1, r.attachCalls.get());
        assertEquals(0, r.allocated.get() + r.released.get()); // everything came from the indices
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldCountEachOperationOnceWithAValidatorAndLazyObjects(PoolKind kind) {
        Recorder r = new Recorder(true);
        exercise(kind.create(config(8, r).validator(o -> true).initialization(InitializationStrategy.LAZY).build()), r);
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldNotCountAGiveBackWhenTheFactoryFails(PoolKind kind) {
        Recorder r = new Recorder(true);
        AtomicInteger made = new AtomicInteger();
        Pool<Object> pool = kind.create(PoolConfig.builder().capacity(4).checked(false).recorder(r)
                .initialization(InitializationStrategy.LAZY).factory(() -> {
                    if (made.incrementAndGet() == 2) {
                        throw new IllegalStateException("planted");
                    }
                    return new Object();
                }).build());
        pool.allocate().close();
        assertThrows(IllegalStateException.class, pool::allocate); // polled, given back
        pool.allocate().close();
        assertEquals(2, r.allocations());
        assertEquals(2, r.releases());
        assertEquals(4, pool.available());
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldKeepCallingARecorderThatRefusesTheCounts(PoolKind kind) {
        Recorder r = new Recorder(false);
        exercise(kind.create(config(8, r).build()), r);
        assertEquals(1, r.attachCalls.get());
        assertEquals(105, r.allocated.get());
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldNotOfferTheCountsInCheckedMode(PoolKind kind) {
        Recorder r = new Recorder(true);
        exercise(kind.create(config(8, r).checked(true).build()), r);
        assertEquals(0, r.attachCalls.get());
    }

    // ------------------------------------------------------------------ CachingPool

    private static final Function<PoolConfig<Object>, CachingPool<Object>> TWO_STRIPES =
        c -> CachingPool.create(c, 2, 4);

    @Test
    void shouldCountEachOperationOnceFromTheSlots() {
        Recorder r = new Recorder(true);
        exercise(TWO_STRIPES.apply(config(16, r).build()), r);
        assertEquals(1, r.attachCalls.get());
    }

    @Test
    void shouldCountEachOperationOnceFromTheSlotsWithAValidatorAndLazyObjects() {
        Recorder r = new Recorder(true);
        exercise(TWO_STRIPES.apply(config(16, r).validator(o -> true).initialization(InitializationStrategy.LAZY)
                .build()), r);
    }

    @Test
    void shouldCountFromTheSlotsOnlyWithNothingToldToTheRecorder() {
        Recorder r = new Recorder(true);
        exercise(TWO_STRIPES.apply(config(16, r).build()), r);
        assertEquals(0, r.allocated.get() + r.released.get()); // everything came from the slots
    }

    @Test
    void shouldCountAcrossTheWrapOfTheSlotsGenerationCounters() {
        Recorder r = new Recorder(true);
        CachingPool<Object> pool = TWO_STRIPES.apply(config(4, r).build());
        for (int i = 0; i < 4; i++) {
            ((CachingCore<?>) pool).slot(i).spState(-2); // free, two steps before the int wraps
        }
        long allocations = r.allocations();
        long releases = r.releases();
        for (int i = 0; i < 3; i++) { // one slot goes -2 -> 4, through the wrap
            pool.allocate().close();
        }
        assertEquals(allocations + 3, r.allocations());
        assertEquals(releases + 3, r.releases());
    }

    @Test
    void shouldNotCountARefusedDoubleClose() {
        Recorder r = new Recorder(true);
        CachingPool<Object> pool = TWO_STRIPES.apply(config(16, r).build());
        Handle<Object> h = pool.allocate();
        h.close();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(1, r.allocations());
        assertEquals(1, r.releases());
        assertEquals(16, pool.available());
    }

    @Test
    void shouldCountAReleaseWhoseResetThrows() {
        Recorder r = new Recorder(true);
        CachingPool<Object> pool = TWO_STRIPES.apply(config(16, r).reset(o -> {
            throw new IllegalStateException("planted");
        }).build());
        Handle<Object> h = pool.allocate();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(1, r.allocations());
        assertEquals(1, r.releases());
        assertEquals(16, pool.available());
    }

    @Test
    void shouldCountOperationsOfThreadsWithoutAMagazine() throws Exception {
        Recorder r = new Recorder(true);
        CachingPool<Object> pool = CachingPool.create(config(16, r).build(), 1, 4); // one stripe: one owner
        Handle<Object> mine = pool.allocate(); // this thread owns the only stripe
        List<Handle<Object>> theirs = new ArrayList<>();
        Thread other = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                pool.allocate().close();
            }
            theirs.add(pool.allocate());
        });
        other.start();
        other.join();
        assertEquals(12, r.allocations());
        assertEquals(10, r.releases());
        assertEquals(0, r.allocated.get()); // no magazine, still counted by its slots
        theirs.get(0).close(); // a foreign close lands in this thread's magazine
        mine.close();
        assertEquals(12, r.releases());
        assertEquals(16, pool.available());
    }

    @Test
    void shouldCountExactlyOnceQuiescentAfterManyThreads() throws Exception {
        Recorder r = new Recorder(true);
        CachingPool<Object> pool = CachingPool.create(config(64, r).build(), 2, 4);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    Handle<Object> h = pool.tryAllocate();
                    if (h != null) {
                        h.close();
                    } else {
                        i--;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, r.allocations());
        assertEquals(40_000, r.releases());
        assertEquals(64, pool.available());
    }

    @Test
    void shouldOfferTheSlotsCountsOfADepotOnlyPoolButNotOfACheckedOne() {
        Recorder depotOnly = new Recorder(true);
        exercise(CachingPool.create(config(16, depotOnly).build(), 2, 0), depotOnly);
        assertEquals(1, depotOnly.attachCalls.get()); // the slots count, magazines or not
        assertEquals(0, depotOnly.allocated.get() + depotOnly.released.get());
        Recorder checked = new Recorder(true);
        exercise(TWO_STRIPES.apply(config(16, checked).checked(true).build()), checked);
        assertEquals(0, checked.attachCalls.get());
        assertNull(checked.counts);
    }
}
