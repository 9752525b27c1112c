package io.fastalloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A recorder that reads a pool's own counts (FixedPool, GrowingPool, ThreadSafePool) instead of being told of each operation. */
class PoolCountsTest {

    /** Accepts the pool's counts and counts every per-operation call it still gets. */
    static final class CountsReader implements PoolRecorder {
        PoolRecorder.Counts counts;
        int allocateCalls;
        int releaseCalls;
        int exhaustions;
        boolean accept = true;

        @Override
        public boolean attachCounts(PoolRecorder.Counts c) {
            if (accept) {
                counts = c;
            }
            return accept;
        }

        @Override
        public void onAllocate() {
            allocateCalls++;
        }

        @Override
        public void onRelease() {
            releaseCalls++;
        }

        @Override
        public void onExhausted() {
            exhaustions++;
        }
    }

    private static Pool<StringBuilder> create(PoolKind kind, PoolRecorder recorder, boolean checked) {
        return kind.create(PoolConfig.<StringBuilder>builder().capacity(4).maxCapacity(6)
                .growthStrategy(GrowthStrategy.linear(2)).factory(StringBuilder::new).checked(checked)
                .recorder(recorder).build());
    }

    /** @return the registry's kinds that keep their counts in their slot store: the confined and the locked ones */
    static List<PoolKind> slotStoreKinds() {
        List<PoolKind> kinds = new ArrayList<>();
        for (PoolKind k : PoolKind.present()) {
            if (!k.threadSafe || k == PoolKind.THREAD_SAFE) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    @ParameterizedTest
    @MethodSource("slotStoreKinds")
    void shouldOfferItsOwnCountsAndNotCallThePerOperationHooks(PoolKind kind) {
        for (boolean checked : new boolean[] {false, true}) {
            CountsReader r = new CountsReader();
            Pool<StringBuilder> pool = create(kind, r, checked);
            assertNotNull(r.counts, "the pool offered its counts");
            Handle<StringBuilder> a = pool.allocate();
            Handle<StringBuilder> b = pool.allocate();
            a.close();
            Handle<StringBuilder> c = pool.allocate();
            List<Handle<StringBuilder>> batch = pool.allocateBatch(1);
            assertEquals(4, r.counts.allocations());
            assertEquals(1, r.counts.releases());
            assertEquals(3, pool.inUse());
            assertEquals(3, r.counts.peakInUse());
            b.close();
            c.close();
            batch.forEach(Handle::close);
            assertEquals(4, r.counts.releases());
            assertEquals(0, pool.inUse());
            assertEquals(3, r.counts.peakInUse(), "peak stays");
            assertEquals(0, r.allocateCalls, "not told of each allocation");
            assertEquals(0, r.releaseCalls, "not told of each release");
        }
    }

    @Test
    void shouldStillReportExhaustionAndNotCountAFailedTake() {
        CountsReader r = new CountsReader();
        Pool<StringBuilder> pool = create(PoolKind.FIXED, r, false);
        List<Handle<StringBuilder>> held = new ArrayList<>(pool.allocateBatch(4));
        assertNull(pool.tryAllocate());
        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(1));
        assertEquals(2, r.exhaustions);
        assertEquals(4, r.counts.allocations());
        held.forEach(Handle::close);
        assertEquals(4, r.counts.releases());
    }

    @Test
    void shouldCallThePerOperationHooksOfARecorderThatDeclines() {
        CountsReader r = new CountsReader();
        r.accept = false;
        Pool<StringBuilder> pool = create(PoolKind.GROWING, r, false);
        pool.allocate().close();
        pool.allocate().close();
        assertEquals(2, r.allocateCalls);
        assertEquals(2, r.releaseCalls);
    }

    @Test
    void shouldCountThePeakWhenTheFirstTakeOfTheHotSlotFailedToMakeItsObject() {
        CountsReader reader = new CountsReader();
        boolean[] fail = {true};
        FixedPool<StringBuilder> pool = FixedPool.create(PoolConfig.<StringBuilder>builder().capacity(1)
                .initialization(InitializationStrategy.LAZY).checked(false).recorder(reader)
                .factory(() -> {
                    if (fail[0]) {
                        throw new IllegalStateException("factory failed");
                    }
                    return new StringBuilder();
                }).build());
        assertThrows(IllegalStateException.class, pool::allocate);
        assertEquals(0, reader.counts.allocations(), "a failed take is not an allocation");
        assertEquals(0, reader.counts.peakInUse());
        fail[0] = false;
        Handle<StringBuilder> h = pool.allocate(); // the slot the failed take left free on top
        assertEquals(1, reader.counts.allocations());
        assertEquals(1, reader.counts.peakInUse());
        h.close();
        assertEquals(1, reader.counts.releases());
        assertEquals(1, reader.counts.peakInUse());
    }
}
