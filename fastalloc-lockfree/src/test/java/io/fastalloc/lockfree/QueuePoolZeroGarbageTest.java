package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.WaitStrategy;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Unchecked mode allocates nothing per allocate + close, and a timed allocate that waits allocates
 * nothing while it waits (measured with {@code ThreadMXBean.getThreadAllocatedBytes}, the minimum
 * of a few tries after warm-up).
 */
class QueuePoolZeroGarbageTest {
    /**
     * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes(long)}, bound to the platform
     * bean. Looked up reflectively because the test sources compile inside the
     * {@code io.fastalloc.lockfree} module, which does not read {@code jdk.management}; called with
     * {@code invokeExact}, so a call allocates nothing itself.
     */
    private static final MethodHandle ALLOCATED_BYTES;

    static {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            ALLOCATED_BYTES = MethodHandles.publicLookup()
                    .findVirtual(type, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(Thread.currentThread().getId());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static long pairs(Pool<Object> pool, int n) {
        long before = allocatedBytes();
        for (int i = 0; i < n; i++) {
            Handle<Object> h = pool.allocate();
            h.close();
        }
        return allocatedBytes() - before;
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldAllocateNothingPerAllocateAndClose(PoolKind kind) {
        Pool<Object> pool = kind.create(PoolConfig.builder().capacity(16).factory(Object::new).checked(false).build());
        pairs(pool, 200_000);
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && min > 0; attempt++) {
            min = Math.min(min, pairs(pool, 100_000));
        }
        assertEquals(0, min);
    }

    @ParameterizedTest
    @MethodSource("io.fastalloc.lockfree.QueuePoolContractTest#queuePools")
    void shouldAllocateNothingWhileWaitingInATimedAllocate(PoolKind kind) throws Exception {
        Pool<Object> pool = kind.create(PoolConfig.builder().capacity(1).factory(Object::new).checked(false)
                .waitStrategy(WaitStrategy.parkingBackOff()).build());
        // Warm the waiting path (and the immediate path) up.
        for (int i = 0; i < 20_000; i++) {
            pool.allocate(1, TimeUnit.SECONDS).close();
        }
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && min > 0; attempt++) {
            Handle<Object> held = pool.allocate();
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                held.close();
            });
            releaser.start();
            long before = allocatedBytes();
            Handle<Object> h = pool.allocate(30, TimeUnit.SECONDS);
            long used = allocatedBytes() - before;
            releaser.join();
            h.close();
            min = Math.min(min, used);
        }
        assertEquals(0, min);
    }
}
