package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.WaitStrategy;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Pool} contract on one thread (which keeps every kind's thread roles), for the four queue
 * pools, taken from the registry of kinds with their roles ({@link #queuePools()}).
 */
class QueuePoolContractTest {

    /**
     * The queue pools ({@code MpmcPool}, {@code SpscPool}, {@code MpscPool}, {@code SpmcPool}): the
     * registry's lock-free kinds but {@link PoolKind#CACHING}, whose magazines over a depot hand
     * objects out in another order and which has tests of its own. The other queue-pool tests take
     * their kinds from here.
     *
     * @return the queue pools, in the registry's order
     */
    static List<PoolKind> queuePools() {
        String lockFree = MpmcPool.class.getPackageName() + ".";
        return PoolKind.present().stream()
                .filter(k -> k.className.startsWith(lockFree) && k != PoolKind.CACHING)
                .toList();
    }

    static final class Obj {
        final int id;
        int value;

        Obj(int id) {
            this.id = id;
        }
    }

    private static PoolConfig.Builder<Obj> config(int capacity, boolean checked) {
        AtomicInteger ids = new AtomicInteger();
        return PoolConfig.<Obj>builder().capacity(capacity).factory(() -> new Obj(ids.getAndIncrement()))
                .checked(checked);
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldReturnNullWhenExhausted(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(2, false).build());
        assertNotNull(pool.tryAllocate());
        assertNotNull(pool.tryAllocate());
        assertNull(pool.tryAllocate());
        assertEquals(0, pool.available());
        assertEquals(2, pool.inUse());
        assertEquals(2, pool.capacity());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldThrowPoolExhaustedWhenExhaustedNamingThePool(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(1, false).name("orders").build());
        pool.allocate();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::allocate);
        assertTrue(e.getMessage().contains("'orders'"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldKeepExactCapacityThoughTheQueueRoundsUp(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(3, false).build());
        for (int i = 0; i < 3; i++) {
            assertNotNull(pool.tryAllocate());
        }
        assertNull(pool.tryAllocate());
        assertEquals(3, pool.capacity());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldReuseReleasedObjectsFirstInFirstOut(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(2, false).build());
        Handle<Obj> a = pool.allocate();
        Handle<Obj> b = pool.allocate();
        Obj objA = a.get();
        Obj objB = b.get();
        b.close();
        a.close();
        assertSame(objB, pool.allocate().get());
        assertSame(objA, pool.allocate().get());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldHandOutTheSameHandleInUncheckedModeAndFreshLeasesInCheckedMode(PoolKind kind) {
        Pool<Obj> unchecked = kind.create(config(1, false).build());
        Handle<Obj> h = unchecked.allocate();
        h.close();
        assertSame(h, unchecked.allocate());
        Pool<Obj> checked = kind.create(config(1, true).build());
        Handle<Obj> l = checked.allocate();
        l.close();
        assertNotSame(l, checked.allocate());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldDetectDoubleCloseInUncheckedMode(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(1, false).build());
        Handle<Obj> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("double release of slot 0"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
        assertEquals(1, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldDetectDoubleCloseAndUseAfterReleaseInCheckedModeEvenAfterReuse(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(1, true).name("p").build());
        Handle<Obj> stale = pool.allocate();
        stale.close();
        Handle<Obj> current = pool.allocate();
        IllegalStateException e = assertThrows(IllegalStateException.class, stale::close);
        assertTrue(e.getMessage().contains("double release of slot 0"), e.getMessage());
        assertTrue(e.getMessage().contains("(held by another lease)"), e.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class, stale::get);
        assertTrue(g.getMessage().contains("use after release"), g.getMessage());
        assertNotNull(current.get());
        current.close();
        assertEquals(1, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldRejectAllocationAfterPoolCloseButAcceptOutstandingHandles(PoolKind kind) throws Exception {
        Pool<Obj> pool = kind.create(config(2, false).build());
        Handle<Obj> h = pool.allocate();
        pool.close();
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocate(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        h.close();
        assertEquals(2, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldRunResetOnRelease(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(1, false).reset(o -> o.value = 0).build());
        Handle<Obj> h = pool.allocate();
        h.get().value = 42;
        h.close();
        assertEquals(0, pool.allocate().get().value);
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldDiscardTheObjectAndKeepTheSlotWhenResetThrows(PoolKind kind) {
        PoolConfig<Obj> cfg = config(1, false).reset(o -> {
            throw new IllegalArgumentException("boom");
        }).build();
        Pool<Obj> pool = kind.create(cfg);
        Handle<Obj> h = pool.allocate();
        Obj first = h.get();
        assertThrows(IllegalArgumentException.class, h::close);
        assertEquals(1, pool.available());
        Obj second = pool.allocate().get();
        assertNotSame(first, second);
        assertEquals(1, second.id);
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldDiscardTheObjectWhenTheValidatorRejectsIt(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(1, false).validator(o -> o.value == 0).build());
        Handle<Obj> h = pool.allocate();
        Obj first = h.get();
        first.value = 1;
        h.close();
        assertNotSame(first, pool.allocate().get());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldLeaveTheSlotFreeWhenALazyFactoryThrows(PoolKind kind) {
        AtomicInteger calls = new AtomicInteger();
        Supplier<Obj> flaky = () -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalArgumentException("first fails");
            }
            return new Obj(calls.get());
        };
        Pool<Obj> pool = kind.create(PoolConfig.<Obj>builder().capacity(1).factory(flaky)
                .initialization(InitializationStrategy.LAZY).checked(false).build());
        assertThrows(IllegalArgumentException.class, pool::allocate);
        assertEquals(1, pool.available());
        assertNotNull(pool.allocate().get());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldNameTheSlotWhenAnEagerFactoryThrows(PoolKind kind) {
        AtomicInteger calls = new AtomicInteger();
        PoolConfig<Obj> cfg = PoolConfig.<Obj>builder().capacity(3).factory(() -> {
            if (calls.getAndIncrement() == 1) {
                throw new IllegalArgumentException("second fails");
            }
            return new Obj(0);
        }).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kind.create(cfg));
        assertTrue(e.getMessage().contains("factory failed for slot 1 of 3"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldTakeAllOrNothingInAListBatch(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(4, false).build());
        Handle<Obj> one = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(4));
        assertEquals(3, pool.available());
        List<Handle<Obj>> three = pool.allocateBatch(3);
        assertEquals(3, three.size());
        assertEquals(0, pool.available());
        IdentityHashMap<Obj, Boolean> distinct = new IdentityHashMap<>();
        distinct.put(one.get(), true);
        three.forEach(h -> distinct.put(h.get(), true));
        assertEquals(4, distinct.size());
        assertTrue(pool.allocateBatch(0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(-1));
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldFillUpToCountInAnArrayBatch(PoolKind kind) {
        Pool<Obj> pool = kind.create(config(3, true).build());
        @SuppressWarnings("unchecked")
        Handle<Obj>[] out = (Handle<Obj>[]) new Handle<?>[6];
        assertEquals(3, pool.allocateBatch(out, 1, 5));
        assertNull(out[0]);
        assertNotNull(out[3].get());
        assertNull(out[4]);
        assertEquals(0, pool.allocateBatch(out, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 4, 3));
        out[1].close();
        assertEquals(1, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldGiveBackAllOfAnArrayBatchWhenALazyFactoryThrows(PoolKind kind) {
        AtomicInteger calls = new AtomicInteger();
        Pool<Obj> pool = kind.create(PoolConfig.<Obj>builder().capacity(3).factory(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalArgumentException("second fails");
            }
            return new Obj(calls.get());
        }).initialization(InitializationStrategy.LAZY).checked(false).build());
        @SuppressWarnings("unchecked")
        Handle<Obj>[] out = (Handle<Obj>[]) new Handle<?>[3];
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(out, 0, 3));
        assertNull(out[0]);
        assertEquals(3, pool.available());
        assertEquals(3, pool.allocateBatch(out, 0, 3));
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldWaitForAReleaseInATimedAllocate(PoolKind kind) throws Exception {
        // The waiting thread allocates; for the single-releaser kinds one other thread releases.
        Pool<Obj> pool = kind.create(config(1, false).waitStrategy(WaitStrategy.parkingBackOff()).build());
        Handle<Obj> held = pool.allocate();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        releaser.start();
        Handle<Obj> h = pool.allocate(30, TimeUnit.SECONDS);
        assertNotNull(h.get());
        releaser.join();
        assertEquals(0, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldTimeOutTakingNothing(PoolKind kind) {
        AtomicInteger waits = new AtomicInteger();
        AtomicInteger exhausted = new AtomicInteger();
        PoolRecorder recorder = new PoolRecorder() {
            @Override
            public void onWait(long waitedNanos) {
                waits.incrementAndGet();
            }

            @Override
            public void onExhausted() {
                exhausted.incrementAndGet();
            }
        };
        Pool<Obj> pool = kind.create(config(1, false).recorder(recorder).waitStrategy(WaitStrategy.yielding()).build());
        Handle<Obj> held = pool.allocate();
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(5, TimeUnit.MILLISECONDS));
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(0, TimeUnit.MILLISECONDS));
        assertEquals(0, pool.available());
        assertEquals(2, waits.get());
        assertEquals(2, exhausted.get());
        held.close();
        assertEquals(1, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldThrowInterruptedTakingNothing(PoolKind kind) throws Exception {
        Pool<Obj> pool = kind.create(config(1, false).build());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertEquals(1, pool.available());

        Handle<Obj> held = pool.allocate();
        Thread main = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            main.interrupt();
        });
        interrupter.start();
        assertThrows(InterruptedException.class, () -> pool.allocate(30, TimeUnit.SECONDS));
        interrupter.join();
        assertEquals(0, pool.available());
        held.close();
        assertEquals(1, pool.available());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldReportEveryEventToTheRecorder(PoolKind kind) {
        AtomicInteger allocations = new AtomicInteger();
        AtomicInteger releases = new AtomicInteger();
        AtomicInteger discards = new AtomicInteger();
        AtomicReference<String> created = new AtomicReference<>();
        PoolRecorder recorder = new PoolRecorder() {
            @Override
            public void onCreate(String poolName, String k, int capacity) {
                created.set(k + "/" + poolName + "/" + capacity);
            }

            @Override
            public void onAllocate() {
                allocations.incrementAndGet();
            }

            @Override
            public void onRelease() {
                releases.incrementAndGet();
            }

            @Override
            public void onDiscard() {
                discards.incrementAndGet();
            }
        };
        Pool<Obj> pool = kind.create(config(2, false).name("r").recorder(recorder).validator(o -> false).build());
        pool.allocate().close();
        pool.allocateBatch(2).forEach(Handle::close);
        assertEquals(3, allocations.get());
        assertEquals(3, releases.get());
        assertEquals(3, discards.get());
        assertTrue(created.get().endsWith("/r/2"), created.get());
    }

    @ParameterizedTest
    @MethodSource("queuePools")
    void shouldRejectASecondThreadInASingleRoleInCheckedMode(PoolKind kind) throws Exception {
        Pool<Obj> pool = kind.create(config(4, true).name("roles").build());
        Handle<Obj> mine = pool.allocate(); // this thread is now the (first) allocating thread
        mine.close(); // and the (first) releasing thread
        Handle<Obj> forOther = pool.allocate();
        AtomicReference<Throwable> allocateError = new AtomicReference<>();
        AtomicReference<Throwable> releaseError = new AtomicReference<>();
        List<Handle<Obj>> got = new ArrayList<>();
        Thread other = new Thread(() -> {
            try {
                got.add(pool.allocate());
            } catch (Throwable t) {
                allocateError.set(t);
            }
            try {
                forOther.close();
            } catch (Throwable t) {
                releaseError.set(t);
            }
        }, "intruder");
        other.start();
        other.join();
        String self = Thread.currentThread().getName();
        check(kind.singleAllocator, allocateError.get(), "allocating", self);
        check(kind.singleReleaser, releaseError.get(), "releasing", self);
    }

    private static void check(boolean single, Throwable error, String role, String first) {
        if (!single) {
            assertNull(error, role);
            return;
        }
        assertNotNull(error, role);
        assertTrue(error instanceof IllegalStateException, error.toString());
        String m = error.getMessage();
        assertTrue(m.contains("'roles'") && m.contains(role + " on thread 'intruder'") && m.contains("'" + first + "'"), m);
    }
}
