package io.fastalloc.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryOverheadTest {

    @Test
    void shouldSeparateThePoolsBytesFromItsObjects() {
        MemoryOverhead.Row r = MemoryOverhead.measure(PoolKind.of(io.fastalloc.testkit.PoolKind.FIXED), false, 1_000,
                MemoryOverhead.Obj64.class, MemoryOverhead.Obj64::new);
        assertTrue(r.objectBytes() >= 56 && r.objectBytes() <= 64, "object bytes " + r.objectBytes());
        // at least a handle reference per slot, and far less than a kilobyte
        assertTrue(r.bytesPerSlot() >= 4 && r.bytesPerSlot() < 1024, "bytes per slot " + r.bytesPerSlot());
        assertEquals(100.0 * r.poolBytes() / (r.objectBytes() * 1_000.0), r.percent(), 1e-9);
    }

    @Test
    void shouldPrintARowPerKindModeCapacityAndSize() {
        List<MemoryOverhead.Row> rows = List.of(
                new MemoryOverhead.Row("fixedPool", false, 1_000, Object.class, 256, 8_000),
                new MemoryOverhead.Row("fixedPool", false, 10_000, Object.class, 256, 80_000));
        String md = MemoryOverhead.markdown(rows);
        assertTrue(md.contains("| fixedPool | unchecked | 1,000 | 256 | 8.0 | 3.1% |"), md);
        assertTrue(md.contains("- fixedPool (unchecked): under 5% for pools of 1,000+ objects for objects of [256] bytes;"
                + " at 8.0 bytes per slot it holds for objects of 160 bytes or more"), md);
    }
}
