package io.fastalloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakDetectionTest {

    static final class Leak {
        final String pool;
        final int slot;
        final Throwable site;

        Leak(String pool, int slot, Throwable site) {
            this.pool = pool;
            this.slot = slot;
            this.site = site;
        }
    }

    private static void leakOne(Pool<StringBuilder> pool) {
        pool.allocate().get().append("never closed");
    }

    /** @return the registry's kinds on core's class path */
    static List<PoolKind> kinds() {
        return PoolKind.present();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldReportAnUnreachableLeaseWithItsAllocationStackAndRecoverTheSlot(PoolKind kind) throws InterruptedException {
        List<Leak> leaks = new CopyOnWriteArrayList<>();
        int[] made = {0};
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().name("leaky").capacity(2)
                .factory(() -> {
                    made[0]++;
                    return new StringBuilder();
                })
                .checked(true).leakListener((name, k, slot, site) -> leaks.add(new Leak(name, slot, site))).build();
        Pool<StringBuilder> pool = kind.create(config);
        leakOne(pool);
        assertEquals(1, pool.inUse());
        for (int i = 0; i < 200 && leaks.isEmpty(); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, leaks.size(), "the leak was reported once");
        Leak leak = leaks.get(0);
        assertEquals("leaky", leak.pool);
        assertNotNull(leak.site);
        boolean namesAllocator = false;
        for (StackTraceElement e : leak.site.getStackTrace()) {
            namesAllocator |= e.getMethodName().equals("leakOne");
        }
        assertTrue(namesAllocator, "the allocation stack names the allocating method");

        try (Handle<StringBuilder> h = pool.allocate()) { // single-threaded kinds recover on their own thread
            assertEquals(0, h.get().length(), "never the leaked object's contents");
        }
        for (int i = 0; i < 100 && pool.inUse() != 0; i++) {
            Thread.sleep(10); // concurrent kinds recover on the cleaner thread, right after the report
        }
        assertEquals(0, pool.inUse(), "the leaked slot was recovered");
        assertEquals(2, pool.available());
        Handle<StringBuilder> a = pool.allocate();
        Handle<StringBuilder> b = pool.allocate();
        assertEquals(0, a.get().length() + b.get().length(), "never the leaked object's contents");
        a.close();
        b.close();
        assertEquals(3, made[0], "the leaked object was discarded and made anew");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldNotReportClosedLeases(PoolKind kind) throws InterruptedException {
        List<Leak> leaks = new CopyOnWriteArrayList<>();
        PoolConfig<StringBuilder> config = PoolConfig.<StringBuilder>builder().capacity(4).factory(StringBuilder::new)
                .checked(true).leakListener((name, k, slot, site) -> leaks.add(new Leak(name, slot, site))).build();
        Pool<StringBuilder> pool = kind.create(config);
        for (int i = 0; i < 100; i++) {
            pool.allocate().close();
        }
        pool.allocateBatch(4).forEach(Handle::close);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(leaks.isEmpty(), "closed leases are not leaks: " + leaks.size());
        assertEquals(4, pool.available());
    }
}
