package io.fastalloc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-threaded contract of {@link Pool}, run for {@link FixedPool} and {@link GrowingPool}
 * with every allocation strategy, both initialisations and both modes.
 */
class ConfinedPoolContractTest {
    private static final int CAPACITY = 4;

    static List<PoolVariant> variants() {
        return PoolVariant.all();
    }

    private static void assertMessageContains(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static List<Handle<Item>> drain(Pool<Item> pool, int n) {
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(pool.allocate());
        }
        return held;
    }

    private static void assertCounts(Pool<?> pool, int capacity, int available, int inUse) {
        assertEquals(capacity, pool.capacity(), "capacity");
        assertEquals(available, pool.available(), "available");
        assertEquals(inUse, pool.inUse(), "inUse");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldHandOutDistinctObjectsUpToTheLimit(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        assertCounts(pool, CAPACITY, CAPACITY, 0);
        List<Handle<Item>> held = drain(pool, v.limit(CAPACITY));
        Set<Item> objects = new HashSet<>();
        for (Handle<Item> h : held) {
            assertTrue(objects.add(h.get()), "each allocation gets its own object");
        }
        assertCounts(pool, v.limit(CAPACITY), 0, v.limit(CAPACITY));
        held.forEach(Handle::close);
        assertCounts(pool, v.limit(CAPACITY), v.limit(CAPACITY), 0);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldThrowNamingThePoolWhenExhausted(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        drain(pool, v.limit(CAPACITY));
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::allocate);
        assertMessageContains(e, "orders", v.kind());
        assertCounts(pool, v.limit(CAPACITY), 0, v.limit(CAPACITY));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldReturnNullFromTryAllocateWhenExhausted(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        List<Handle<Item>> held = drain(pool, v.limit(CAPACITY));
        assertNull(pool.tryAllocate());
        assertNull(pool.tryAllocate());
        held.get(1).close();
        Handle<Item> again = pool.tryAllocate();
        assertNotNull(again);
        assertNull(pool.tryAllocate());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldBehaveAsAllocateWhenAllocatingWithTimeout(PoolVariant v) throws InterruptedException {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        for (int i = 0; i < v.limit(CAPACITY); i++) {
            assertNotNull(pool.allocate(1, TimeUnit.HOURS).get());
        }
        long start = System.nanoTime();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> pool.allocate(1, TimeUnit.HOURS));
        assertMessageContains(e, "orders");
        assertTrue(System.nanoTime() - start < TimeUnit.MINUTES.toNanos(1), "does not wait");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldTakeAllOrNothingWithListBatch(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        int limit = v.limit(CAPACITY);
        List<Handle<Item>> first = pool.allocateBatch(limit - 1);
        assertEquals(limit - 1, first.size());
        assertEquals(limit - 1, new HashSet<>(first.stream().map(Handle::get).toList()).size());
        int available = pool.available();
        int capacity = pool.capacity();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(2));
        assertMessageContains(e, "orders");
        assertCounts(pool, capacity, available, limit - 1);
        List<Handle<Item>> last = pool.allocateBatch(1);
        assertEquals(1, last.size());
        assertCounts(pool, limit, 0, limit);
        assertTrue(pool.allocateBatch(0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(-1));
        first.forEach(Handle::close);
        last.forEach(Handle::close);
        assertCounts(pool, limit, limit, 0);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldTakeNothingWhenListBatchExceedsTheLimit(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(v.limit(CAPACITY) + 1));
        assertCounts(pool, CAPACITY, CAPACITY, 0);
        assertEquals(v.limit(CAPACITY), pool.allocateBatch(v.limit(CAPACITY)).size());
    }

    @ParameterizedTest
    @MethodSource("variants")
    @SuppressWarnings("unchecked")
    void shouldFillUpToCountWithArrayBatch(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        int limit = v.limit(CAPACITY);
        Handle<Item>[] out = new Handle[limit + 6];
        assertEquals(2, pool.allocateBatch(out, 1, 2));
        assertNull(out[0]);
        assertNotNull(out[1]);
        assertNotNull(out[2]);
        assertNull(out[3]);
        assertEquals(limit - 2, pool.allocateBatch(out, 3, limit + 3), "fills what it can and says how many");
        for (int i = 1; i < limit + 1; i++) {
            assertNotNull(out[i], "slot " + i);
        }
        for (int i = limit + 1; i < out.length; i++) {
            assertNull(out[i], "slot " + i);
        }
        assertEquals(0, pool.allocateBatch(out, 0, 1), "exhausted: none");
        assertEquals(0, pool.allocateBatch(out, out.length, 0));
        assertCounts(pool, limit, 0, limit);
        for (int i = 1; i < limit + 1; i++) {
            out[i].close();
        }
        assertCounts(pool, limit, limit, 0);
    }

    @ParameterizedTest
    @MethodSource("variants")
    @SuppressWarnings("unchecked")
    void shouldCheckBoundsOfArrayBatch(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        Handle<Item>[] out = new Handle[3];
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 4, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.allocateBatch(out, 0, -1));
        assertThrows(NullPointerException.class, () -> pool.allocateBatch(null, 0, 1));
        assertCounts(pool, CAPACITY, CAPACITY, 0);
        assertNull(out[0]);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldResetOnRelease(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        List<Handle<Item>> held = drain(pool, v.limit(CAPACITY));
        Handle<Item> h = held.get(0);
        Item item = h.get();
        item.value = 42;
        assertEquals(0, item.resets);
        h.close();
        assertEquals(1, item.resets, "reset ran once");
        assertEquals(0, item.value);
        Handle<Item> again = pool.allocate();
        assertSame(item, again.get(), "the only free object comes back");
        assertEquals(0, again.get().value);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldCreateLazilyOnFirstUseOnly(PoolVariant v) {
        Item.Factory factory = new Item.Factory();
        Pool<Item> pool = v.create(CAPACITY, factory);
        boolean lazy = v.init() == InitializationStrategy.LAZY;
        assertEquals(lazy ? 0 : CAPACITY, factory.made(), "made at build");
        Handle<Item> h = pool.allocate();
        assertEquals(lazy ? 1 : CAPACITY, factory.made(), "made after one allocation");
        h.close();
        h = pool.allocate();
        int expected = !lazy ? CAPACITY : v.strategy() == AllocationStrategy.FREE_LIST ? 2 : 1;
        assertEquals(expected, factory.made(), "a reused object is not made again");
        h.close();
        List<Handle<Item>> held = drain(pool, v.limit(CAPACITY));
        assertEquals(v.limit(CAPACITY), factory.made(), "every slot made exactly once");
        held.forEach(Handle::close);
        drain(pool, v.limit(CAPACITY));
        assertEquals(v.limit(CAPACITY), factory.made());
    }

    @ParameterizedTest
    @MethodSource("variants")
    @SuppressWarnings("unchecked")
    void shouldRefuseAllocationAfterCloseButAcceptOutstandingHandles(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        pool.close();
        assertMessageContains(assertThrows(IllegalStateException.class, pool::allocate), "orders", "closed");
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        assertThrows(IllegalStateException.class, () -> pool.allocate(1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(1));
        assertThrows(IllegalStateException.class, () -> pool.allocateBatch(new Handle[1], 0, 1));
        assertNotNull(a.get());
        a.close();
        pool.close();
        b.close();
        pool.close();
        assertEquals(0, pool.inUse());
        assertThrows(IllegalStateException.class, pool::allocate);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldDetectDoubleCloseWhileSlotIsFree(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        Handle<Item> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertMessageContains(e, "orders", "double release", "slot");
        assertCounts(pool, CAPACITY, CAPACITY, 0);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldThrowOnGetAfterRelease(PoolVariant v) {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        Handle<Item> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::get);
        assertMessageContains(e, "orders", "slot");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRefuseTouchFromSecondThreadWhenChecked(PoolVariant v) throws InterruptedException {
        Pool<Item> pool = v.create(CAPACITY, new Item.Factory());
        Handle<Item> h = pool.allocate();
        AtomicReference<Throwable> allocateError = new AtomicReference<>();
        AtomicReference<Throwable> closeError = new AtomicReference<>();
        Thread intruder = new Thread(() -> {
            try {
                pool.tryAllocate();
            } catch (Throwable t) {
                allocateError.set(t);
            }
            try {
                h.close();
            } catch (Throwable t) {
                closeError.set(t);
            }
        }, "intruder-thread");
        intruder.start();
        intruder.join();
        if (v.checked()) {
            for (Throwable t : List.of(allocateError.get(), closeError.get())) {
                assertTrue(t instanceof IllegalStateException, "got " + t);
                assertMessageContains(t, "orders", "intruder-thread", Thread.currentThread().getName());
            }
            assertEquals(1, pool.inUse(), "the intruder took and released nothing");
            h.close();
        } else {
            assertNull(allocateError.get(), "unchecked pools do not look at threads");
            assertNull(closeError.get());
            assertEquals(1, pool.inUse());
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldNameSlotAndGenerationsOnUseAfterReleaseWhenChecked(PoolVariant v) {
        if (!v.checked()) {
            return;
        }
        Pool<Item> pool = v.create(1, new Item.Factory());
        Handle<Item> stale = pool.allocate();
        stale.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, stale::get);
        assertMessageContains(e, "orders", v.kind(), "use after release", "slot 0", "generation 0", "generation 1");
        e = assertThrows(IllegalStateException.class, stale::close);
        assertMessageContains(e, "orders", "double release", "slot 0", "generation 0", "generation 1");

        Handle<Item> current = pool.allocate();
        assertNotSame(stale, current, "checked mode: a fresh lease per allocation");
        e = assertThrows(IllegalStateException.class, stale::get);
        assertMessageContains(e, "use after release", "slot 0", "held by another lease");
        e = assertThrows(IllegalStateException.class, stale::close);
        assertMessageContains(e, "double release", "slot 0", "held by another lease");
        assertEquals(1, pool.inUse(), "the stale close did not release the current holder's slot");
        assertNotNull(current.get());
        current.close();
        assertEquals(0, pool.inUse());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldReuseHandlesWhenUnchecked(PoolVariant v) {
        if (v.checked()) {
            return;
        }
        Pool<Item> pool = v.create(1, new Item.Factory());
        Handle<Item> first = pool.allocate();
        first.close();
        assertSame(first, pool.allocate(), "unchecked mode: the handle is made with its slot");
    }
}
