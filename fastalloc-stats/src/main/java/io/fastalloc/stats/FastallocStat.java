package io.fastalloc.stats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code fastalloc-stat}: prints the pool counters of a running process that writes its statistics
 * to a directory ({@link StatsRegistry#mapped(Path)}), refreshing every second, as Aeron's
 * {@code AeronStat} does for Aeron's counters.
 *
 * <pre>
 * java -jar fastalloc-stats/target/fastalloc-stat.jar [--once] [--interval MILLIS] DIRECTORY
 * </pre>
 *
 * (or, from a class path, {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ...
 * io.fastalloc.stats.FastallocStat DIRECTORY}). Each pool is printed as one line per counter:
 * counter id, value, label ({@code fastalloc <pool> <kind> <counter>}).
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

    private static final String USAGE = "usage: fastalloc-stat [--once] [--interval MILLIS] DIRECTORY";
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
            return watch(Paths.get(dir), once, intervalMs, out, err);
        } catch (StatsFileReader.Problem p) {
            err.println("fastalloc-stat: " + p.getMessage());
            return p.exitCode;
        } catch (RuntimeException | Error e) {
            err.println("fastalloc-stat: cannot read " + dir + ": " + e);
            return EXIT_IO_ERROR;
        }
    }

    private static int watch(Path dir, boolean once, long intervalMs, PrintStream out, PrintStream err)
            throws StatsFileReader.Problem {
        try (StatsFileReader reader = StatsFileReader.open(dir)) {
            boolean clear = !once && System.console() != null;
            while (true) {
                if (clear) {
                    out.print("\u001b[H\u001b[2J");
                }
                print(reader, out);
                out.flush();
                if (once) {
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

    private static void print(StatsFileReader reader, PrintStream out) throws StatsFileReader.Problem {
        // the writer may have changed the records since the last look: check them all before
        // printing any, so a damaged file ends the run without half a snapshot
        reader.records.check();
        out.println(LocalTime.now().format(TIME) + " - fastalloc-stat " + reader.file + " (pid " + reader.pid
                + (reader.writerAlive() ? "" : ", not running") + ", started "
                + Instant.ofEpochMilli(reader.startTimeMs).atZone(ZoneId.systemDefault()).toLocalDateTime() + ')');
        out.println("======================================================================");
        reader.records.forEach((counterId, typeId, value, label) -> {
            if (PoolCounter.ofTypeId(typeId) != null) {
                out.format("%4d: %,20d - %s%n", counterId, value, label);
            }
        });
        out.println("--");
    }
}
