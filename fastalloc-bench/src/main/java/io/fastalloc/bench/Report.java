package io.fastalloc.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The benchmark report: runs a selection of the JMH benchmarks through {@code Runner.run()} and
 * writes, into one output directory and nowhere else:
 * <ul>
 *   <li>{@code latest.md}: a recommendation table (access pattern, the kind to use, its cost against
 *       {@code new} and the best peer of the same run), what pooling buys in the scenarios (time, tail
 *       latency, allocation rate, collections), then a table per benchmark and thread count;</li>
 *   <li>{@code latest.svg}: every score with its 99.9% confidence interval on a logarithmic axis
 *       (JFreeChart, through JFreeSVG);</li>
 *   <li>{@code results.json}: the run's results in JMH's own JSON format, which {@code --from}
 *       renders again.</li>
 * </ul>
 *
 * <pre>
 * java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report  # quick run into target/benchmarks
 * java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report --full --out docs/benchmarks
 * options: --out DIR (default target/benchmarks), --full (2 forks, 3 x 1 s warm-up, 5 x 1 s measurement),
 *          --smoke (1 fork, 1 x 100 ms warm-up, 2 x 100 ms measurement: checks the plumbing, no figures),
 *          --include REGEX (repeatable; replaces the default selection), --param NAME=V1,V2 (repeatable),
 *          --threads 1,2, --from FILE... (render JMH JSON files instead of running)
 * </pre>
 *
 * <p>A ratio is this row's time per operation divided by the reference's (for throughput modes the
 * inverse), so above 1 means slower than the reference.
 */
public final class Report {
    /** The benchmarks of a run, as JMH include patterns, at every thread count. */
    static final String[] EVERY_THREAD_COUNT = {
        "io\\.fastalloc\\.bench\\.PeersBenchmark\\.",
        "io\\.fastalloc\\.bench\\.GameEntityScenario\\.",
        "io\\.fastalloc\\.bench\\.RequestHandlingScenario\\.",
        "io\\.fastalloc\\.bench\\.ParticleScenario\\.",
    };
    /** Runs only at 2 threads (tail latency of shared pools). */
    static final String[] TWO_THREADS_ONLY = {"io\\.fastalloc\\.bench\\.LatencyBenchmark\\."};

    /** The plain-{@code new} contender: the first reference of every table that has it. */
    static final String NEW = "newObject";

    /** The order of the tables and chart panels: the micro-benchmarks first, then the scenarios. */
    static final List<String> CLASS_ORDER = List.of("PeersBenchmark", "LatencyBenchmark", "GameEntityScenario",
            "RequestHandlingScenario", "ParticleScenario");

    /** Where the recommendation table takes its costs from. */
    static final String COST_CLASS = "PeersBenchmark";
    /** Where the recommendation table takes its tails from (at 2 threads). */
    static final String TAIL_CLASS = "LatencyBenchmark";

    /** The command line of the report, as the README gives it. */
    static final String COMMAND = "java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report";

    private Report() {
    }

    /**
     * One row of the recommendation table: an access pattern, the kind for it and why.
     *
     * @param pattern who allocates and who closes
     * @param kind    the recommended kind's {@code @Param} name
     * @param threads the thread count whose figures stand for the pattern
     * @param why     one line of reason
     */
    record Pattern(String pattern, String kind, int threads, String why) {
    }

    /** The access patterns of docs/performance_guide.md, section 1, and the kind each calls for. */
    static final List<Pattern> PATTERNS = List.of(
            new Pattern("one thread allocates and closes (game loop, event loop)", "fixedPool", 1,
                    "plain field accesses: no lock, no atomic instruction"),
            new Pattern("each thread allocates and closes its own objects (request handlers, workers)",
                    "threadLocalPool", 2, "each thread works in its own part; memory is capacity x threads"),
            new Pattern("many threads, or virtual threads, share one bounded capacity", "cachingPool", 2,
                    "per-stripe magazines in front of one shared depot"),
            new Pattern("a producer allocates, a consumer closes (hand-off)", "spscPool", 1,
                    "an SPSC queue: neither side contends on its indices (one CAS per close, on the slot); "
                            + "measured as allocate + close on one thread"),
            new Pattern("any thread allocates and closes, and threads wait when it is empty", "threadSafePool", 2,
                    "one lock; waiters park on a Condition instead of polling"),
            new Pattern("any thread allocates and closes, and none may block on a lock", "mpmcPool", 2,
                    "lock-free queue of free slots, but every operation moves its shared indices"));

