package io.fastalloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolConfigTest {

    private static PoolConfig.Builder<Item> valid() {
        return PoolConfig.<Item>builder().capacity(4).factory(new Item.Factory());
    }

    private static void assertRejected(String field, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(field + ": "), "message should name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("expected"), "message should give the expected range: " + e.getMessage());
    }

    @Test
    void shouldRejectCapacityNotSet() {
        assertRejected("capacity", () -> PoolConfig.<Item>builder().factory(Item::new0).build());
    }

    @Test
    void shouldRejectZeroOrNegativeCapacity() {
        assertRejected("capacity", () -> valid().capacity(0).build());
        assertRejected("capacity", () -> valid().capacity(-1).build());
        assertRejected("capacity", () -> valid().capacity(Integer.MIN_VALUE).build());
    }

    @Test
    void shouldRejectMaxCapacityBelowCapacity() {
        assertRejected("maxCapacity", () -> valid().capacity(10).maxCapacity(9).build());
    }

    @Test
    void shouldRejectAlignmentNotPowerOfTwo() {
        for (int bad : new int[] {0, -8, 3, 6, 12, 100, PoolConfig.MAX_ALIGNMENT * 2, Integer.MIN_VALUE}) {
            assertRejected("alignment", () -> valid().alignment(bad).build());
        }
        for (int good : new int[] {1, 2, 8, 64, 128, PoolConfig.MAX_ALIGNMENT}) {
            assertEquals(good, valid().alignment(good).build().alignment());
        }
    }

    @Test
    void shouldRejectGrowthFactorNotAboveOne() {
        assertRejected("growthFactor", () -> GrowthStrategy.exponential(1.0));
        assertRejected("growthFactor", () -> GrowthStrategy.exponential(0.5));
        assertRejected("growthFactor", () -> GrowthStrategy.exponential(-2.0));
        assertRejected("growthFactor", () -> GrowthStrategy.exponential(Double.NaN));
        assertRejected("growthFactor", () -> GrowthStrategy.exponential(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldRejectLinearIncrementNotPositive() {
        assertRejected("increment", () -> GrowthStrategy.linear(0));
        assertRejected("increment", () -> GrowthStrategy.linear(-5));
    }

    @Test
    void shouldRejectMissingFactory() {
        assertRejected("factory", () -> PoolConfig.<Item>builder().capacity(4).build());
    }

    @Test
    void shouldRejectMaxThreadsNotPositive() {
        assertRejected("maxThreads", () -> valid().maxThreads(0).build());
        assertRejected("maxThreads", () -> valid().maxThreads(-1).build());
    }

    @Test
    void shouldRejectNullEnumsAndCollaborators() {
        assertRejected("allocationStrategy", () -> valid().allocationStrategy(null).build());
        assertRejected("initialization", () -> valid().initialization(null).build());
        assertRejected("waitStrategy", () -> valid().waitStrategy(null).build());
        assertRejected("recorder", () -> valid().recorder(null).build());
    }

    @Test
    void shouldRejectInvalidShortForms() {
        assertRejected("capacity", () -> FixedPool.create(0, Item::new0));
        assertRejected("factory", () -> FixedPool.create(4, null));
        assertRejected("capacity", () -> GrowingPool.create(-3, Item::new0));
    }

    @Test
    void shouldApplyDefaults() {
        Item.Factory factory = new Item.Factory();
        PoolConfig<Item> c = PoolConfig.<Item>builder().capacity(7).factory(factory).build();
        assertNull(c.name());
        assertEquals(7, c.capacity());
        assertEquals(7, c.maxCapacity());
        assertTrue(c.growthStrategy().isNone(), "no growth when maxCapacity == capacity");
        assertEquals(PoolConfig.DEFAULT_ALIGNMENT, c.alignment());
        assertSame(factory, c.factory());
        assertNull(c.reset());
        assertNull(c.validator());
        assertEquals(AllocationStrategy.STACK, c.allocationStrategy());
        assertEquals(InitializationStrategy.EAGER, c.initialization());
        assertEquals(assertionsEnabled(), c.checked(), "checked defaults to whether -ea is on");
        assertEquals(Integer.MAX_VALUE, c.maxThreads());
        assertSame(PoolRecorder.noop(), c.recorder());
        assertTrue(c.waitStrategy() != null);
    }

    @Test
    void shouldDefaultToExponentialGrowthWhenMaxCapacityAboveCapacity() {
        PoolConfig<Item> c = valid().capacity(4).maxCapacity(100).build();
        assertEquals("exponential(2.0)", c.growthStrategy().toString());
        assertEquals(8, c.growthStrategy().nextCapacity(4, 100));
    }

    @Test
    void shouldRoundTripThroughToBuilder() {
        Supplier<Item> factory = new Item.Factory();
        Consumer<Item> reset = Item::reset;
        Predicate<Item> validator = i -> i.value == 0;
        GrowthStrategy growth = GrowthStrategy.linear(3);
        PoolRecorder recorder = new PoolRecorder() { };
        WaitStrategy wait = WaitStrategy.parkingBackOff();
        PoolConfig<Item> a = PoolConfig.<Item>builder().name("orders").capacity(5).maxCapacity(50)
                .growthStrategy(growth).alignment(128).factory(factory).reset(reset).validator(validator)
                .allocationStrategy(AllocationStrategy.BITMAP).initialization(InitializationStrategy.LAZY)
                .checked(!assertionsEnabled()).maxThreads(3).waitStrategy(wait).recorder(recorder).build();
        PoolConfig<Item> b = a.toBuilder().build();
        assertEquals("orders", b.name());
        assertEquals(5, b.capacity());
        assertEquals(50, b.maxCapacity());
        assertSame(growth, b.growthStrategy());
        assertEquals(128, b.alignment());
        assertSame(factory, b.factory());
        assertSame(reset, b.reset());
        assertSame(validator, b.validator());
        assertEquals(AllocationStrategy.BITMAP, b.allocationStrategy());
        assertEquals(InitializationStrategy.LAZY, b.initialization());
        assertEquals(!assertionsEnabled(), b.checked());
        assertEquals(3, b.maxThreads());
        assertSame(wait, b.waitStrategy());
        assertSame(recorder, b.recorder());
        assertEquals(a.toString(), b.toString());

        PoolConfig<Item> c = a.toBuilder().capacity(9).name("other").build();
        assertEquals(9, c.capacity());
        assertEquals("other", c.name());
        assertEquals(5, a.capacity(), "the original is unchanged");
        assertRejected("maxCapacity", () -> a.toBuilder().capacity(51).build());
    }

    @Test
    void shouldComputeGrowthClampedToMaxCapacity() {
        assertEquals(7, GrowthStrategy.linear(3).nextCapacity(4, 100));
        assertEquals(6, GrowthStrategy.linear(3).nextCapacity(4, 6));
        assertEquals(6, GrowthStrategy.exponential(1.5).nextCapacity(4, 100));
        assertEquals(5, GrowthStrategy.exponential(1.1).nextCapacity(4, 100), "rounded up, at least +1");
        assertEquals(30, GrowthStrategy.custom(c -> c * 10).nextCapacity(3, 30));
        assertEquals(3, GrowthStrategy.custom(c -> c).nextCapacity(3, 30), "not above current: no growth");
        assertEquals(3, GrowthStrategy.none().nextCapacity(3, 30));
        assertEquals(30, GrowthStrategy.linear(1).nextCapacity(30, 30));
        assertEquals(Integer.MAX_VALUE, GrowthStrategy.linear(10).nextCapacity(Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
    }

    @SuppressWarnings("AssertWithSideEffects")
    static boolean assertionsEnabled() {
        boolean on = false;
        assert on = true;
        return on;
    }
}
