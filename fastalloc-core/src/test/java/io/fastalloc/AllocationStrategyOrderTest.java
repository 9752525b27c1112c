package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One test per allocation strategy, pinning the order in which free objects go out. */
class AllocationStrategyOrderTest {

    /** Allocates all five objects (serials 0..4), releases 1, 3, 0, 4, 2 in that order, then re-allocates all. */
    private static List<Integer> reallocationOrder(AllocationStrategy strategy, boolean checked) {
        Pool<Item> pool = FixedPool.create(PoolConfig.<Item>builder().capacity(5).factory(new Item.Factory())
                .allocationStrategy(strategy).checked(checked).build());
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Handle<Item> h = pool.allocate();
            assertEquals(i, h.get().serial, "a fresh pool hands out its slots lowest first");
            held.add(h);
        }
        for (int i : new int[] {1, 3, 0, 4, 2}) {
            held.get(i).close();
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(pool.allocate().get().serial);
        }
        return order;
    }

    @Test
    void shouldReuseLastReleasedFirstWithStack() {
        for (boolean checked : new boolean[] {false, true}) {
            assertEquals(List.of(2, 4, 0, 3, 1), reallocationOrder(AllocationStrategy.STACK, checked));
        }
    }

    @Test
    void shouldReuseFirstReleasedFirstWithFreeList() {
        for (boolean checked : new boolean[] {false, true}) {
            assertEquals(List.of(1, 3, 0, 4, 2), reallocationOrder(AllocationStrategy.FREE_LIST, checked));
        }
    }

    @Test
    void shouldHandOutLowestFreeIndexFirstWithBitmap() {
        for (boolean checked : new boolean[] {false, true}) {
            assertEquals(List.of(0, 1, 2, 3, 4), reallocationOrder(AllocationStrategy.BITMAP, checked));
        }
    }

    @Test
    void shouldHandOutLowestFreeIndexAcrossWordsWithBitmap() {
        Pool<Item> pool = FixedPool.create(PoolConfig.<Item>builder().capacity(200).factory(new Item.Factory())
                .allocationStrategy(AllocationStrategy.BITMAP).checked(false).build());
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            held.add(pool.allocate());
        }
        for (int i : new int[] {199, 130, 64, 63, 150}) {
            held.get(i).close();
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(pool.allocate().get().serial);
        }
        assertEquals(List.of(63, 64, 130, 150, 199), order);
    }
}
