package io.fastalloc.stats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code fastalloc-stat}: prints the pool counters of a running process that writes its statistics
 * to a directory ({@link StatsRegistry#mapped(Path)}), refreshing every second, as Aeron's
 * {@code AeronStat} does for Aeron's counters.
 *
 * <pre>
 * java -jar fastalloc-stats/target/fastalloc-stat.jar [--once] [--interval MILLIS] [--count N] DIRECTORY
 * </pre>
 *
 * (or, from a class path, {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ...
 * io.fastalloc.stats.FastallocStat DIRECTORY}). {@code DIRECTORY} may also be the statistics file in
 * it, as the header prints it. {@code --once} prints one snapshot, {@code --count N} prints N,
 * {@code --interval} sets the time between them. Each pool is printed as one line per counter:
 * counter id, value, label ({@code fastalloc <pool> <kind> <counter>}). The figures of one pool
 * agree with each other while the process works ({@code releases <= allocations},
 * {@code 0 <= in-use <= peak-in-use <= capacity}) and none is printed below what an earlier
 * snapshot printed for it, except in use and the capacity, which may fall.
 *
 * <p>Exit codes: 0 done; 1 bad arguments; 2 no such directory; 3 no statistics file in the
 * directory; 4 the file is not a fastalloc statistics file (bad magic number, section lengths that
 * do not match each other or the file's size, or a damaged counter record, found when the file is
 * opened or at any refresh); 5 the file was written by an
 * incompatible fastalloc version; 6 an I/O error; 7 the JVM lacks the flag Agrona needs (started
 * from a class path without {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, or from a
 * module path without {@code --add-exports java.base/jdk.internal.misc=org.agrona}). Errors are one
 * line on standard error, never a stack trace.
 */
public final class FastallocStat {
    /** Exit code: bad command-line arguments. */
    public static final int EXIT_USAGE = 1;
    /** Exit code: the directory does not exist. */
    public static final int EXIT_NO_DIRECTORY = StatsFileReader.NO_DIRECTORY;
    /** Exit code: the directory holds no statistics file. */
    public static final int EXIT_NO_FILE = StatsFileReader.NO_FILE;
    /** Exit code: the file is not a fastalloc statistics file (bad magic number, lengths or counter record). */
    public static final int EXIT_NOT_A_COUNTERS_FILE = StatsFileReader.NOT_A_COUNTERS_FILE;
    /** Exit code: the file has a layout version this reader does not understand. */
    public static final int EXIT_INCOMPATIBLE_VERSION = StatsFileReader.INCOMPATIBLE_VERSION;
    /** Exit code: reading failed. */
    public static final int EXIT_IO_ERROR = StatsFileReader.IO_ERROR;
    /** Exit code: the JVM was started without the flag Agrona needs (the error line names it). */
    public static final int EXIT_NO_AGRONA_ACCESS = 7;

    private static final String USAGE = "usage: fastalloc-stat [--once] [--interval MILLIS] [--count N] DIRECTORY";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private FastallocStat() {
    }

    /**
     * Runs the reader and exits with its exit code.
     *
     * @param args {@code [--once] [--interval MILLIS] DIRECTORY}
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the reader (for tests and embedding): with {@code --once} prints one snapshot and returns,
     * otherwise refreshes until interrupted or the writer's file goes away.
     *
     * @param args {@code [--once] [--interval MILLIS] DIRECTORY}
     * @param out  where the counters go
     * @param err  where the one-line error goes
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean once = false;
        long intervalMs = 1000;
        long count = Long.MAX_VALUE;
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--once".equals(a)) {
                once = true;
            } else if ("--interval".equals(a)) {
                if (i + 1 == args.length) {
                    err.println("fastalloc-stat: --interval needs a value in milliseconds; " + USAGE);
                    return EXIT_USAGE;
                }
                try {
                    intervalMs = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    intervalMs = -1;
                }
                if (intervalMs <= 0) {
                    err.println("fastalloc-stat: --interval: " + args[i] + " (expected: milliseconds > 0); " + USAGE);
                    return EXIT_USAGE;
                }
            } else if ("--count".equals(a)) {
                if (i + 1 == args.length) {
                    err.println("fastalloc-stat: --count needs a number of snapshots; " + USAGE);
                    return EXIT_USAGE;
                }
                try {
                    count = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count <= 0) {
                    err.println("fastalloc-stat: --count: " + args[i] + " (expected: snapshots > 0); " + USAGE);
                    return EXIT_USAGE;
                }
            } else if ("--help".equals(a) || "-h".equals(a)) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("-")) {
                err.println("fastalloc-stat: unknown option " + a + "; " + USAGE);
                return EXIT_USAGE;
            } else if (dir == null) {
                dir = a;
            } else {
                err.println("fastalloc-stat: more than one directory given; " + USAGE);
                return EXIT_USAGE;
            }
        }
        if (dir == null) {
            err.println("fastalloc-stat: no directory given; " + USAGE);
            return EXIT_USAGE;
        }
        if (!AgronaAccess.granted()) {
            err.println("fastalloc-stat: " + AgronaAccess.MISSING);
            return EXIT_NO_AGRONA_ACCESS;
        }
        try {
            return watch(Paths.get(dir), once ? 1 : count, intervalMs, out, err);
        } catch (StatsFileReader.Problem p) {
            err.println("fastalloc-stat: " + p.getMessage());
            return p.exitCode;
        } catch (RuntimeException | Error e) {
            err.println("fastalloc-stat: cannot read " + dir + ": " + e);
            return EXIT_IO_ERROR;
        }
    }

    private static int watch(Path dir, long snapshots, long intervalMs, PrintStream out, PrintStream err)
            throws StatsFileReader.Problem {
        try (StatsFileReader reader = StatsFileReader.open(dir)) {
            boolean clear = snapshots > 1 && System.console() != null;
            Map<String, long[]> reported = new HashMap<>();
            for (long n = 1; ; n++) {
                if (clear) {
                    out.print("\u001b[H\u001b[2J");
                }
                print(reader, reported, out);
                out.flush();
                if (n == snapshots) {
                    return 0;
                }
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                if (!Files.exists(reader.file)) {
                    err.println("fastalloc-stat: " + reader.file + " was removed (process " + reader.pid
                            + " closed its statistics)");
                    return 0;
                }
            }
        }
    }

    /**
     * Prints one snapshot: every pool's counters, each pool read so that its figures agree. The
     * writers store a pool's allocations before its releases and its peak before its in use, so
     * reading releases, then allocations, then in use, then the peak, then the capacity gives
     * {@code releases <= allocations}, {@code inUse <= peak} and {@code inUse <= capacity}; and no
     * figure printed is below the one printed for it before ({@code reported}, per pool).
     */
    private static void print(StatsFileReader reader, Map<String, long[]> reported, PrintStream out)
            throws StatsFileReader.Problem {
        // the writer may have changed the records since the last look: check them all before
        // printing any, so a damaged file ends the run without half a snapshot
        reader.records.check();
        Map<String, PoolLines> pools = new LinkedHashMap<>();
        reader.records.forEach((counterId, typeId, value, label) -> {
            int cut = label.lastIndexOf(' ');
            String pool = cut < 0 ? label : label.substring(0, cut);
            String word = label.substring(cut + 1);
            PoolCounter counter = PoolCounter.ofTypeId(typeId);
            if (counter != null) {
                pools.computeIfAbsent(pool, PoolLines::new).ids[counter.ordinal()] = counterId;
            } else if (typeId == WaitHistogram.BUCKET_TYPE_ID && WaitHistogram.bucketOf(word) >= 0) {
                pools.computeIfAbsent(pool, PoolLines::new).bucketIds[WaitHistogram.bucketOf(word)] = counterId;
            } else if (typeId == WaitHistogram.MAX_TYPE_ID) {
                pools.computeIfAbsent(pool, PoolLines::new).maxId = counterId;
            }
        });
        out.println(LocalTime.now().format(TIME) + " - fastalloc-stat " + reader.file + " (pid " + reader.pid
                + (reader.writerAlive() ? "" : ", not running") + ", started "
                + Instant.ofEpochMilli(reader.startTimeMs).atZone(ZoneId.systemDefault()).toLocalDateTime() + ')');
        out.println("======================================================================");
        for (PoolLines pool : pools.values()) {
            long[] v = readPool(reader.records, pool.ids,
                    reported.computeIfAbsent(pool.name, k -> new long[PoolCounter.values().length]));
            for (PoolCounter c : PoolCounter.values()) {
                int id = pool.ids[c.ordinal()];
                if (id >= 0) {
                    out.format("%4d: %,20d - %s %s%n", id, v[c.ordinal()], pool.name, c.label());
                }
            }
            if (pool.maxId >= 0) {
                long[] counts = new long[WaitHistogram.BUCKETS];
                for (int b = 0; b < counts.length; b++) {
                    counts[b] = pool.bucketIds[b] < 0 ? 0 : reader.records.value(pool.bucketIds[b]);
                }
                long longest = reader.records.value(pool.maxId); // after the buckets: see PoolStats
                out.format("   -: %,20d - %s wait-p50-ns%n", WaitHistogram.percentile(counts, 0.5, longest), pool.name);
                out.format("   -: %,20d - %s wait-p99-ns%n", WaitHistogram.percentile(counts, 0.99, longest),
                        pool.name);
                out.format("   -: %,20d - %s wait-p99.9-ns%n", WaitHistogram.percentile(counts, 0.999, longest),
                        pool.name);
                out.format("%4d: %,20d - %s %s%n", pool.maxId, longest, pool.name, WaitHistogram.MAX_LABEL);
            }
        }
        out.println("--");
    }

    /** One pool's counters in the file, found by the label they share ({@code fastalloc <pool> <kind>}). */
    private static final class PoolLines {
        final String name;
        final int[] ids = noCounters(PoolCounter.values().length);
        final int[] bucketIds = noCounters(WaitHistogram.BUCKETS);
        int maxId = -1;

        PoolLines(String name) {
            this.name = name;
        }
    }

    private static int[] noCounters(int n) {
        int[] ids = new int[n];
        Arrays.fill(ids, -1);
        return ids;
    }

    /** The order a pool's counters are read in; see {@link #print}. */
    private static final PoolCounter[] READ_ORDER = {
        PoolCounter.RELEASES, PoolCounter.ALLOCATIONS, PoolCounter.IN_USE, PoolCounter.PEAK_IN_USE,
        PoolCounter.CAPACITY, PoolCounter.EXHAUSTIONS, PoolCounter.WAITS, PoolCounter.WAIT_NANOS,
        PoolCounter.GROWTHS, PoolCounter.DISCARDS,
    };

    /** Reads one pool's counters in {@link #READ_ORDER} and returns the figures to print, by ordinal. */
    private static long[] readPool(CounterRecords records, int[] ids, long[] reported) {
        long[] v = new long[ids.length];
        for (PoolCounter c : READ_ORDER) {
            int id = ids[c.ordinal()];
            v[c.ordinal()] = id < 0 ? 0 : records.value(id);
        }
        int inUse = PoolCounter.IN_USE.ordinal();
        int peak = PoolCounter.PEAK_IN_USE.ordinal();
        int capacity = PoolCounter.CAPACITY.ordinal();
        v[peak] = Math.max(v[peak], v[inUse]); // a write-through in use may be read before its peak is raised
        for (PoolCounter c : PoolCounter.values()) {
            int i = c.ordinal();
            if (i != inUse && i != capacity) { // counts and the peak only rise
                v[i] = Math.max(v[i], reported[i]);
            }
            reported[i] = v[i];
        }
        return v;
    }
}
