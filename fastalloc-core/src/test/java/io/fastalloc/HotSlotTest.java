package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unchecked single-threaded STACK pools give an allocate + close in one scope the slot they
 * took last without touching their free stack (the "hot" slot, see SlotStore). These pin down that
 * the hot slot is an ordinary member of the free set: LIFO order, counts, trimming, double close
 * and failing reset and factory functions behave as they do for any other slot.
 */
class HotSlotTest {

    private static PoolConfig.Builder<Item> stack(int capacity) {
        return PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory()).reset(Item::reset)
                .allocationStrategy(AllocationStrategy.STACK).checked(false);
    }

    @Test
    void shouldHandOutTheLastReleasedFirstWhenReleasesInterleave() {
        FixedPool<Item> pool = FixedPool.create(stack(4).build());
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate();
        Item itemA = a.get();
        Item itemB = b.get();
        b.close(); // the hot slot, free again
        a.close(); // older slot released later: it is now the top
        assertSame(itemA, pool.allocate().get());
        assertSame(itemB, pool.allocate().get());

        FixedPool<Item> other = FixedPool.create(stack(4).build());
        Handle<Item> c = other.allocate();
        Handle<Item> d = other.allocate();
        Item itemC = c.get();
        Item itemD = d.get();
        c.close();
        d.close(); // the hot slot released last: the top
        assertSame(itemD, other.allocate().get());
        assertSame(itemC, other.allocate().get());
    }

    @Test
    void shouldCountTheFreeHotSlotAsAvailable() {
        FixedPool<Item> pool = FixedPool.create(stack(3).build());
        Handle<Item> h = pool.allocate();
        assertEquals(2, pool.available());
        assertEquals(1, pool.inUse());
        h.close();
        assertEquals(3, pool.available());
        assertEquals(0, pool.inUse());
        List<Handle<Item>> all = pool.allocateBatch(3); // takes the free hot slot too
        assertEquals(0, pool.available());
        assertEquals(3, all.size());
        assertEquals(3, new java.util.HashSet<>(all.stream().map(Handle::get).toList()).size());
    }

    @Test
    void shouldDetectDoubleCloseOfTheHotSlot() {
        FixedPool<Item> pool = FixedPool.create(stack(2).build());
        Handle<Item> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("double release"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
        assertEquals(2, pool.available());
    }

    @Test
    void shouldKeepTheHotSlotFreeAndRemakeItsObjectWhenResetThrows() {
        Item.Factory factory = new Item.Factory();
        boolean[] fail = {true};
        FixedPool<Item> pool = FixedPool.create(PoolConfig.<Item>builder().capacity(2).factory(factory)
                .reset(item -> {
                    if (fail[0]) {
                        throw new IllegalStateException("reset failed");
                    }
                }).checked(false).build());
        Handle<Item> h = pool.allocate();
        Item first = h.get();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(2, pool.available());
        assertEquals(0, pool.inUse());
        fail[0] = false;
        Handle<Item> again = pool.allocate();
        assertNotSame(first, again.get(), "the object the reset failed on is discarded and made anew");
        assertEquals(3, factory.made());
        again.close();
        assertEquals(2, pool.available());
    }

    @Test
    void shouldLeaveTheHotSlotFreeWhenItsLazyFactoryThrows() {
        boolean[] fail = {false};
        Item.Factory items = new Item.Factory();
        FixedPool<Item> pool = FixedPool.create(PoolConfig.<Item>builder().capacity(2)
                .initialization(InitializationStrategy.LAZY).checked(false)
                .reset(item -> {
                    throw new IllegalStateException("reset failed"); // discards, so the next take must make one
                })
                .factory(() -> {
                    if (fail[0]) {
                        throw new IllegalStateException("factory failed");
                    }
                    return items.get();
                }).build());
        Handle<Item> h = pool.allocate();
        assertThrows(IllegalStateException.class, h::close);
        fail[0] = true;
        assertThrows(IllegalStateException.class, pool::allocate);
        assertEquals(2, pool.available());
        assertEquals(0, pool.inUse());
        fail[0] = false;
        List<Handle<Item>> both = new ArrayList<>(pool.allocateBatch(2));
        assertEquals(0, pool.available());
        assertEquals(2, both.size());
    }

    @Test
    void shouldTrimTheFreeHotSlot() {
        GrowingPool<Item> pool = GrowingPool.create(stack(1).maxCapacity(4).growthStrategy(GrowthStrategy.linear(1))
                .build());
        Handle<Item> a = pool.allocate();
        Handle<Item> b = pool.allocate(); // grows to 2
        assertEquals(2, pool.capacity());
        a.close();
        b.close();
        Handle<Item> c = pool.allocate(); // the top again, so the hot slot
        c.close();
        assertEquals(1, pool.trim());
        assertEquals(1, pool.capacity());
        assertEquals(1, pool.available());
    }
}
