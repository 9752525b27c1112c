package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GrowingPoolTest {

    private static GrowingPool<Item> pool(int capacity, int maxCapacity, GrowthStrategy growth, AllocationStrategy strategy) {
        return GrowingPool.create(PoolConfig.<Item>builder().name("growing").capacity(capacity).maxCapacity(maxCapacity)
                .growthStrategy(growth).allocationStrategy(strategy).factory(new Item.Factory()).build());
    }

    /** Allocates until exhausted, recording the capacity after each allocation that grew the pool. */
    private static List<Integer> capacitiesUntilExhausted(GrowingPool<Item> pool, List<Handle<Item>> held) {
        List<Integer> capacities = new ArrayList<>();
        capacities.add(pool.capacity());
        Handle<Item> h;
        while ((h = pool.tryAllocate()) != null) {
            held.add(h);
            if (pool.capacity() != capacities.get(capacities.size() - 1)) {
                capacities.add(pool.capacity());
            }
        }
        return capacities;
    }

    @Test
    void shouldGrowLinearlyUpToMaxCapacity() {
        GrowingPool<Item> pool = pool(3, 12, GrowthStrategy.linear(4), AllocationStrategy.STACK);
        List<Handle<Item>> held = new ArrayList<>();
        assertEquals(List.of(3, 7, 11, 12), capacitiesUntilExhausted(pool, held));
        assertEquals(12, held.size());
        assertThrows(PoolExhaustedException.class, pool::allocate);
        assertEquals(12, pool.capacity(), "never past maxCapacity");
    }

    @Test
    void shouldGrowExponentiallyUpToMaxCapacity() {
        GrowingPool<Item> pool = pool(3, 40, GrowthStrategy.exponential(2.0), AllocationStrategy.FREE_LIST);
        assertEquals(List.of(3, 6, 12, 24, 40), capacitiesUntilExhausted(pool, new ArrayList<>()));
        pool = pool(2, 10, GrowthStrategy.exponential(1.5), AllocationStrategy.BITMAP);
        assertEquals(List.of(2, 3, 5, 8, 10), capacitiesUntilExhausted(pool, new ArrayList<>()));
    }

    @Test
    void shouldGrowByCustomStrategyUpToMaxCapacity() {
        GrowingPool<Item> pool = pool(1, 50, GrowthStrategy.custom(c -> c * c + 1), AllocationStrategy.STACK);
        assertEquals(List.of(1, 2, 5, 26, 50), capacitiesUntilExhausted(pool, new ArrayList<>()));
    }

    @Test
    void shouldStopGrowingWhenCustomStrategyDeclines() {
        GrowingPool<Item> pool = pool(2, 50, GrowthStrategy.custom(c -> c < 8 ? c + 3 : c), AllocationStrategy.STACK);
        List<Handle<Item>> held = new ArrayList<>();
        assertEquals(List.of(2, 5, 8), capacitiesUntilExhausted(pool, held));
        assertThrows(PoolExhaustedException.class, pool::allocate);
        assertEquals(8, pool.capacity());
    }

    @Test
    void shouldTakeNothingFromListBatchThatGrowthCannotCover() {
        GrowingPool<Item> pool = pool(2, 50, GrowthStrategy.custom(c -> c < 8 ? c + 3 : c), AllocationStrategy.STACK);
        List<Handle<Item>> held = pool.allocateBatch(2);
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(7), "growth stops at 8: 6 more at most");
        assertEquals(2, pool.capacity(), "took nothing and did not grow");
        assertEquals(0, pool.available());
        assertEquals(6, pool.allocateBatch(6).size());
        assertEquals(8, pool.capacity());
        held.forEach(Handle::close);
    }

    @Test
    void shouldNeverGrowWithGrowthNone() {
        GrowingPool<Item> pool = pool(3, 100, GrowthStrategy.none(), AllocationStrategy.BITMAP);
        assertEquals(List.of(3), capacitiesUntilExhausted(pool, new ArrayList<>()));
        assertThrows(PoolExhaustedException.class, pool::allocate);
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(1));
        assertEquals(3, pool.capacity());
        assertEquals(0, pool.available());
    }

    @Test
    void shouldKeepHandlesAndObjectsAcrossGrowth() {
        for (boolean checked : new boolean[] {false, true}) {
            for (AllocationStrategy strategy : AllocationStrategy.values()) {
                GrowingPool<Item> pool = GrowingPool.create(PoolConfig.<Item>builder().capacity(2).maxCapacity(300)
                        .growthStrategy(GrowthStrategy.linear(1)).allocationStrategy(strategy).checked(checked)
                        .factory(new Item.Factory()).build());
                List<Handle<Item>> held = new ArrayList<>();
                List<Item> objects = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    Handle<Item> h = pool.allocate();
                    h.get().value = i;
                    held.add(h);
                    objects.add(h.get());
                }
                assertEquals(300, pool.capacity());
                for (int i = 0; i < 300; i++) {
                    assertSame(objects.get(i), held.get(i).get(), "same object after growth");
                    assertEquals(i, held.get(i).get().value);
                }
                for (Handle<Item> h : held) {
                    h.close();
                }
                assertEquals(300, pool.available());
            }
        }
    }

    @Test
    void shouldTrimFreeTopDownToInitialCapacityWithBitmap() {
        GrowingPool<Item> pool = pool(4, 64, GrowthStrategy.linear(4), AllocationStrategy.BITMAP);
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.allocate());
        }
        assertEquals(16, pool.capacity());
        assertEquals(0, pool.trim(), "nothing free");
        for (int i = 15; i >= 1; i--) {
            held.get(i).close();
        }
        assertEquals(12, pool.trim(), "down to the initial capacity, not below");
        assertEquals(4, pool.capacity());
        assertEquals(3, pool.available());
        assertEquals(1, pool.inUse());
        assertEquals(0, pool.trim());
        held.get(0).close();
        assertEquals(0, pool.trim(), "never below the initial capacity");
        assertEquals(4, pool.capacity());
    }

    @Test
    void shouldStopTrimmingAtHighestHeldSlot() {
        GrowingPool<Item> pool = pool(2, 64, GrowthStrategy.linear(2), AllocationStrategy.BITMAP);
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(pool.allocate());
        }
        assertEquals(10, pool.capacity());
        for (int i : new int[] {9, 8, 7, 5, 4, 1}) {
            held.get(i).close();
        }
        assertEquals(3, pool.trim(), "slots 9, 8, 7 go; slot 6 is held");
        assertEquals(7, pool.capacity());
        assertEquals(3, pool.available());
        assertEquals(4, pool.inUse());
        List<Integer> next = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            next.add(pool.allocate().get().serial);
        }
        assertEquals(List.of(1, 4, 5), next, "the kept free slots are still lowest first");
        Handle<Item> grown = pool.allocate();
        assertEquals(9, pool.capacity(), "grows again from the trimmed capacity");
        assertEquals(10, grown.get().serial, "slot 7 gets a new object: the old one was given back");
        held.get(6).close();
        assertEquals(1, pool.trim(), "slot 8 goes; slot 7 is held, so free slot 6 stays");
        assertEquals(8, pool.capacity());
        assertEquals(1, pool.available());
    }

    @Test
    void shouldDetectCloseOfHandleWhoseSlotWasTrimmed() {
        GrowingPool<Item> pool = pool(1, 8, GrowthStrategy.linear(1), AllocationStrategy.BITMAP);
        Handle<Item> low = pool.allocate();
        Handle<Item> high = pool.allocate();
        high.close();
        assertEquals(1, pool.trim());
        assertThrows(IllegalStateException.class, high::close);
        assertEquals(1, pool.capacity());
        assertEquals(1, pool.inUse());
        low.close();
    }

    @Test
    void shouldCreateShortFormThatGrows() {
        GrowingPool<Item> pool = GrowingPool.create(2, new Item.Factory());
        for (int i = 0; i < 100; i++) {
            pool.allocate();
        }
        assertEquals(128, pool.capacity());
    }
}
