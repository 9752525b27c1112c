package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.InitializationStrategy;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolRecorder;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault behaviour every pool kind shares (the Pool and Handle contract), tested once over all nine:
 * a throwing factory (eager and lazy), a throwing reset, a rejecting validator, an interrupted
 * bounded wait, and close of the pool with handles outstanding. The kinds come from the registry
 * ({@link PoolKind}). Nothing is ever lost: {@code available() + inUse() == capacity()} after each
 * fault.
 */
class EveryKindFaultTest {
    /** @return every kind in the registry: all nine are on this module's class path */
    static List<PoolKind> everyKind() {
        return PoolKind.present();
    }

    /** @return the kinds more than one thread may use, which have a bounded wait worth interrupting */
    static List<PoolKind> concurrentKinds() {
        return PoolKind.concurrent();
    }

    /** @return the kinds that grow past their initial capacity up to {@code maxCapacity} by calling the factory */
    static List<PoolKind> growingKinds() {
        return List.of(PoolKind.GROWING, PoolKind.THREAD_SAFE);
    }

    static void assertConsistent(Pool<?> pool) {
        assertEquals(pool.capacity(), pool.available() + pool.inUse(), pool + ": available + inUse == capacity");
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void eagerFactoryFailureBuildsNoPoolAndNamesTheSlot(PoolKind kind) {
        AtomicInteger made = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(4).checked(false)
                .factory(() -> {
                    if (made.incrementAndGet() == 3) {
                        throw new IllegalStateException("boom");
                    }
                    return new StringBuilder();
                }).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> kind.create(config).allocate());
        assertTrue(String.valueOf(e.getMessage()).contains("slot 2") || causeSays(e, "boom"),
                kind + ": the error names the slot or carries the factory's error: " + e);
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
    @MethodSource("everyKind")
    void lazyFactoryFailureReachesTheCallerAndLosesNothing(PoolKind kind) {
        AtomicInteger calls = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).checked(false)
                .initialization(InitializationStrategy.LAZY)
                .factory(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first make fails");
                    }
                    return new StringBuilder();
                }).build();
        Pool<StringBuilder> pool = kind.create(config);
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
    @MethodSource("everyKind")
    void throwingResetReachesTheCloserDiscardsTheObjectAndRecoversTheSlot(PoolKind kind) {
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
        Pool<StringBuilder> pool = kind.create(config);
        Handle<StringBuilder> h = pool.allocate();
        StringBuilder dirty = h.get().append("dirty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::close);
        assertEquals("cannot reset dirty", e.getMessage());
        assertEquals(1, discards.get(), kind + ": the discard is counted");
        assertConsistent(pool);
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotSame(dirty, again.get(), kind + ": the object was discarded and made anew");
            assertEquals(0, again.get().length());
        }
        assertEquals(pool.capacity(), pool.available());
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void rejectedObjectIsDiscardedCountedAndRefilled(PoolKind kind) {
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
        Pool<StringBuilder> pool = kind.create(config);
        Handle<StringBuilder> h = pool.allocate();
        StringBuilder kept = h.get().append("ok");
        h.close();
        h = pool.allocate();
        assertSame(kept, h.get(), kind + ": a valid object is reused");
        h.get().append("too long");
        h.close();
        assertEquals(1, discards.get());
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotSame(kept, again.get(), kind + ": a rejected object is never handed out again");
        }
        assertConsistent(pool);
    }

    @ParameterizedTest
    @MethodSource("concurrentKinds")
    void interruptedBoundedWaitTakesNothingAndKeepsTheInterrupt(PoolKind kind) throws InterruptedException {
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(1).checked(false)
                .factory(StringBuilder::new).build();
        Pool<StringBuilder> pool = kind.create(config);
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
        assertTrue(outcome.get() instanceof InterruptedException, kind + ": " + outcome.get());
        assertEquals(0, pool.inUse(), kind + ": nothing was taken");
        assertConsistent(pool);
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void closedPoolHandsOutNothingButTakesOutstandingHandlesBack(PoolKind kind) {
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).checked(false)
                .factory(StringBuilder::new).build();
        Pool<StringBuilder> pool = kind.create(config);
        Handle<StringBuilder> out = pool.allocate();
        pool.close();
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, pool::allocate);
        assertThrows(IllegalStateException.class, pool::tryAllocate);
        out.close(); // still safe
        assertThrows(IllegalStateException.class, out::close, kind + ": a second close is still refused");
        assertEquals(0, pool.inUse());
        assertNotNull(pool.toString());
    }

    @ParameterizedTest
    @MethodSource("growingKinds")
    void outOfMemoryDuringGrowthLeavesThePoolUsableAtItsOldCapacity(PoolKind kind) {
        AtomicInteger made = new AtomicInteger();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(2).maxCapacity(8).checked(false)
                .factory(() -> {
                    if (made.incrementAndGet() > 2) {
                        throw new OutOfMemoryError("test: no room to grow");
                    }
                    return new StringBuilder();
                }).build();
        Pool<StringBuilder> pool = kind.create(config);
        Handle<StringBuilder> a = pool.allocate();
        Handle<StringBuilder> b = pool.allocate();
        OutOfMemoryError oom = null;
        try {
            pool.allocate();
        } catch (OutOfMemoryError e) {
            oom = e;
        } catch (PoolExhaustedException e) {
            throw new AssertionError(kind + ": the factory's error must reach the caller", e);
        }
        assertNotNull(oom, kind + ": the OutOfMemoryError reached the caller");
        assertEquals(2, pool.capacity(), kind + ": the old capacity is kept");
        assertConsistent(pool);
        a.close();
        b.close();
        try (Handle<StringBuilder> again = pool.allocate()) {
            assertNotNull(again.get(), kind + ": still usable");
        }
        assertEquals(2, pool.available());
    }
}
