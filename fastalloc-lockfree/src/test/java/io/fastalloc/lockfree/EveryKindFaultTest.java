package io.fastalloc.lockfree;

import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault behaviour every pool kind shares (DESIGN sections 2 and 3), tested once over all nine:
 * a throwing factory (eager and lazy), a throwing reset, a rejecting validator, an interrupted
 * bounded wait, and close of the pool with handles outstanding. Nothing is ever lost:
 * {@code available() + inUse() == capacity()} after each fault.
 */
class EveryKindFaultTest {
    static Function<PoolConfig<StringBuilder>, Pool<StringBuilder>> kind(String name) {
        switch (name) {
            case "FixedPool":
                return FixedPool::create;
            case "GrowingPool":
                return GrowingPool::create;
            case "ThreadSafePool":
                return ThreadSafePool::create;
            case "ThreadLocalPool":
                return ThreadLocalPool::create;
            case "MpmcPool":
                return MpmcPool::create;
            case "SpscPool":
                return SpscPool::create;
            case "MpscPool":
                return MpscPool::create;
            case "SpmcPool":
                return SpmcPool::create;
            case "CachingPool":
                return CachingPool::create;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static void assertConsistent(Pool<?> pool) {
        assertEquals(pool.capacity(), pool.available() + pool.inUse(), pool + ": available + inUse == capacity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FixedPool", "GrowingPool", "ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool",
        "MpscPool", "SpmcPool", "CachingPool"})
    void eagerFactoryFailureBuildsNoPoolAndNamesTheSlot(String name) {
        AtomicInteger made = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(4).checked(false)
                .factory(() -> {
                    if (made.incrementAndGet() == 3) {
                        throw new IllegalStateException("boom");
                    }
                    return new StringBuilder();
                }).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> kind(name).apply(config).allocate());
        assertTrue(String.valueOf(e.getMessage()).contains("slot 2") || causeSays(e, "boom"),
                name + ": the error names the slot or carries the factory's error: " + e);
    }

    private static boolean causeSays(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"FixedPool", "GrowingPool", "ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool",
        "MpscPool", "SpmcPool", "CachingPool"})
    void lazyFactoryFailureReachesTheCallerAndLosesNothing(String name) {
        AtomicInteger calls = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).checked(false)
                .initialization(InitializationStrategy.LAZY)
                .factory(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first make fails");
                    }
                    return new StringBuilder();
                }).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::allocate);
        assertEquals("first make fails", e.getMessage());
        assertConsistent(pool);
        assertEquals(0, pool.inUse());
        Handle<StringBuilder> a = pool.allocate();
        Handle<StringBuilder> b = pool.allocate();
        assertNotSame(a.get(), b.get());
        a.close();
        b.close();
        assertConsistent(pool);
        assertEquals(pool.capacity(), pool.available());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FixedPool", "GrowingPool", "ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool",
        "MpscPool", "SpmcPool", "CachingPool"})
    void throwingResetReachesTheCloserDiscardsTheObjectAndRecoversTheSlot(String name) {
        AtomicInteger discards = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(1).checked(false)
                .factory(StringBuilder::new)
                .reset(sb -> {
                    if (sb.length() > 0) {
                        throw new IllegalArgumentException("cannot reset " + sb);
                    }
                })
                .recorder(new PoolRecorder() {
                    @Override
                    public void onDiscard() {
                        discards.incrementAndGet();
                    }
                }).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        Handle<StringBuilder> h = pool.allocate();
        StringBuilder dirty = h.get().append("dirty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::close);
        assertEquals("cannot reset dirty", e.getMessage());
        assertEquals(1, discards.get(), name + ": the discard is counted");
        assertConsistent(pool);
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotSame(dirty, again.get(), name + ": the object was discarded and made anew");
            assertEquals(0, again.get().length());
        }
        assertEquals(pool.capacity(), pool.available());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FixedPool", "GrowingPool", "ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool",
        "MpscPool", "SpmcPool", "CachingPool"})
    void rejectedObjectIsDiscardedCountedAndRefilled(String name) {
        AtomicInteger discards = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(1).checked(false)
                .factory(StringBuilder::new)
                .validator(sb -> sb.length() < 3)
                .recorder(new PoolRecorder() {
                    @Override
                    public void onDiscard() {
                        discards.incrementAndGet();
                    }
                }).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        Handle<StringBuilder> h = pool.allocate();
        StringBuilder kept = h.get().append("ok");
        h.close();
        h = pool.allocate();
        assertSame(kept, h.get(), name + ": a valid object is reused");
        h.get().append("too long");
        h.close();
        assertEquals(1, discards.get());
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotSame(kept, again.get(), name + ": a rejected object is never handed out again");
        }
        assertConsistent(pool);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool", "MpscPool", "SpmcPool",
        "CachingPool"})
    void interruptedBoundedWaitTakesNothingAndKeepsTheInterrupt(String name) throws InterruptedException {
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(1).checked(false)
                .factory(StringBuilder::new).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch holding = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            Handle<StringBuilder> held = pool.allocate(); // ThreadLocalPool: this thread's only object
            holding.countDown();
            try {
                pool.allocate(1, TimeUnit.MINUTES);
                outcome.set(new AssertionError("allocated from an exhausted pool"));
            } catch (Throwable e) {
                outcome.set(e);
            }
            held.close();
        });
        waiter.start();
        holding.await();
        Thread.sleep(50);
        waiter.interrupt();
        waiter.join(10_000);
        assertTrue(outcome.get() instanceof InterruptedException, name + ": " + outcome.get());
        assertEquals(0, pool.inUse(), name + ": nothing was taken");
        assertConsistent(pool);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FixedPool", "GrowingPool", "ThreadSafePool", "ThreadLocalPool", "MpmcPool", "SpscPool",
        "MpscPool", "SpmcPool", "CachingPool"})
    void closedPoolHandsOutNothingButTakesOutstandingHandlesBack(String name) {
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).checked(false)
                .factory(StringBuilder::new).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        Handle<StringBuilder> out = pool.allocate();
        pool.close();
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        out.close(); // still safe
        assertThrows(IllegalStateException.class, out::close, name + ": a second close is still refused");
        assertEquals(0, pool.inUse());
        assertNotNull(pool.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GrowingPool", "ThreadSafePool"})
    void outOfMemoryDuringGrowthLeavesThePoolUsableAtItsOldCapacity(String name) {
        AtomicInteger made = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).maxCapacity(8).checked(false)
                .factory(() -> {
                    if (made.incrementAndGet() > 2) {
                        throw new OutOfMemoryError("test: no room to grow");
                    }
                    return new StringBuilder();
                }).build();
        Pool<StringBuilder> pool = kind(name).apply(config);
        Handle<StringBuilder> a = pool.allocate();
        Handle<StringBuilder> b = pool.allocate();
        OutOfMemoryError oom = null;
        try {
            pool.allocate();
        } catch (OutOfMemoryError e) {
            oom = e;
        } catch (PoolExhaustedException e) {
            throw new AssertionError(name + ": the factory's error must reach the caller", e);
        }
        assertNotNull(oom, name + ": the OutOfMemoryError reached the caller");
        assertEquals(2, pool.capacity(), name + ": the old capacity is kept");
        assertConsistent(pool);
        a.close();
        b.close();
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotNull(again.get(), name + ": still usable");
        }
        assertEquals(2, pool.available());
    }
}