    /**
     * How long a run measures.
     *
     * @param name            as the report names it
     * @param forks           forks per benchmark and param set
     * @param warmups         warm-up iterations
     * @param warmupTime      each warm-up iteration
     * @param measurements    measurement iterations
     * @param measurementTime each measurement iteration
     */
    record Settings(String name, int forks, int warmups, TimeValue warmupTime, int measurements,
                    TimeValue measurementTime) {
        @Override
        public String toString() {
            return name + " run: " + forks + (forks == 1 ? " fork" : " forks") + ", warm-up " + warmups + " x "
                    + warmupTime + ", measurement " + measurements + " x " + measurementTime + ", `-prof gc`";
        }
    }

    /** The default: a few minutes on 2 cores. */
    static final Settings QUICK = new Settings("quick", 1, 2, TimeValue.milliseconds(400), 3,
            TimeValue.milliseconds(400));
    /** The run behind the checked-in report: the benchmarks' own annotations' iterations, 2 forks. */
    static final Settings FULL = new Settings("full", 2, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1));
    /** Checks that everything runs and renders; its figures mean nothing. */
    static final Settings SMOKE = new Settings("smoke", 1, 1, TimeValue.milliseconds(100), 2,
            TimeValue.milliseconds(100));

    /** One table: a benchmark method with one set of other params at one thread count. */
    record Group(String className, String method, String otherParams, String mode, int threads, List<JmhResult> rows) {
        String title() {
            return className + "." + method + (otherParams.isEmpty() ? "" : " (" + otherParams + ")");
        }

        String unit() {
            return rows.get(0).unit();
        }

        JmhResult row(String label) {
            for (JmhResult r : rows) {
                if (r.label().equals(label)) {
                    return r;
                }
            }
            return null;
        }

        boolean sample() {
            return "sample".equals(mode);
        }

        boolean gc() {
            return rows.stream().anyMatch(r -> !Double.isNaN(r.metric("gc.alloc.rate.norm")));
        }

        /** @return the fastest peer other than {@code new} (by time per operation), or {@code null} */
        JmhResult bestPeer() {
            JmhResult best = null;
            for (JmhResult r : rows) {
                if (Contender.PEERS.contains(r.label()) && !NEW.equals(r.label())
                        && (best == null || ratio(mode, r.score(), best.score()) < 1)) {
                    best = r;
                }
            }
            return best;
        }
    }

    /** The parsed command line. */
    static final class Options {
        final List<Path> from = new ArrayList<>();
        final List<String> includes = new ArrayList<>();
        final Map<String, String[]> params = new LinkedHashMap<>();
        Path out = Paths.get("target", "benchmarks");
        Settings settings = QUICK;
        int[] threads = {1, 2};

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--from":
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            o.from.add(Paths.get(args[++i]));
                        }
                        break;
                    case "--out":
                        o.out = Paths.get(value(args, ++i));
                        break;
                    case "--full":
                        o.settings = FULL;
                        break;
                    case "--smoke":
                        o.settings = SMOKE;
                        break;
                    case "--include":
                        o.includes.add(value(args, ++i));
                        break;
                    case "--param":
                        String[] kv = value(args, ++i).split("=", 2);
                        if (kv.length != 2) {
                            throw new IllegalArgumentException("--param: " + args[i] + " (expected: NAME=V1,V2)");
                        }
                        o.params.put(kv[0], kv[1].split(","));
                        break;
                    case "--threads":
                        String[] parts = value(args, ++i).split(",");
                        o.threads = new int[parts.length];
                        for (int k = 0; k < parts.length; k++) {
                            o.threads[k] = Integer.parseInt(parts[k].trim());
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("argument: " + args[i] + " (expected: [--full | --smoke] "
                                + "[--out DIR] [--include REGEX]... [--param NAME=V1,V2]... [--threads 1,2] "
                                + "| --from FILE... [--out DIR])");
                }
            }
            return o;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + ": missing value");
            }
            return args[i];
        }
    }

    /**
     * @param args see the class comment
     * @throws Exception when a run or a file fails
     */
    public static void main(String[] args) throws Exception {
        // the chart is drawn off screen: no display needed, and none may be opened
        System.setProperty("java.awt.headless", "true");
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<JmhResult> results = new ArrayList<>();
        String source;
        Files.createDirectories(o.out);
        if (o.from.isEmpty()) {
            Collection<RunResult> runs = run(o);
            results.addAll(JmhResult.of(runs));
            try (OutputStream file = Files.newOutputStream(o.out.resolve("results.json"));
                 PrintStream ps = new PrintStream(file, false, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(runs);
            }
            source = o.settings + ", threads " + Arrays.toString(o.threads);
        } else {
            List<String> names = new ArrayList<>();
            for (Path f : o.from) {
                results.addAll(JmhResult.readJson(Files.readString(f)));
                names.add(f.toString());
            }
            source = "JMH results read from " + String.join(", ", names);
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("no benchmark results to report");
        }
        List<Group> groups = group(results);
        String md = markdown(groups, header(results, source, command(args)));
        Files.writeString(o.out.resolve("latest.md"), md);
        Files.writeString(o.out.resolve("latest.svg"), ReportChart.svg(groups));
        System.out.println(md);
        System.out.println("Wrote " + o.out.resolve("latest.md") + ", " + o.out.resolve("latest.svg")
                + (o.from.isEmpty() ? " and " + o.out.resolve("results.json") : ""));
    }

    /** @return the command that wrote the report, arguments quoted for a POSIX shell where needed */
    static String command(String[] args) {
        StringBuilder sb = new StringBuilder(COMMAND);
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /**
     * Runs the selection once per thread count, with {@code -prof gc}.
     *
     * @param o the command line
     * @return every result, in run order
     * @throws RunnerException when JMH fails, or a benchmark throws
     */
    static Collection<RunResult> run(Options o) throws RunnerException {
        List<RunResult> runs = new ArrayList<>();
        Settings s = o.settings;
        for (int t : o.threads) {
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .addProfiler(GCProfiler.class)
                    .forks(s.forks())
                    .warmupIterations(s.warmups()).warmupTime(s.warmupTime())
                    .measurementIterations(s.measurements()).measurementTime(s.measurementTime())
                    .threads(t)
                    .shouldFailOnError(true);
            if (o.includes.isEmpty()) {
                for (String p : EVERY_THREAD_COUNT) {
                    b.include(p);
                }
                if (t == 2) {
                    for (String p : TWO_THREADS_ONLY) {
                        b.include(p);
                    }
                }
            } else {
                o.includes.forEach(b::include);
            }
            o.params.forEach(b::param);
            if (Runtime.version().feature() >= 24) {
                // JCTools, Netty and JOL use sun.misc.Unsafe; JDK 24+ warns unless told otherwise
                // (JDK 17 refuses the flag)
                b.jvmArgsPrepend("--sun-misc-unsafe-memory-access=allow");
            }
            // no result file: the results come back from run(), and main writes them into the output directory
            runs.addAll(new Runner(b.build()).run());
        }
        return runs;
    }

    /**
     * Groups rows into tables: by benchmark method and other params in input order, then by thread count.
     *
     * @param results the rows
     * @return the tables
     */
    static List<Group> group(List<JmhResult> results) {
        Map<String, Map<Integer, List<JmhResult>>> byKey = new LinkedHashMap<>();
        for (JmhResult r : results) {
            String key = r.benchmark() + "|" + r.mode() + "|" + r.otherParams();
            byKey.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(r.threads(), k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        byKey.forEach((key, byThreads) -> byThreads.forEach((t, rows) -> {
            JmhResult first = rows.get(0);
            groups.add(new Group(first.className(), first.method(), first.otherParams(), first.mode(), t, rows));
        }));
        // the questions in reading order; other classes after them, in input order (the sort is stable)
        groups.sort(Comparator.comparingInt(g -> {
            int i = CLASS_ORDER.indexOf(g.className());
            return i < 0 ? CLASS_ORDER.size() : i;
        }));
        return groups;
    }

    /**
     * @param mode      the JMH mode
     * @param score     this row's score
     * @param reference the reference's score
     * @return how many times the reference's time per operation this row takes (above 1 = slower),
     *         NaN when either is missing or not positive
     */
    static double ratio(String mode, double score, double reference) {
        if (!(score > 0) || !(reference > 0)) {
            return Double.NaN;
        }
        return "thrpt".equals(mode) ? reference / score : score / reference;
    }

    /**
     * @return whether the two scores' 99.9% confidence intervals overlap, so that the run does not tell
     *         them apart; {@code false} when either has no error
     */
    static boolean overlap(JmhResult a, JmhResult b) {
        if (Double.isNaN(a.error()) || Double.isNaN(b.error())) {
            return false;
        }
        return a.low() <= b.high() && b.low() <= a.high();
    }

    /**
     * @return the ratio of {@code row} to {@code reference} as {@code 1.85×}, {@code ≈} before it
     *         when their intervals overlap
     */
    static String ratioCell(JmhResult row, JmhResult reference, String mode) {
        if (row == null || reference == null) {
            return "n/a";
        }
        String r = times(ratio(mode, row.score(), reference.score()));
        return row != reference && overlap(row, reference) ? "\u2248" + r : r;
    }

    static String header(List<JmhResult> results, String source, String command) {
        JmhResult any = results.get(0);
        Set<String> settings = new LinkedHashSet<>();
        for (JmhResult r : results) {
            settings.add(r.forks() + (r.forks() == 1 ? " fork" : " forks") + ", warm-up " + r.warmup()
                    + ", measurement " + r.measurement());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# fastalloc benchmarks\n\n");
        sb.append("Written by `io.fastalloc.bench.Report` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" with\n\n```bash\n").append(command).append("\n```\n\n");
        sb.append("- Source: ").append(source).append('\n');
        sb.append("- JMH settings in the results: ").append(String.join("; ", settings)).append('\n');
        sb.append("- JDK: ").append(any.jdkVersion()).append(", ").append(any.vmName()).append(' ')
                .append(any.vmVersion()).append('\n');
        sb.append("- Machine: ").append(machine()).append('\n');
        sb.append("- Peers: ").append(peerVersions()).append('\n');
        sb.append("- How to read: `x ± e` is JMH's score and the half-width of its 99.9% confidence interval. ")
                .append("A ratio is this row's time per operation divided by the reference's (above 1 = slower); ")
                .append("`\u2248` before a ratio: the two intervals overlap, so this run does not tell them apart. ")
                .append("B/op, alloc MB/s, GCs and GC ms come from `-prof gc` (`gc.alloc.rate.norm`, `gc.alloc.rate`, ")
                .append("`gc.count`, `gc.time`: collections and their time during the measurement; JMH's own ")
                .append("per-iteration bookkeeping shows as up to some thousands of B/op on operations that take ")
                .append("milliseconds: read the allocation rate and the collections there). Percentiles come from ")
                .append("JMH's `SampleTime` mode, one timed operation per sample; with fewer than 1,000 samples ")
                .append("p99.9 is the largest sample.\n\n");
        return sb.toString();
    }

    /** @return cores, OS, architecture and CPU model of the machine it runs on */
    static String machine() {
        String cpu = "";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = ", " + line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no CPU model
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + ' '
                + System.getProperty("os.version") + ' ' + System.getProperty("os.arch") + cpu
                + " (the machine that wrote the report; java.vm.version " + System.getProperty("java.vm.version") + ")";
    }

    /** @return the versions of the peer libraries on the class path */
    static String peerVersions() {
        String[][] gav = {
            {"org.apache.commons", "commons-pool2"}, {"io.netty", "netty-common"}, {"org.vibur", "vibur-object-pool"},
            {"com.github.chrisvest", "stormpot"}, {"org.jctools", "jctools-core"}, {"org.openjdk.jmh", "jmh-core"},
        };
        List<String> out = new ArrayList<>();
        for (String[] ga : gav) {
            String path = "/META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties";
            String version = "?";
            try (InputStream in = Report.class.getResourceAsStream(path)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    version = p.getProperty("version", "?");
                }
            } catch (IOException e) {
                // leave "?"
            }
            out.add(ga[1] + " " + version);
        }
        return String.join(", ", out);
    }

    static String markdown(List<Group> groups, String header) {
        StringBuilder sb = new StringBuilder(header);
        recommendations(sb, groups);
        scenarioSummary(sb, groups);
        sb.append("## Every result\n\n");
        sb.append("![every score with its 99.9% confidence interval, log scale](latest.svg)\n\n");
        for (Group g : groups) {
            sb.append("### ").append(g.title()).append(" \u2014 ").append(g.threads())
                    .append(g.threads() == 1 ? " thread" : " threads").append("\n\n");
            table(sb, g);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Group find(List<Group> groups, String className, int threads) {
        for (Group g : groups) {
            if (g.className().equals(className) && g.threads() == threads && g.otherParams().isEmpty()) {
                return g;
            }
        }
        return null;
    }

    /** The opening table: per access pattern, the kind to use and what it cost in this run. */
    static void recommendations(StringBuilder sb, List<Group> groups) {
        List<String> rows = new ArrayList<>();
        for (Pattern p : PATTERNS) {
            Group g = find(groups, COST_CLASS, p.threads());
            JmhResult kind = g == null ? null : g.row(p.kind());
            if (kind == null) {
                continue;
            }
            JmhResult fresh = g.row(NEW);
            JmhResult peer = g.bestPeer();
            Group tails = find(groups, TAIL_CLASS, 2);
            JmhResult kindTail = tails == null ? null : tails.row(p.kind());
            JmhResult newTail = tails == null ? null : tails.row(NEW);
            String u = g.unit().replace("/op", "");
            rows.add("| " + p.pattern() + " | `" + p.kind() + "` | " + p.why() + " | " + p.threads()
                    + " | " + scoreCell(kind) + " " + u + ", " + bytes(kind.metric("gc.alloc.rate.norm")) + " B/op"
                    + " | " + (fresh == null ? "n/a" : scoreCell(fresh) + " " + u + ", "
                            + bytes(fresh.metric("gc.alloc.rate.norm")) + " B/op")
                    + " | " + (peer == null ? "n/a" : peer.label() + " " + scoreCell(peer) + " " + u)
                    + " | " + ratioCell(kind, fresh, g.mode()) + " | " + ratioCell(kind, peer, g.mode())
                    + " | " + (kindTail == null || newTail == null ? "n/a"
                            : num(kindTail.percentile(99.9)) + " / " + num(newTail.percentile(99.9)))
                    + " |");
        }
        if (rows.isEmpty()) {
            return;
        }
        sb.append("## Which kind for which access pattern\n\n");
        sb.append("Costs are one allocate + write a field + close per thread (`").append(COST_CLASS)
                .append("`) at the thread count given; `new` and the fastest peer (Commons Pool 2, Netty `Recycler`, ")
                .append("Vibur, Stormpot) come from the same run. The tail column is p99.9 of single operations at ")
                .append("2 threads (`").append(TAIL_CLASS).append("`), this kind against `new`. The pattern-to-kind ")
                .append("mapping is `docs/performance_guide.md`, section 1; the figures are this run's.\n\n");
        sb.append("| access pattern | use | why | threads | its cost | `new` | best peer | \u00f7 `new` "
                + "| \u00f7 best peer | tail p99.9 ns: it / `new` |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n');
    }

    /** What pooling buys in each scenario: time, tail, allocation rate and collections, pooled against {@code new}. */
    static void scenarioSummary(StringBuilder sb, List<Group> groups) {
        List<String> rows = new ArrayList<>();
        for (Group g : groups) {
            JmhResult fresh = g.row(NEW);
            if (!g.className().endsWith("Scenario") || fresh == null) {
                continue;
            }
            String u = g.unit().replace("/op", "");
            for (JmhResult r : g.rows()) {
                if (r == fresh) {
                    continue;
                }
                rows.add("| " + g.className() + (g.otherParams().isEmpty() ? "" : " (" + g.otherParams() + ")")
                        + " | " + g.threads() + " | `" + r.label() + "` | " + num(r.score())
                        + " / " + num(fresh.score()) + " " + u + " | " + ratioCell(r, fresh, g.mode())
                        + " | " + pair(r.percentile(99.0), fresh.percentile(99.0))
                        + " | " + pair(r.percentile(100.0), fresh.percentile(100.0))
                        + " | " + pair(r.metric("gc.alloc.rate"), fresh.metric("gc.alloc.rate"))
                        + " | " + count(r.metric("gc.count")) + " / " + count(fresh.metric("gc.count"))
                        + " | " + gcTime(r) + " / " + gcTime(fresh) + " |");
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        sb.append("## What pooling buys in the scenarios\n\n");
        sb.append("Each cell is pooled / `new`, per operation (one frame, or one batch of requests) on each thread. ")
                .append("The JVM's allocation is cheap, so the mean time per operation can favour `new`; what the ")
                .append("pool removes is the allocation, and with it the collections and the pauses they put into ")
                .append("the tail.\n\n");
        sb.append(
                "| scenario | threads | pooled | mean time | \u00f7 `new` | p99 | max | alloc MB/s | GCs | GC ms |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n');
    }

    private static String pair(double pooled, double fresh) {
        return num(pooled) + " / " + num(fresh);
    }

    /** One benchmark at one thread count: score, ratios to {@code new} and the best peer, percentiles, GC. */
    static void table(StringBuilder sb, Group g) {
        JmhResult fresh = g.row(NEW);
        JmhResult peer = g.bestPeer();
        boolean gc = g.gc();
        boolean sample = g.sample();
        String u = g.unit().replace("/op", "");
        sb.append("| contender | ").append(sample ? "mean " : "").append(g.unit()).append(" \u00b1 error |");
        if (fresh != null) {
            sb.append(" \u00f7 `new` |");
        }
        if (peer != null) {
            sb.append(" \u00f7 best peer (").append(peer.label()).append(") |");
        }
        if (sample) {
            sb.append(" p50 ").append(u).append(" | p99 ").append(u).append(" | p99.9 ").append(u)
                    .append(" | max ").append(u).append(" | samples |");
        }
        if (gc) {
            sb.append(" B/op | alloc MB/s | GCs | GC ms |");
        }
        sb.append("\n|---|---:|");
        int numeric = (fresh != null ? 1 : 0) + (peer != null ? 1 : 0) + (sample ? 5 : 0) + (gc ? 4 : 0);
        sb.append("---:|".repeat(numeric)).append('\n');
        for (JmhResult r : g.rows()) {
            sb.append("| ").append(r.label()).append(" | ").append(scoreCell(r)).append(" |");
            if (fresh != null) {
                sb.append(' ').append(ratioCell(r, fresh, g.mode())).append(" |");
            }
            if (peer != null) {
                sb.append(' ').append(ratioCell(r, peer, g.mode())).append(" |");
            }
            if (sample) {
                sb.append(' ').append(num(r.percentile(50.0))).append(" | ").append(num(r.percentile(99.0)))
                        .append(" | ").append(num(r.percentile(99.9))).append(" | ").append(num(r.percentile(100.0)))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", r.samples())).append(" |");
            }
            if (gc) {
                sb.append(' ').append(bytes(r.metric("gc.alloc.rate.norm"))).append(" | ")
                        .append(num(r.metric("gc.alloc.rate"))).append(" | ")
                        .append(count(r.metric("gc.count"))).append(" | ")
                        .append(gcTime(r)).append(" |");
            }
            sb.append('\n');
        }
    }

    /** @return {@code score ± error}, or the score alone when JMH gave no error */
    static String scoreCell(JmhResult r) {
        return Double.isNaN(r.error()) ? num(r.score()) : num(r.score()) + " \u00b1 " + num(r.error());
    }

    /** @return the number with about three significant digits, or "n/a" */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** @return a ratio as {@code 1.85×}, or "n/a" */
    static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f\u00d7", ratio);
    }

    /** @return bytes per operation: 0 below 0.01 (JMH's noise floor), else rounded */
    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v < 0.01) {
            return "0";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** @return the collections' time in ms; 0 when no collection ran (JMH then records no time at all) */
    static String gcTime(JmhResult r) {
        double t = r.metric("gc.time");
        if (Double.isNaN(t) && r.metric("gc.count") == 0) {
            return "0";
        }
        return count(t);
    }
}
