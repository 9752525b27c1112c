package io.fastalloc.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The benchmark report: runs a quick selection of the JMH benchmarks (or reads JMH JSON result
 * files) and writes {@code docs/benchmarks/latest.md} (a table per benchmark and thread count:
 * score ± error, ratio to the floors and to each peer, B/op and GC figures from {@code -prof gc})
 * and {@code docs/benchmarks/latest.svg} (bars per contender per thread count), and prints the
 * Markdown.
 *
 * <pre>
 * java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report                 # quick run, about 5 min on 2 cores
 * java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report --from a.json b.json
 * options: --out DIR (default docs/benchmarks), --include REGEX (repeatable; replaces the quick selection),
 *          --param NAME=V1,V2 (repeatable; e.g. contender=fixedPool,mpmcQueue), --threads 1,2,
 *          --json FILE (keep the quick run's merged JSON)
 * </pre>
 *
 * <p>A ratio is this row's time per operation divided by the reference's (for throughput modes the
 * inverse), so above 1 means slower than the reference.
 */
public final class Report {
    /** The benchmarks of the quick run, as JMH include patterns, and at which thread counts. */
    static final String[] QUICK_EVERY_THREAD_COUNT = {
        "io\\.fastalloc\\.bench\\.PeersBenchmark\\.",
        "io\\.fastalloc\\.bench\\.GameEntityScenario\\.",
        "io\\.fastalloc\\.bench\\.RequestHandlingScenario\\.",
        "io\\.fastalloc\\.bench\\.ParticleScenario\\.",
    };
    /** Runs only at 2 threads (tail latency of shared pools). */
    static final String[] QUICK_TWO_THREADS = {"io\\.fastalloc\\.bench\\.LatencyBenchmark\\."};

    /** Reference columns, in order: the floors, then the peers. */
    static final List<String> REFERENCES = List.of("arrayStack", "mpmcQueue", "commonsPool2", "nettyRecycler",
            "vibur", "stormpot", "newObject");

    /** The order of the tables and chart panels: the micro-benchmarks first, then the scenarios. */
    static final List<String> CLASS_ORDER = List.of("PeersBenchmark", "LatencyBenchmark", "GameEntityScenario",
            "RequestHandlingScenario", "ParticleScenario");

    private Report() {
    }

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
    }

    /**
     * @param args see the class comment
     * @throws Exception when a run or a file fails
     */
    public static void main(String[] args) throws Exception {
        List<Path> from = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        Map<String, String[]> params = new LinkedHashMap<>();
        Path out = Paths.get("docs", "benchmarks");
        Path keepJson = null;
        int[] threads = {1, 2};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--from":
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        from.add(Paths.get(args[++i]));
                    }
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--include":
                    includes.add(args[++i]);
                    break;
                case "--param":
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("--param: " + args[i] + " (expected: NAME=V1,V2)");
                    }
                    params.put(kv[0], kv[1].split(","));
                    break;
                case "--json":
                    keepJson = Paths.get(args[++i]);
                    break;
                case "--threads":
                    String[] parts = args[++i].split(",");
                    threads = new int[parts.length];
                    for (int k = 0; k < parts.length; k++) {
                        threads[k] = Integer.parseInt(parts[k].trim());
                    }
                    break;
                default:
                    System.err.println("usage: Report [--from FILE...] [--out DIR] [--include REGEX]... "
                            + "[--param NAME=V1,V2]... [--threads 1,2] [--json FILE]");
                    System.exit(2);
            }
        }
        List<JmhResult> results = new ArrayList<>();
        String source;
        if (from.isEmpty()) {
            Path tmp = Files.createTempDirectory("fastalloc-report");
            List<Path> files = runQuick(includes, params, threads, tmp);
            for (Path f : files) {
                results.addAll(JmhResult.parse(Files.readString(f)));
            }
            if (keepJson != null) {
                Files.writeString(keepJson, mergeJson(files));
            }
            source = "quick run (`java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.bench.Report`): "
                    + QUICK_SETTINGS + ", `-prof gc`, threads " + Arrays.toString(threads);
        } else {
            List<String> names = new ArrayList<>();
            for (Path f : from) {
                results.addAll(JmhResult.parse(Files.readString(f)));
                names.add(f.getFileName().toString());
            }
            source = "JMH results read from " + String.join(", ", names)
                    + " (`Report --from`); run settings as in those files";
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("no benchmark results to report");
        }
        List<Group> groups = group(results);
        String md = markdown(groups, header(results, source));
        Files.createDirectories(out);
        Files.writeString(out.resolve("latest.md"), md);
        Files.writeString(out.resolve("latest.svg"), SvgChart.render(groups));
        System.out.println(md);
        System.out.println("Wrote " + out.resolve("latest.md") + " and " + out.resolve("latest.svg"));
    }

    static final String QUICK_SETTINGS = "1 fork, warmup 2 x 400 ms, measurement 3 x 400 ms";

    static List<Path> runQuick(List<String> includes, Map<String, String[]> params, int[] threads, Path dir)
            throws RunnerException {
        List<Path> files = new ArrayList<>();
        for (int t : threads) {
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .addProfiler(GCProfiler.class)
                    .forks(1)
                    .warmupIterations(2).warmupTime(TimeValue.milliseconds(400))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(400))
                    .threads(t);
            if (includes.isEmpty()) {
                for (String s : QUICK_EVERY_THREAD_COUNT) {
                    b.include(s);
                }
                if (t == 2) {
                    for (String s : QUICK_TWO_THREADS) {
                        b.include(s);
                    }
                }
            } else {
                includes.forEach(b::include);
            }
            params.forEach(b::param);
            if (Runtime.version().feature() >= 24) {
                // JCTools, Netty and JOL use sun.misc.Unsafe; JDK 24+ warns unless told otherwise (JDK 17 refuses the flag)
                b.jvmArgsPrepend("--sun-misc-unsafe-memory-access=allow");
            }
            Path file = dir.resolve("results-t" + t + ".json");
            b.resultFormat(ResultFormatType.JSON).result(file.toString());
            new Runner(b.build()).run();
            files.add(file);
        }
        return files;
    }

    /** @return the files' result arrays merged into one JSON array */
    static String mergeJson(List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        for (Path f : files) {
            String s = Files.readString(f).trim();
            String inner = s.length() >= 2 ? s.substring(1, s.length() - 1).trim() : "";
            if (!inner.isEmpty()) {
                if (sb.length() > 1) {
                    sb.append(",\n");
                }
                sb.append(inner);
            }
        }
        return sb.append("]\n").toString();
    }

    /**
     * Groups rows into tables: by benchmark method and other params in file order, then by thread count.
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
        // the questions in reading order; other classes after them, in file order (the sort is stable)
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

    static String header(List<JmhResult> results, String source) {
        JmhResult any = results.get(0);
        StringBuilder sb = new StringBuilder();
        sb.append("# fastalloc benchmarks\n\n");
        sb.append("Written by `io.fastalloc.bench.Report` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(".\n\n");
        sb.append("- Source: ").append(source).append('\n');
        sb.append("- JDK: ").append(any.jdkVersion()).append(", ").append(any.vmName()).append(' ')
                .append(any.vmVersion()).append('\n');
        sb.append("- Machine: ").append(machine()).append('\n');
        sb.append("- Peers: ").append(peerVersions()).append('\n');
        sb.append("- Ratios: this row's time per operation divided by the reference's (above 1 = slower). ")
                .append("B/op is `gc.alloc.rate.norm` from `-prof gc` (JMH's own bookkeeping shows as a few B/op on ")
                .append("operations that take milliseconds); GCs and GC ms are collections and their time during ")
                .append("the measurement.\n\n");
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
        sb.append("![bars per contender and thread count](latest.svg)\n\n");
        for (Group g : groups) {
            sb.append("## ").append(g.title()).append(" \u2014 ").append(g.threads())
                    .append(g.threads() == 1 ? " thread" : " threads").append("\n\n");
            if ("sample".equals(g.mode())) {
                sampleTable(sb, g);
            } else {
                scoreTable(sb, g);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void scoreTable(StringBuilder sb, Group g) {
        List<String> refs = new ArrayList<>();
        for (String ref : REFERENCES) {
            if (g.row(ref) != null) {
                refs.add(ref);
            }
        }
        boolean gc = g.rows().stream().anyMatch(r -> !Double.isNaN(r.metric("gc.alloc.rate.norm")));
        sb.append("| contender | ").append(g.unit()).append(" \u00b1 error |");
        for (String ref : refs) {
            sb.append(" \u00f7 ").append(ref).append(" |");
        }
        if (gc) {
            sb.append(" B/op | alloc MB/s | GCs | GC ms |");
        }
        sb.append("\n|---|---:|");
        sb.append("---:|".repeat(refs.size()));
        if (gc) {
            sb.append("---:|---:|---:|---:|");
        }
        sb.append('\n');
        for (JmhResult r : g.rows()) {
            sb.append("| ").append(r.label()).append(" | ").append(num(r.score()));
            if (!Double.isNaN(r.error())) {
                sb.append(" \u00b1 ").append(num(r.error()));
            }
            sb.append(" |");
            for (String ref : refs) {
                sb.append(' ').append(times(ratio(r.mode(), r.score(), g.row(ref).score()))).append(" |");
            }
            if (gc) {
                sb.append(' ').append(bytes(r.metric("gc.alloc.rate.norm"))).append(" | ")
                        .append(num(r.metric("gc.alloc.rate"))).append(" | ")
                        .append(count(r.metric("gc.count"))).append(" | ")
                        .append(count(r.metric("gc.time"))).append(" |");
            }
            sb.append('\n');
        }
    }

    private static void sampleTable(StringBuilder sb, Group g) {
        boolean gc = g.rows().stream().anyMatch(r -> !Double.isNaN(r.metric("gc.alloc.rate.norm")));
        String u = g.unit().replace("/op", "");
        sb.append("| contender | p50 ").append(u).append(" | p99 ").append(u).append(" | p99.9 ").append(u)
                .append(" | max ").append(u).append(" | mean ").append(u).append(" |").append(gc ? " B/op |" : "")
                .append("\n|---|---:|---:|---:|---:|---:|").append(gc ? "---:|" : "").append('\n');
        for (JmhResult r : g.rows()) {
            sb.append("| ").append(r.label()).append(" | ")
                    .append(num(percentile(r, "50.0"))).append(" | ")
                    .append(num(percentile(r, "99.0"))).append(" | ")
                    .append(num(percentile(r, "99.9"))).append(" | ")
                    .append(num(percentile(r, "100.0"))).append(" | ")
                    .append(num(r.score())).append(" |");
            if (gc) {
                sb.append(' ').append(bytes(r.metric("gc.alloc.rate.norm"))).append(" |");
            }
            sb.append('\n');
        }
    }

    static double percentile(JmhResult r, String key) {
        Double d = r.percentiles().get(key);
        return d == null ? Double.NaN : d;
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

    /** @return a ratio as {@code 1.85x}, or "n/a" */
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

    private static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }
}
