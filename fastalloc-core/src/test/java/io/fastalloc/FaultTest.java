package io.fastalloc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A factory, reset function or validator that fails leaves the pool consistent. */
class FaultTest {

    static List<PoolVariant> variants() {
        return PoolVariant.all();
    }

    /** A numbering factory that throws {@code failure} while {@code failing} is set. */
    static final class FlakyFactory extends Item.Factory {
        final AtomicBoolean failing = new AtomicBoolean();
        final Supplier<? extends Throwable> failure;

        FlakyFactory(Supplier<? extends Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public Item get() {
            if (failing.get()) {
                Throwable t = failure.get();
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw (RuntimeException) t;
            }
            return super.get();
        }
    }

    /** Like assertThrows, but also for OutOfMemoryError, which JUnit's assertThrows rethrows. */
    private static Throwable thrownBy(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a throwable");
    }

    private static void assertConsistent(Pool<?> pool) {
        assertEquals(pool.capacity(), pool.available() + pool.inUse(), "available + inUse == capacity");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldNameTheSlotWhenEagerFactoryFails(PoolVariant v) {
        if (v.init() != InitializationStrategy.EAGER) {
            return;
        }
        RuntimeException cause = new RuntimeException("no more orders");
        Item.Factory factory = new Item.Factory() {
            @Override
            public Item get() {
                if (made() == 2) {
                    throw cause;
                }
                return super.get();
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.create(4, factory));
        assertTrue(e.getMessage().contains("slot 2"), e.getMessage());
        assertTrue(e.getMessage().contains("orders"), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldPassLazyFactoryFailureToCallerAndLoseNothing(PoolVariant v) {
        if (v.init() != InitializationStrategy.LAZY) {
            return;
        }
        FlakyFactory factory = new FlakyFactory(() -> new IllegalArgumentException("factory down"));
        Pool<Item> pool = v.create(4, factory);
        Handle<Item> first = pool.allocate();
        factory.failing.set(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pool::allocate);
        assertEquals("factory down", e.getMessage());
        assertConsistent(pool);
        assertEquals(1, pool.inUse());
        assertThrows(IllegalArgumentException.class, pool::tryAllocate);
        assertThrows(IllegalArgumentException.class, () -> pool.allocateBatch(2));
        assertConsistent(pool);
        assertEquals(1, pool.inUse());
        factory.failing.set(false);
        Handle<Item> second = pool.allocate();
        assertNotNull(second.get());
        assertNotSame(first.get(), second.get());
        assertEquals(2, pool.inUse());
        assertConsistent(pool);
        List<Handle<Item>> rest = new ArrayList<>();
        Handle<Item> h;
        while ((h = pool.tryAllocate()) != null) {
            rest.add(h);
        }
        assertEquals(v.limit(4), pool.inUse(), "no slot was lost");
        assertConsistent(pool);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRecoverSlotAndRemakeObjectWhenResetThrows(PoolVariant v) {
        Item.Factory factory = new Item.Factory();
        Pool<Item> pool = v.create(1, factory, b -> b.reset(item -> {
            if (item.value < 0) {
                throw new IllegalStateException("cannot reset " + item.value);
            }
            item.reset();
        }));
        Handle<Item> h = pool.allocate();
        Item broken = h.get();
        broken.value = -7;
        int madeBefore = factory.made();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertEquals("cannot reset -7", e.getMessage());
        assertEquals(0, pool.inUse(), "the slot is recovered");
        assertConsistent(pool);
        assertThrows(IllegalStateException.class, h::close, "and it counts as released");
        Handle<Item> again = pool.allocate();
        assertNotSame(broken, again.get(), "the object that failed to reset is discarded");
        assertEquals(madeBefore + 1, factory.made(), "and made anew by the factory");
        assertEquals(0, again.get().value);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldDiscardAndRemakeObjectTheValidatorRejects(PoolVariant v) {
        Item.Factory factory = new Item.Factory();
        Pool<Item> pool = v.create(1, factory, b -> b.reset(null).validator(item -> item.value != 13));
        Handle<Item> h = pool.allocate();
        Item good = h.get();
        good.value = 5;
        h.close();
        h = pool.allocate();
        assertSame(good, h.get(), "an accepted object is reused");
        good.value = 13;
        int madeBefore = factory.made();
        h.close();
        assertEquals(0, pool.inUse());
        assertConsistent(pool);
        Handle<Item> again = pool.allocate();
        assertNotSame(good, again.get(), "a rejected object is discarded");
        assertEquals(madeBefore + 1, factory.made());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldKeepGrowingPoolUsableWhenGrowthFactoryThrows(PoolVariant v) {
        if (!v.growing()) {
            return;
        }
        for (Supplier<? extends Throwable> failure : List.<Supplier<? extends Throwable>>of(
                () -> new OutOfMemoryError("test: no room for the segment"),
                () -> new IllegalStateException("test: factory down"))) {
            FlakyFactory factory = new FlakyFactory(failure);
            Pool<Item> pool = v.create(3, factory);
            List<Handle<Item>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(pool.allocate());
            }
            factory.failing.set(true);
            Throwable expected = failure.get();
            Throwable thrown = thrownBy(pool::allocate);
            assertSame(expected.getClass(), thrown.getClass(), "the factory's throwable reaches the caller");
            assertEquals(expected.getMessage(), thrown.getMessage());
            assertSame(expected.getClass(), thrownBy(() -> pool.allocateBatch(1)).getClass());
            assertConsistent(pool);
            assertEquals(3, pool.inUse());
            if (v.init() == InitializationStrategy.EAGER) {
                assertEquals(3, pool.capacity(), "eager growth makes the segment before adding it: old capacity kept");
                held.get(1).close();
                Handle<Item> reused = pool.allocate();
                assertNotNull(reused.get(), "still usable at its old capacity while the factory fails");
            } else {
                // lazy growth adds empty slots; the failing factory runs on the slot taken, which is given back
                factory.failing.set(false);
                held.get(1).close();
                assertNotNull(pool.allocate().get());
            }
            factory.failing.set(false);
            for (int i = 0; i < 3; i++) {
                held.add(pool.allocate());
            }
            assertEquals(6, pool.capacity(), "and grows once the factory works again");
            assertEquals(6, pool.inUse());
            assertConsistent(pool);
        }
    }
}
