package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checked mode's leak detection in the lock-free kinds: reported with the allocation stack, slot recovered. */
class LockFreeLeakDetectionTest {

    static Pool<StringBuilder> create(String kind, PoolConfig<StringBuilder> config) {
        switch (kind) {
            case "CachingPool":
                return CachingPool.create(config);
            case "MpmcPool":
                return MpmcPool.create(config);
            case "SpscPool":
                return SpscPool.create(config);
            case "MpscPool":
                return MpscPool.create(config);
            case "SpmcPool":
                return SpmcPool.create(config);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static void leakOne(Pool<StringBuilder> pool) {
        pool.allocate().get().append("never closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CachingPool", "MpmcPool", "SpscPool", "MpscPool", "SpmcPool"})
    void shouldReportAnUnreachableLeaseAndRecoverTheSlot(String kind) throws InterruptedException {
        List<Throwable> sites = new CopyOnWriteArrayList<>();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().name("leaky").capacity(2)
                .factory(StringBuilder::new).checked(true)
                .leakListener((name, k, slot, site) -> sites.add(site)).build();
        Pool<StringBuilder> pool = create(kind, config);
        leakOne(pool);
        assertEquals(1, pool.inUse());
        for (int i = 0; i < 200 && sites.isEmpty(); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, sites.size(), "reported once");
        pool.tryAllocate().close(); // the queue kinds take the leaked slot back on the allocating thread
        for (int i = 0; i < 100 && pool.inUse() != 0; i++) {
            Thread.sleep(10); // CachingPool recovers on the cleaner thread, right after the report
        }
        boolean namesAllocator = false;
        for (StackTraceElement e : sites.get(0).getStackTrace()) {
            namesAllocator |= e.getMethodName().equals("leakOne");
        }
        assertTrue(namesAllocator, "the allocation stack names the allocating method");
        assertEquals(0, pool.inUse(), "the leaked slot was recovered");
        Handle<StringBuilder> a = pool.allocate();
        Handle<StringBuilder> b = pool.allocate();
        assertEquals(0, a.get().length() + b.get().length(), "the leaked object was discarded");
        a.close();
        b.close();
        assertEquals(2, pool.available());
    }
}
