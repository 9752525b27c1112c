package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checked mode's leak detection in the lock-free kinds: reported with the allocation stack, slot recovered. */
class LockFreeLeakDetectionTest {

    /** @return the registry's lock-free kinds (the queue pools and {@code CachingPool}) */
    static List<PoolKind> lockFreeKinds() {
        String lockFree = MpmcPool.class.getPackageName() + ".";
        return PoolKind.present().stream().filter(k -> k.className.startsWith(lockFree)).toList();
    }

    private static void leakOne(Pool<StringBuilder> pool) {
        pool.allocate().get().append("never closed");
    }

    @ParameterizedTest
    @MethodSource("lockFreeKinds")
    void shouldReportAnUnreachableLeaseAndRecoverTheSlot(PoolKind kind) throws InterruptedException {
        List<Throwable> sites = new CopyOnWriteArrayList<>();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().name("leaky").capacity(2)
                .factory(StringBuilder::new).checked(true)
                .leakListener((name, k, slot, site) -> sites.add(site)).build();
        Pool<StringBuilder> pool = kind.create(config);
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
