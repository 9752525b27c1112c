package io.fastalloc.bench;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.openjdk.jol.info.GraphLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Measures each pool kind's own memory with JOL: the bytes reachable from a freshly built pool
 * (eager initialisation, so every object exists) minus the pooled objects' own bytes, per slot, and
 * as a percentage of one pooled object. For every {@link PoolKind}, unchecked and checked mode,
 * capacity 1,000 and 10,000, and pooled objects of 16, 64 and 256 bytes. Prints a Markdown table and
 * which object sizes stay under 5% overhead.
 *
 * <p>Run: {@code java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.MemoryOverhead}.
 * JOL's {@code GraphLayout} walks the graph through reflection and {@code Unsafe} field offsets and
 * needs no agent; on JDK 17 and 25 it may print a warning about the Serviceability Agent or
 * {@code Unsafe}, which does not change the sizes. What is counted: slots (the unchecked handles),
 * the slot table, the free set, the config and the pool object; not the pooled objects. A checked
 * pool's leases are made per allocation and are garbage, so they do not appear here.
 */
public final class MemoryOverhead {
    /** The pooled-object sizes measured, in bytes (with compressed class pointers). */
    static final int[] OBJECT_SIZES = {16, 64, 256};
    /** The capacities measured. */
    static final int[] CAPACITIES = {1_000, 10_000};
    /** The promise: pools over 1,000 objects cost under this share of the objects' size. */
    static final double TARGET_PERCENT = 5.0;

    private MemoryOverhead() {
    }

    /** A 16-byte object: header and one int. */
    static final class Obj16 {
        int a;
    }

    /** A 64-byte object: header, one int, six longs. */
    @SuppressWarnings("unused")
    static final class Obj64 {
        int a;
        long l1, l2, l3, l4, l5, l6;
    }

    /** A 256-byte object: header, one int, thirty longs. */
    @SuppressWarnings("unused")
    static final class Obj256 {
        int a;
        long l01, l02, l03, l04, l05, l06, l07, l08, l09, l10;
        long l11, l12, l13, l14, l15, l16, l17, l18, l19, l20;
        long l21, l22, l23, l24, l25, l26, l27, l28, l29, l30;
    }

    /** One measurement. */
    record Row(String kind, boolean checked, int capacity, Class<?> type, long objectBytes, long poolBytes) {
        /** @return the pool's own bytes per slot */
        double bytesPerSlot() {
            return (double) poolBytes / capacity;
        }

        /** @return the pool's own bytes as a percentage of the pooled objects' bytes */
        double percent() {
            return 100.0 * poolBytes / (objectBytes * (double) capacity);
        }
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        List<Row> rows = measureAll();
        System.out.print(markdown(rows));
    }

    static List<Row> measureAll() {
        List<Row> rows = new ArrayList<>();
        for (PoolKind kind : PoolKind.all()) {
            for (boolean checked : new boolean[] {false, true}) {
                for (int capacity : CAPACITIES) {
                    rows.add(measure(kind, checked, capacity, Obj16.class, Obj16::new));
                    rows.add(measure(kind, checked, capacity, Obj64.class, Obj64::new));
                    rows.add(measure(kind, checked, capacity, Obj256.class, Obj256::new));
                }
            }
        }
        return rows;
    }

    static <T> Row measure(PoolKind kind, boolean checked, int capacity, Class<T> type, Supplier<T> factory) {
        PoolConfig<T> config = PoolConfig.<T>builder().name("jol").capacity(capacity).factory(factory)
                .checked(checked).build();
        try (Pool<T> pool = kind.create(config)) {
            GraphLayout layout = GraphLayout.parseInstance(pool);
            long objects = layout.getClassSizes().count(type);
            long count = layout.getClassCounts().count(type);
            if (count != capacity) {
                throw new IllegalStateException(kind.paramName() + ": found " + count + " pooled objects, expected "
                        + capacity + " (is initialisation eager?)");
            }
            long objectBytes = objects / capacity;
            return new Row(kind.paramName(), checked, capacity, type, objectBytes, layout.totalSize() - objects);
        }
    }

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| pool kind | mode | capacity | object bytes | pool bytes per slot | overhead |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.1f | %.1f%% |%n", r.kind(),
                    r.checked() ? "checked" : "unchecked", r.capacity(), r.objectBytes(), r.bytesPerSlot(),
                    r.percent()));
        }
        sb.append('\n');
        List<String> seen = new ArrayList<>();
        for (Row first : rows) {
            String key = first.kind() + '/' + first.checked();
            if (seen.contains(key)) {
                continue;
            }
            seen.add(key);
            List<Long> ok = new ArrayList<>();
            double worstPerSlot = 0;
            for (Row r : rows) {
                if (r.kind().equals(first.kind()) && r.checked() == first.checked()) {
                    worstPerSlot = Math.max(worstPerSlot, r.bytesPerSlot());
                    if (r.capacity() >= 1_000 && !ok.contains(r.objectBytes()) && holds(rows, r)) {
                        ok.add(r.objectBytes());
                    }
                }
            }
            sb.append(String.format(Locale.ROOT,
                    "- %s (%s): under %.0f%% for pools of 1,000+ objects %s; at %.1f bytes per slot it holds"
                            + " for objects of %.0f bytes or more%n",
                    first.kind(), first.checked() ? "checked" : "unchecked", TARGET_PERCENT,
                    ok.isEmpty() ? "for none of the sizes measured" : "for objects of " + ok + " bytes",
                    worstPerSlot, Math.ceil(worstPerSlot * 100 / TARGET_PERCENT)));
        }
        return sb.toString();
    }

    /** @return whether every capacity of r's kind, mode and object size is under the target */
    private static boolean holds(List<Row> rows, Row r) {
        for (Row o : rows) {
            if (o.kind().equals(r.kind()) && o.checked() == r.checked() && o.objectBytes() == r.objectBytes()
                    && o.percent() >= TARGET_PERCENT) {
                return false;
            }
        }
        return true;
    }
}
