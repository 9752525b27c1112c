package io.fastalloc.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

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
import java.util.TreeSet;

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
 *
 * <p><b>Contenders this build cannot run.</b> Runs use {@code shouldFailOnError(true)}, and
 * {@code PeersBenchmark}'s Stormpot 4.0 taps fail at setup on a JDK 17 build (Stormpot 3.2). So when the
 * selection holds {@code PeersBenchmark} and no {@code --param contender=...} is given, the report runs
 * {@code PeersBenchmark} in a {@code Runner} invocation of its own with {@code contender} set to its
 * {@code @Param} values less those {@link Contender#create} refuses with an {@link IllegalStateException} in
 * this JVM (the benchmark's forks have the same class path), and the rest of the selection in another
 * (a global {@code contender} param would replace the scenarios' {@code newObject} and {@code fixedPool}).
 * The header says what was left out. A {@code --param} given on the command line applies to every
 * benchmark of the selection, as always.
 *
 * <p><b>Not in the default selection</b> (too long for a quick run): {@code HandOffBenchmark} (10 forks
 * by default) and {@code MixedCallSiteBenchmark}. Run them with JMH and render their JSON files:
 * <pre>
 * java -jar fastalloc-bench/target/benchmarks.jar HandOffBenchmark -prof gc -rf json -rff handoff.json
 * java -jar fastalloc-bench/target/benchmarks.jar MixedCallSiteBenchmark -prof gc -rf json -rff mixed.json
 * java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report --from handoff.json mixed.json \
 *     --out target/benchmarks
 * </pre>
 * {@code --from} renders {@code HandOffBenchmark}'s group score (JMH's primary result of the
 * {@code handOff} group, not its {@code produce} and {@code consume} secondaries) as the median of the
 * per-fork means with the smallest and largest fork mean, the fork count and B/op:
 * where the host places the two threads changes the cross-thread cost between forks, so the forks
 * disagree more than a fork's iterations do and JMH's mean ± error would hide it. It renders
 * {@code MixedCallSiteBenchmark} as a table per method of {@code kind} by {@code others} ({@code alone},
 * {@code othersWarmed}) with the ratio {@code othersWarmed ÷ alone}.
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
    static final List<String> CLASS_ORDER = List.of("PeersBenchmark", "HandOffBenchmark", "MixedCallSiteBenchmark",
            "LatencyBenchmark", "GameEntityScenario", "RequestHandlingScenario", "ParticleScenario");

    /**
     * The benchmarks compared by the median of their per-fork means ({@link #forkTable}), each with the
     * contender its ratios are taken to (its floor).
     */
    static final Map<String, String> BY_FORK_MEDIAN = Map.of("HandOffBenchmark", "spscFreeQueue");

    /**
     * The benchmarks without a {@code contender} whose table crosses two params ({@link #pivotTable}).
     *
     * @param row    the param whose values are the rows
     * @param column the param whose values are the columns; the first value is the ratios' reference
     */
    record Pivot(String row, String column) {
    }

    /** The crossed tables, by benchmark class. */
    static final Map<String, Pivot> PIVOTS = Map.of("MixedCallSiteBenchmark", new Pivot("kind", "others"));

    /** The benchmark whose {@code contender} list is cut to what this build can run. */
    static final String PEERS_CLASS = PeersBenchmark.class.getName();
    /**
     * Matches every benchmark but {@code PeersBenchmark}'s (JMH finds a pattern anywhere in the name, so it is
     * anchored): as an exclude pattern, keeps {@code PeersBenchmark} alone.
     */
    static final String ALL_BUT_PEERS = "^(?!" + PEERS_CLASS.replace(".", "\\.") + "\\.)";
    /** Matches {@code PeersBenchmark}'s benchmarks: as an exclude pattern, drops them. */
    static final String ONLY_PEERS = "^" + PEERS_CLASS.replace(".", "\\.") + "\\.";

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
                    "an SPSC queue: neither side contends on its indices, and a close is a store "
                            + "(one releasing thread); measured as allocate + close on one thread"),
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

        /**
         * @return the fastest peer other than {@code new} (by time per operation: {@link #figure}), or
         *         {@code null}; never one of fastalloc's own contenders ({@link Contender#VIEWS} are not
         *         {@link Contender#PEERS})
         */
        JmhResult bestPeer() {
            JmhResult best = null;
            for (JmhResult r : rows) {
                if (Contender.PEERS.contains(r.label()) && !NEW.equals(r.label())
                        && (best == null || ratio(mode, figure(r), figure(best)) < 1)) {
                    best = r;
                }
            }
            return best;
        }

        /** @return whether the benchmark is compared by the median of its per-fork means ({@link #forkTable}) */
        boolean byForkMedian() {
            return BY_FORK_MEDIAN.containsKey(className);
        }

        /**
         * @param r one of the rows
         * @return the figure it is compared by: the median of its fork means where the benchmark is
         *         {@link #byForkMedian()} and the result has them, else JMH's score
         */
        double figure(JmhResult r) {
            return byForkMedian() && !r.forkMeans().isEmpty() ? r.forkMedian() : r.score();
        }

        /** @return the lower end of the row's spread: the smallest fork mean, or the 99.9% interval's */
        double low(JmhResult r) {
            return byForkMedian() && !r.forkMeans().isEmpty() ? r.forkMin() : r.low();
        }

        /** @return the upper end of the row's spread: the largest fork mean, or the 99.9% interval's */
        double high(JmhResult r) {
            return byForkMedian() && !r.forkMeans().isEmpty() ? r.forkMax() : r.high();
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
            Map<String, String> leftOut = peersLeftOut(o);
            leftOut.forEach((c, why) -> System.out.println("PeersBenchmark: leaving out " + c + ": " + why));
            Collection<RunResult> runs = run(o, leftOut.keySet());
            results.addAll(JmhResult.of(runs));
            try (OutputStream file = Files.newOutputStream(o.out.resolve("results.json"));
                 PrintStream ps = new PrintStream(file, false, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(runs);
            }
            source = o.settings + ", threads " + Arrays.toString(o.threads);
            if (!leftOut.isEmpty()) {
                source += "; PeersBenchmark without " + String.join(", ", leftOut.keySet())
                        + ", which this build cannot run: " + leftOut.values().iterator().next();
            }
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
     * Runs the selection once per thread count, with {@code -prof gc}: one {@code Runner} invocation per
     * thread count, or two where {@code PeersBenchmark} must leave contenders out ({@link #plan}).
     *
     * @param o       the command line
     * @param leftOut {@code PeersBenchmark} contenders to leave out ({@link #peersLeftOut})
     * @return every result, in run order
     * @throws RunnerException when JMH fails, or a benchmark throws
     */
    static Collection<RunResult> run(Options o, Set<String> leftOut) throws RunnerException {
        List<RunResult> runs = new ArrayList<>();
        Settings s = o.settings;
        List<String> peers = peersContenders();
        List<String> runnable = new ArrayList<>(peers);
        runnable.removeAll(leftOut);
        for (int t : o.threads) {
            List<String> includes = selection(o, t);
            for (Invocation inv : plan(includes, o.params, selectedClasses(includes), peers, runnable)) {
                ChainedOptionsBuilder b = new OptionsBuilder()
                        .addProfiler(GCProfiler.class)
                        .forks(s.forks())
                        .warmupIterations(s.warmups()).warmupTime(s.warmupTime())
                        .measurementIterations(s.measurements()).measurementTime(s.measurementTime())
                        .threads(t)
                        .shouldFailOnError(true);
                inv.includes().forEach(b::include);
                inv.excludes().forEach(b::exclude);
                inv.params().forEach(b::param);
                if (Runtime.version().feature() >= 24) {
                    // JCTools, Netty and JOL use sun.misc.Unsafe; JDK 24+ warns unless told otherwise
                    // (JDK 17 refuses the flag)
                    b.jvmArgsPrepend("--sun-misc-unsafe-memory-access=allow");
                }
                // no result file: the results come back from run(), and main writes them into the output
                // directory
                runs.addAll(new Runner(b.build()).run());
            }
        }
        return runs;
    }

    /**
     * @param o       the command line
     * @param threads the thread count
     * @return the JMH include patterns of the run at that thread count: the user's, else the default selection
     */
    static List<String> selection(Options o, int threads) {
        if (!o.includes.isEmpty()) {
            return List.copyOf(o.includes);
        }
        List<String> out = new ArrayList<>(Arrays.asList(EVERY_THREAD_COUNT));
        if (threads == 2) {
            out.addAll(Arrays.asList(TWO_THREADS_ONLY));
        }
        return out;
    }

    /**
     * @param includes JMH include patterns
     * @return the fully qualified names of the benchmark classes they select from this class path's
     *         benchmark list, as JMH selects them
     */
    static Set<String> selectedClasses(List<String> includes) {
        Set<String> out = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), includes, List.of())) {
            out.add(e.getUserClassQName());
        }
        return out;
    }

    /**
     * One {@code Runner} invocation of a run at one thread count.
     *
     * @param includes JMH include patterns
     * @param excludes JMH exclude patterns
     * @param params   the {@code @Param} values to set, by name
     */
    record Invocation(List<String> includes, List<String> excludes, Map<String, String[]> params) {
    }

    /**
     * Splits a run at one thread count into {@code Runner} invocations: one, the selection with the user's
     * params, unless the selection holds {@code PeersBenchmark}, the user set no {@code contender} and this
     * build cannot run all of its contenders; then {@code PeersBenchmark} alone with {@code contender} set to
     * {@code runnable}, and the rest of the selection (if any) with the user's params.
     *
     * @param includes the selection's include patterns
     * @param params   the user's {@code --param}s
     * @param selected the benchmark classes the selection holds ({@link #selectedClasses})
     * @param peers    {@code PeersBenchmark}'s {@code contender} values
     * @param runnable those this build can run, in the same order
     * @return the invocations, {@code PeersBenchmark}'s first
     */
    static List<Invocation> plan(List<String> includes, Map<String, String[]> params, Set<String> selected,
                                 List<String> peers, List<String> runnable) {
        if (!selected.contains(PEERS_CLASS) || params.containsKey(JmhResult.LABEL_PARAM) || runnable.equals(peers)) {
            return List.of(new Invocation(includes, List.of(), params));
        }
        List<Invocation> out = new ArrayList<>();
        if (!runnable.isEmpty()) {
            Map<String, String[]> peerParams = new LinkedHashMap<>(params);
            peerParams.put(JmhResult.LABEL_PARAM, runnable.toArray(new String[0]));
            out.add(new Invocation(includes, List.of(ALL_BUT_PEERS), peerParams));
        }
        if (selected.size() > 1) {
            out.add(new Invocation(includes, List.of(ONLY_PEERS), params));
        }
        return out;
    }

    /** @return {@code PeersBenchmark}'s {@code contender} values, in {@code @Param} order */
    static List<String> peersContenders() {
        try {
            return List.of(PeersBenchmark.Shared.class.getField(JmhResult.LABEL_PARAM).getAnnotation(Param.class)
                    .value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("PeersBenchmark.Shared has no contender field", e);
        }
    }

    /**
     * The {@code PeersBenchmark} contenders a run must leave out: none when the user sets {@code contender}
     * or the selection has no {@code PeersBenchmark}, else those this build cannot run ({@link #cannotRun}).
     *
     * @param o the command line
     * @return contender to why it cannot run, in {@code @Param} order
     */
    static Map<String, String> peersLeftOut(Options o) {
        if (o.params.containsKey(JmhResult.LABEL_PARAM)) {
            return Map.of();
        }
        for (int t : o.threads) {
            if (selectedClasses(selection(o, t)).contains(PEERS_CLASS)) {
                return cannotRun(peersContenders());
            }
        }
        return Map.of();
    }

    /**
     * Decides as the benchmark's setup does: makes each contender with {@link Contender#create} and closes it
     * again; one that throws {@link IllegalStateException} (the Stormpot 4.0 taps on a build with Stormpot
     * 3.2) cannot run in this build. The forks run on this class path, so what fails here fails there.
     *
     * @param contenders contender names
     * @return those that cannot run, each with the exception's message, in the given order
     */
    static Map<String, String> cannotRun(List<String> contenders) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : contenders) {
            try {
                Contender.create(c).close();
            } catch (IllegalStateException e) {
                out.put(c, e.getMessage());
            }
        }
        return out;
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
        sb.append("- Peers (on the class path of the report): ").append(peerVersions()).append('\n');
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
            boolean stormpot3 = "stormpot".equals(ga[1]) && version.startsWith("3.");
            out.add(ga[1] + " " + version + (stormpot3 ? " (no taps: a JDK 21+ build has 4.0)" : ""));
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
            Pivot pivot = PIVOTS.get(g.className());
            if (g.byForkMedian()) {
                forkTable(sb, g);
            } else if (pivot != null && pivots(g, pivot)) {
                pivotTable(sb, g, pivot);
            } else {
                table(sb, g);
                viewsNote(sb, g);
            }
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
                .append("`) at the thread count given; `new` and the fastest peer (Commons Pool 2, Netty `Recycler` ")
                .append("default and owner-pinned, Vibur, Stormpot and, in a JDK 21+ build, its 4.0 taps) come from ")
                .append("the same run. The tail column is p99.9 of single operations at ")
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

    /** Under a table with fastalloc's views ({@link Contender#VIEWS}): they are fastalloc's, not peers. */
    static void viewsNote(StringBuilder sb, Group g) {
        List<String> views = new ArrayList<>();
        for (JmhResult r : g.rows()) {
            if (Contender.VIEWS.contains(r.label())) {
                views.add("`" + r.label() + "`");
            }
        }
        if (!views.isEmpty()) {
            sb.append('\n').append(String.join(", ", views)).append(views.size() == 1 ? " is" : " are")
                    .append(" fastalloc's own (a `CachingPool` through a caller-held view), not a peer: never the ")
                    .append("best peer.\n");
        }
    }

    /**
     * A benchmark compared by the median of its per-fork means ({@link #BY_FORK_MEDIAN}): per contender the
     * median, the smallest and largest fork mean, the fork count, the medians' ratios to the floor and to
     * the fastest peer, and B/op (the median of the per-fork means of {@code gc.alloc.rate.norm}). For a
     * {@code @Group} benchmark the rows are JMH's primary result of the group; its methods' own scores
     * (secondary results) are left out.
     */
    static void forkTable(StringBuilder sb, Group g) {
        JmhResult floor = g.row(BY_FORK_MEDIAN.get(g.className()));
        JmhResult peer = g.bestPeer();
        boolean gc = g.gc();
        sb.append("Compared by the median of the per-fork means, not by JMH's mean \u00b1 error: the placement ")
                .append("of the two threads' vCPUs on the host (two hyper-threads of one core, or two cores) changes ")
                .append("the cross-thread cost from one fork to the next and stays put within a fork, so a fork's ")
                .append("iterations agree while the forks do not, and an error over all iterations hides that. ")
                .append("min and max are the smallest and largest fork mean. The score is the `").append(g.method())
                .append("` group's own (JMH's primary result; its methods' scores are left out); each operation ")
                .append("hands off one object, so ").append(g.unit()).append(" is per object.\n\n");
        sb.append("| contender | median ").append(g.unit()).append(" | min fork mean | max fork mean | forks |");
        if (floor != null) {
            sb.append(" \u00f7 floor (").append(floor.label()).append(") |");
        }
        if (peer != null) {
            sb.append(" \u00f7 best peer (").append(peer.label()).append(") |");
        }
        if (gc) {
            sb.append(" B/op |");
        }
        sb.append("\n|---|").append("---:|".repeat(4 + (floor != null ? 1 : 0) + (peer != null ? 1 : 0) + (gc ? 1 : 0)))
                .append('\n');
        for (JmhResult r : g.rows()) {
            boolean forks = !r.forkMeans().isEmpty();
            sb.append("| ").append(r.label()).append(" | ").append(num(g.figure(r))).append(" | ")
                    .append(forks ? num(r.forkMin()) : "n/a").append(" | ").append(forks ? num(r.forkMax()) : "n/a")
                    .append(" | ").append(forks ? r.forkMeans().size() : "n/a").append(" |");
            if (floor != null) {
                sb.append(' ').append(times(ratio(g.mode(), g.figure(r), g.figure(floor)))).append(" |");
            }
            if (peer != null) {
                sb.append(' ').append(times(ratio(g.mode(), g.figure(r), g.figure(peer)))).append(" |");
            }
            if (gc) {
                sb.append(' ').append(bytes(r.metricForkMedian("gc.alloc.rate.norm"))).append(" |");
            }
            sb.append('\n');
        }
    }

    /** @return whether every row of {@code g} has exactly the pivot's two params, each pair once */
    static boolean pivots(Group g, Pivot p) {
        Set<String> cells = new LinkedHashSet<>();
        for (JmhResult r : g.rows()) {
            if (!r.params().keySet().equals(Set.of(p.row(), p.column()))
                    || !cells.add(r.params().get(p.row()) + "|" + r.params().get(p.column()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A benchmark whose two params cross ({@link #PIVOTS}): a row per value of the row param, a column of
     * score ± error per value of the column param, then each later column's ratio to the first (the
     * reference, {@code ≈} where the intervals overlap), and B/op per column with {@code -prof gc}.
     */
    static void pivotTable(StringBuilder sb, Group g, Pivot p) {
        List<String> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        Map<String, JmhResult> cells = new LinkedHashMap<>();
        for (JmhResult r : g.rows()) {
            String row = r.params().get(p.row());
            String column = r.params().get(p.column());
            if (!rows.contains(row)) {
                rows.add(row);
            }
            if (!columns.contains(column)) {
                columns.add(column);
            }
            cells.put(row + "|" + column, r);
        }
        boolean gc = g.gc();
        String reference = columns.get(0);
        sb.append("One row per `").append(p.row()).append("`, one column per `").append(p.column())
                .append("` (JMH's score \u00b1 error), then each later column's ratio to `").append(reference)
                .append("` (\u2248: the two intervals overlap).\n\n");
        sb.append("| ").append(p.row()).append(" |");
        for (String c : columns) {
            sb.append(' ').append(c).append(' ').append(g.unit()).append(" \u00b1 error |");
        }
        for (String c : columns.subList(1, columns.size())) {
            sb.append(' ').append(c).append(" \u00f7 ").append(reference).append(" |");
        }
        if (gc) {
            for (String c : columns) {
                sb.append(" B/op ").append(c).append(" |");
            }
        }
        sb.append("\n|---|").append("---:|".repeat(2 * columns.size() - 1 + (gc ? columns.size() : 0))).append('\n');
        for (String row : rows) {
            JmhResult ref = cells.get(row + "|" + reference);
            sb.append("| ").append(row).append(" |");
            for (String c : columns) {
                JmhResult r = cells.get(row + "|" + c);
                sb.append(' ').append(r == null ? "n/a" : scoreCell(r)).append(" |");
            }
            for (String c : columns.subList(1, columns.size())) {
                sb.append(' ').append(ratioCell(cells.get(row + "|" + c), ref, g.mode())).append(" |");
            }
            if (gc) {
                for (String c : columns) {
                    JmhResult r = cells.get(row + "|" + c);
                    sb.append(' ').append(r == null ? "n/a" : bytes(r.metric("gc.alloc.rate.norm"))).append(" |");
                }
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
