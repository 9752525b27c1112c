package io.fastalloc.stats;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fastalloc-stat} in a second JVM reads a live statistics file {@value #SNAPSHOTS} times while
 * two threads work a pool (one for the single-threaded kinds), for every kind, lazy and
 * write-through, and every snapshot holds the invariants: {@code releases <= allocations},
 * {@code 0 <= in-use <= peak-in-use <= capacity}, and no count goes back from one snapshot to the next.
 */
class LiveFileReadsTest {
    static final int SNAPSHOTS = 1_000;
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+([\\d,]+) - fastalloc (\\S+) (\\S+) (\\S+)$");

    @TempDir
    Path dir;

    static Stream<Arguments> everyKind() {
        return StatsPoolKind.values().stream()
                .flatMap(k -> Stream.of(Arguments.of(k, 1L), Arguments.of(k, 0L)));
    }

    @ParameterizedTest(name = "{0} publishInterval={1}ms")
    @MethodSource("everyKind")
    void everySnapshotFastallocStatReadsFromALiveFileHoldsEveryInvariant(StatsPoolKind kind, long publishMs)
            throws Exception {
        try (StatsRegistry stats = StatsRegistry.builder().directory(dir)
                .publishInterval(Duration.ofMillis(publishMs)).build()) {
            Pool<long[]> pool = kind.create(PoolConfig.<long[]>builder().name("live")
                    .capacity(ConsistentReadsTest.CAPACITY).factory(() -> new long[1])
                    .recorder(kind.recorder(stats)).build());
            ConsistentReadsTest.Writers writers = new ConsistentReadsTest.Writers(pool, kind);
            writers.start();
            String out;
            try {
                out = fastallocStat("--count", Integer.toString(SNAPSHOTS), "--interval", "1", dir.toString());
            } finally {
                writers.stop();
            }
            check(out, 1);
        }
    }

    /** Checks every pool in every snapshot of the reader's output. */
    static void check(String out, int pools) {
        String[] snapshots = out.split("\n--\n");
        assertEquals(SNAPSHOTS, snapshots.length, "snapshots printed");
        Map<String, long[]> previous = new HashMap<>();
        long workedOn = 0;
        for (int n = 0; n < snapshots.length; n++) {
            Map<String, long[]> now = new HashMap<>();
            for (String line : snapshots[n].split("\n")) {
                Matcher m = LINE.matcher(line);
                PoolCounter counter = m.matches() ? counter(m.group(4)) : null;
                if (counter != null) { // the wait lines are checked by WaitPercentilesTest
                    long[] v = now.computeIfAbsent(m.group(2), k -> new long[PoolCounter.values().length]);
                    v[counter.ordinal()] = Long.parseLong(m.group(1).replace(",", ""));
                }
            }
            assertEquals(pools, now.size(), "pools in snapshot " + n + ":\n" + snapshots[n]);
            for (Map.Entry<String, long[]> e : now.entrySet()) {
                long[] v = e.getValue();
                long[] before = previous.getOrDefault(e.getKey(), new long[v.length]);
                String at = "snapshot " + n + ", pool " + e.getKey() + ":\n" + snapshots[n];
                long a = v[PoolCounter.ALLOCATIONS.ordinal()];
                long r = v[PoolCounter.RELEASES.ordinal()];
                long u = v[PoolCounter.IN_USE.ordinal()];
                long p = v[PoolCounter.PEAK_IN_USE.ordinal()];
                long c = v[PoolCounter.CAPACITY.ordinal()];
                assertTrue(r <= a, "releases <= allocations; " + at);
                assertTrue(0 <= u && u <= p && p <= c, "0 <= in-use <= peak <= capacity; " + at);
                assertTrue(p <= ConsistentReadsTest.MAX_OUT, "peak above the most objects ever out; " + at);
                for (PoolCounter counter : PoolCounter.values()) {
                    if (counter != PoolCounter.IN_USE && counter != PoolCounter.CAPACITY) {
                        assertTrue(v[counter.ordinal()] >= before[counter.ordinal()],
                                counter + " went back; " + at + "\nbefore: " + java.util.Arrays.toString(before));
                    }
                }
                if (a > before[PoolCounter.ALLOCATIONS.ordinal()]) {
                    workedOn++;
                }
            }
            previous = now;
        }
        assertTrue(workedOn > SNAPSHOTS / 10, "the snapshots should have seen the pools work: " + workedOn);
    }

    /** The PoolCounter a label's last word names, or null for another counter (a wait bucket). */
    private static PoolCounter counter(String label) {
        for (PoolCounter c : PoolCounter.values()) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        return null;
    }

    /** Runs fastalloc-stat in a JVM of its own, as a user would, and returns what it printed. */
    private static String fastallocStat(String... args) throws Exception {
        ChildJvm.Run run = ChildJvm.run(true, FastallocStat.class.getName(), args);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        return run.out();
    }
}
