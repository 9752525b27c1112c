package io.fastalloc.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.SampleTimeResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.SampleBuffer;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report, rendered from synthetic {@link RunResult}s built with JMH's own classes, and from a JSON fixture. */
class ReportTest {
    private static final String PEERS = "io.fastalloc.bench.PeersBenchmark.allocateWriteClose";
    private static final String LATENCY = "io.fastalloc.bench.LatencyBenchmark.allocateWriteClose";
    private static final String PARTICLES = "io.fastalloc.bench.ParticleScenario.frame";
    private static final String HAND_OFF = "io.fastalloc.bench.HandOffBenchmark.handOff";
    private static final String MIXED = "io.fastalloc.bench.MixedCallSiteBenchmark.";
    private static final List<String> TAPS = List.of("stormpotSingleThreadedTap", "stormpotThreadSafeTap",
            "stormpotVirtualThreadSafeTap");

    // ---- synthetic JMH results --------------------------------------------------------------------

    private static BenchmarkParams params(String benchmark, Mode mode, int threads, String contender, TimeUnit unit) {
        WorkloadParams wp = new WorkloadParams();
        wp.put("contender", contender, 0);
        IterationParams warmup = new IterationParams(IterationType.WARMUP, 2, TimeValue.milliseconds(400), 1);
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.milliseconds(400), 1);
        return new BenchmarkParams(benchmark, benchmark + "_jmhTest", false, threads, new int[] {threads}, List.of(),
                1, 0, warmup, measurement, mode, wp, unit, 1, "java", List.of(), "17.0.15", "OpenJDK 64-Bit Server VM",
                "17.0.15+6", "1.37", TimeValue.minutes(10));
    }

    /** The secondary results {@code -prof gc} adds to each iteration. */
    private static void gc(IterationResult it, double bytesPerOp, double mbPerSec, double count, double ms) {
        it.addResult(new ScalarResult("gc.alloc.rate.norm", bytesPerOp, "B/op", AggregationPolicy.AVG));
        it.addResult(new ScalarResult("gc.alloc.rate", mbPerSec, "MB/sec", AggregationPolicy.AVG));
        it.addResult(new ScalarResult("gc.count", count, "counts", AggregationPolicy.SUM));
        if (count > 0) {
            it.addResult(new ScalarResult("gc.time", ms, "ms", AggregationPolicy.SUM));
        }
    }

    /**
     * An average-time result whose iterations took {@code nsPerOp[i]} ns per operation; with {@code -prof gc}
     * figures per iteration ({@code gcCount} and {@code gcMs} are per iteration, summed by JMH).
     */
    static RunResult avgt(String benchmark, int threads, String contender, double bytesPerOp, double gcCount,
                          double... nsPerOp) {
        BenchmarkParams bp = params(benchmark, Mode.AverageTime, threads, contender, TimeUnit.NANOSECONDS);
        List<IterationResult> its = new ArrayList<>();
        for (double ns : nsPerOp) {
            IterationResult it = new IterationResult(bp, bp.getMeasurement(), new IterationResultMetaData(1_000, 1_000));
            it.addResult(new AverageTimeResult(ResultRole.PRIMARY, "allocateWriteClose", 1_000_000, (long) (ns * 1_000_000),
                    TimeUnit.NANOSECONDS));
            gc(it, bytesPerOp, bytesPerOp * 100, gcCount, gcCount * 2);
            its.add(it);
        }
        return new RunResult(bp, List.of(new BenchmarkResult(bp, its)));
    }

    /** A sample-time result in {@code unit} over the given operation times (nanoseconds), one iteration. */
    static RunResult sample(String benchmark, int threads, String contender, TimeUnit unit, double bytesPerOp,
                            double gcCount, long... nanos) {
        BenchmarkParams bp = params(benchmark, Mode.SampleTime, threads, contender, unit);
        SampleBuffer buffer = new SampleBuffer();
        for (long n : nanos) {
            buffer.add(n);
        }
        IterationResult it = new IterationResult(bp, bp.getMeasurement(), new IterationResultMetaData(nanos.length, nanos.length));
        it.addResult(new SampleTimeResult(ResultRole.PRIMARY, "frame", buffer, unit));
        gc(it, bytesPerOp, bytesPerOp * 10, gcCount, gcCount * 5);
        return new RunResult(bp, List.of(new BenchmarkResult(bp, List.of(it))));
    }

    /**
     * 1,000 samples: {@code 1000 - outliers} of {@code base} ns, then {@code outliers} of {@code outlier} ns.
     * Powers of two (and their sums with smaller ones) are held exactly by JMH's sample histogram; with
     * 1,000 samples and at least 2 outliers, p99.9 is the outlier, and with at least 10, p99 is too.
     */
    static long[] samples(long base, int outliers, long outlier) {
        long[] out = new long[1_000];
        java.util.Arrays.fill(out, base);
        java.util.Arrays.fill(out, 1_000 - outliers, 1_000, outlier);
        return out;
    }

    /** A small run: the peers at 1 and 2 threads, the latency benchmark and one scenario. */
    static List<RunResult> run() {
        List<RunResult> runs = new ArrayList<>();
        runs.add(avgt(PEERS, 1, "arrayStack", 0, 0, 2, 2, 2));
        runs.add(avgt(PEERS, 1, "fixedPool", 0, 0, 3, 3, 3));
        runs.add(avgt(PEERS, 1, "spscPool", 0, 0, 10, 10, 10));
        runs.add(avgt(PEERS, 1, "commonsPool2", 96, 1, 300, 300, 300));
        runs.add(avgt(PEERS, 1, "stormpot", 0, 0, 4, 4, 4));
        runs.add(avgt(PEERS, 1, "newObject", 32, 12, 6, 6, 6));
        runs.add(avgt(PEERS, 2, "fixedPool", 0, 0, 3, 3, 3));
        runs.add(avgt(PEERS, 2, "threadLocalPool", 0, 0, 5, 5, 5));
        runs.add(avgt(PEERS, 2, "mpmcPool", 0, 0, 10, 400, 50));   // noisy: its interval reaches below 0
        runs.add(avgt(PEERS, 2, "stormpot", 0, 0, 8, 8, 8));
        runs.add(avgt(PEERS, 2, "nettyRecycler", 0, 0, 7, 7, 7));
        runs.add(avgt(PEERS, 2, "newObject", 32, 20, 4, 4, 4));
        runs.add(sample(LATENCY, 2, "threadLocalPool", TimeUnit.NANOSECONDS, 0, 0, samples(40, 2, 131_072)));
        runs.add(sample(LATENCY, 2, "newObject", TimeUnit.NANOSECONDS, 32, 3, samples(30, 2, 4_194_304)));
        runs.add(sample(PARTICLES, 1, "newObject", TimeUnit.MICROSECONDS, 640_000, 4, samples(1_048_576, 15, 8_388_608)));
        runs.add(sample(PARTICLES, 1, "fixedPool", TimeUnit.MICROSECONDS, 0, 0, samples(2_097_152, 15, 2_621_440)));
        return runs;
    }

    static List<Report.Group> groups() {
        return Report.group(JmhResult.of(run()));
    }

    static String markdown() {
        return Report.markdown(groups(), "# header\n\n");
    }

    /** The Markdown table row whose first cell is {@code first}, in the section headed {@code heading}. */
    static String row(String md, String heading, String first) {
        int from = md.indexOf(heading);
        assertTrue(from >= 0, "no section " + heading + " in\n" + md);
        int end = md.indexOf("\n#", from + heading.length());
        String section = md.substring(from, end < 0 ? md.length() : end);
        for (String line : section.split("\n")) {
            if (line.startsWith("| " + first + " |")) {
                return line;
            }
        }
        throw new AssertionError("no row " + first + " in\n" + section);
    }

    // ---- reading results -------------------------------------------------------------------------

    @Test
    void shouldReadScoreGcMetricsAndSettingsFromARunResult() {
        JmhResult r = JmhResult.of(avgt(PEERS, 1, "newObject", 32, 12, 6, 6, 6));
        assertEquals("PeersBenchmark", r.className());
        assertEquals("allocateWriteClose", r.method());
        assertEquals("avgt", r.mode());
        assertEquals("newObject", r.label());
        assertEquals(6.0, r.score(), 1e-9);
        assertEquals(0.0, r.error(), 1e-9, "three equal iterations: no spread");
        assertEquals("ns/op", r.unit());
        assertEquals(3, r.samples(), "one value per measurement iteration");
        assertEquals(32.0, r.metric("gc.alloc.rate.norm"), 1e-9);
        assertEquals(36.0, r.metric("gc.count"), 1e-9, "gc.count is summed over the iterations");
        assertTrue(Double.isNaN(r.metric("no.such.metric")));
        assertTrue(Double.isNaN(r.percentile(99.0)), "average-time mode has no percentiles");
        assertEquals("3 x 400 ms", r.measurement());
        assertEquals("2 x 400 ms", r.warmup());
        assertEquals(1, r.forks());
        assertEquals("17.0.15", r.jdkVersion());
    }

    @Test
    void shouldReadPercentilesAndSampleCountFromASampleTimeRunResult() {
        JmhResult r = JmhResult.of(sample(LATENCY, 2, "newObject", TimeUnit.NANOSECONDS, 32, 3, samples(30, 2, 4_194_304)));
        assertEquals("sample", r.mode());
        assertEquals(1_000, r.samples());
        assertEquals(30.0, r.percentile(50.0), 1e-9);
        assertEquals(30.0, r.percentile(99.0), 1e-9);
        assertEquals(4_194_304.0, r.percentile(99.9), 1e-9);
        assertEquals(4_194_304.0, r.percentile(100.0), 1e-9);
        assertEquals((998 * 30 + 2 * 4_194_304) / 1000.0, r.score(), 1e-6, "the score is the mean of the samples");
    }

    @Test
    void shouldReadJmhJsonWithGson() throws IOException {
        List<JmhResult> rows = JmhResult.readJson(fixture());
        assertEquals(12, rows.size());
        JmhResult first = rows.get(0);
        assertEquals(PEERS, first.benchmark());
        assertEquals(2.0, first.score());
        assertEquals(0.1, first.error());
        assertEquals(0.0001, first.metric("gc.alloc.rate.norm"));
        assertEquals("3 x 400 ms", first.measurement());
        assertTrue(Double.isNaN(rows.get(3).error()), "JMH writes \"NaN\" as a string");
        assertEquals(640005.0, rows.get(8).metric("gc.alloc.rate.norm"), "the '\u00b7' prefix of older JMH is dropped");
        JmhResult latency = rows.get(10);
        assertEquals("sample", latency.mode());
        assertEquals(40.0, latency.percentile(99.0));
        assertEquals(25000.0, latency.percentile(100.0));
    }

    @Test
    void shouldReadBackWhatJmhWritesAsJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<RunResult> runs = run();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(runs);
        }
        List<JmhResult> fromJson = JmhResult.readJson(bytes.toString(StandardCharsets.UTF_8));
        List<JmhResult> direct = JmhResult.of(runs);
        assertEquals(direct.size(), fromJson.size());
        for (int i = 0; i < direct.size(); i++) {
            JmhResult a = direct.get(i);
            JmhResult b = fromJson.get(i);
            assertEquals(a.label(), b.label());
            assertEquals(a.score(), b.score(), 1e-9 * Math.max(1, a.score()));
            assertEquals(a.samples(), b.samples(), a.label());
            assertEquals(a.metric("gc.count"), b.metric("gc.count"), 1e-9);
            assertEquals(a.percentile(99.0), b.percentile(99.0), 1e-9 * Math.max(1, a.score()), a.label());
        }
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThrows(IllegalArgumentException.class, () -> JmhResult.readJson("{\"a\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> JmhResult.readJson("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> JmhResult.readJson("[{\"benchmark\": \"x.y.z\"}]"));
    }

    // ---- grouping and ratios ---------------------------------------------------------------------

    @Test
    void shouldGroupByBenchmarkAndThreadCountInReadingOrder() {
        List<Report.Group> groups = groups();
        assertEquals(List.of("PeersBenchmark/1", "PeersBenchmark/2", "LatencyBenchmark/2", "ParticleScenario/1"),
                groups.stream().map(g -> g.className() + "/" + g.threads()).collect(Collectors.toList()));
        assertEquals(6, groups.get(0).rows().size());
    }

    @Test
    void shouldPickTheFastestPeerOtherThanNew() {
        List<Report.Group> groups = groups();
        assertEquals("stormpot", groups.get(0).bestPeer().label(), "stormpot 4 ns beats commonsPool2 300 ns");
        assertEquals("nettyRecycler", groups.get(1).bestPeer().label(), "7 ns beats stormpot's 8 ns at 2 threads");
        assertNull(groups.get(3).bestPeer(), "the scenario has no peer");
    }

    @Test
    void shouldDivideTimePerOperationByTheReferenceAndInvertItForThroughput() {
        assertEquals(2.5, Report.ratio("avgt", 5.0, 2.0), 1e-12);
        assertEquals(0.5, Report.ratio("thrpt", 4.0, 2.0), 1e-12);
        assertTrue(Double.isNaN(Report.ratio("avgt", 1.0, 0.0)));
        assertTrue(Double.isNaN(Report.ratio("avgt", Double.NaN, 1.0)));
        assertEquals("2.50\u00d7", Report.times(2.5));
        assertEquals("n/a", Report.times(Double.NaN));
    }

    @Test
    void shouldMarkARatioWhoseIntervalsOverlap() {
        Report.Group two = groups().get(1);
        JmhResult mpmc = two.row("mpmcPool");
        assertTrue(mpmc.low() < 0, "the noisy row's interval reaches below zero: " + mpmc.low());
        assertTrue(Report.ratioCell(mpmc, two.row("newObject"), "avgt").startsWith("\u2248"));
        assertEquals("0.75\u00d7", Report.ratioCell(two.row("fixedPool"), two.row("newObject"), "avgt"),
                "3 against 4 with no spread: told apart");
    }

    // ---- the Markdown ----------------------------------------------------------------------------

    @Test
    void shouldOpenWithTheRecommendationTableComputedFromTheRun() {
        String md = markdown();
        int recommendations = md.indexOf("## Which kind for which access pattern");
        assertTrue(recommendations > 0 && recommendations < md.indexOf("## What pooling buys"), md);
        assertTrue(md.indexOf("## What pooling buys") < md.indexOf("## Every result"), md);
        // one owner thread: fixedPool 3 ns against new 6 ns (32 B/op) and stormpot 4 ns, at 1 thread
        String fixed = row(md, "## Which kind", "one thread allocates and closes (game loop, event loop)");
        assertTrue(fixed.contains("| `fixedPool` |"), fixed);
        assertTrue(fixed.contains("| 3.00 \u00b1 0.00 ns, 0 B/op | 6.00 \u00b1 0.00 ns, 32 B/op | stormpot 4.00 \u00b1 0.00 ns "
                + "| 0.50\u00d7 | 0.75\u00d7 |"), fixed);
        // each thread its own: threadLocalPool 5 ns at 2 threads against new 4 and netty 7; tail p99.9 from LatencyBenchmark
        String local = row(md, "## Which kind", "each thread allocates and closes its own objects (request handlers, workers)");
        assertTrue(local.contains("| nettyRecycler 7.00 \u00b1 0.00 ns | 1.25\u00d7 | 0.71\u00d7 |"), local);
        assertTrue(local.endsWith("| 131,072 / 4,194,304 |"), local);
        // kinds the run did not measure have no row
        assertFalse(md.contains("`cachingPool`"), md);
        assertFalse(md.contains("`threadSafePool`"), md);
    }

    @Test
    void shouldShowWhatPoolingBuysInEachScenario() {
        String md = markdown();
        String particles = row(md, "## What pooling buys", "ParticleScenario");
        // fixedPool 2,105 us mean against new's 1,159: slower on average, but no allocation, no collection, a shorter tail
        assertEquals("| ParticleScenario | 1 | `fixedPool` | 2,105 / 1,159 us | 1.82\u00d7 | 2,621 / 8,389 | 2,621 / 8,389 "
                + "| 0.00 / 6,400,000 | 0 / 4 | 0 / 20 |", particles);
    }

    @Test
    void shouldWriteOneTablePerBenchmarkWithRatiosToNewAndTheBestPeerOnly() {
        String md = markdown();
        String heading = "### PeersBenchmark.allocateWriteClose \u2014 1 thread";
        assertTrue(md.contains("| contender | ns/op \u00b1 error | \u00f7 `new` | \u00f7 best peer (stormpot) "
                + "| B/op | alloc MB/s | GCs | GC ms |"), md);
        assertEquals("| commonsPool2 | 300 \u00b1 0.00 | 50.00\u00d7 | 75.00\u00d7 | 96 | 9,600 | 3 | 6 |",
                row(md, heading, "commonsPool2"));
        assertEquals("| fixedPool | 3.00 \u00b1 0.00 | 0.50\u00d7 | 0.75\u00d7 | 0 | 0.00 | 0 | 0 |", row(md, heading, "fixedPool"),
                "no collection: GC ms is 0, not n/a");
        String particles = row(md, "### ParticleScenario.frame \u2014 1 thread", "newObject");
        assertTrue(particles.startsWith("| newObject | 1,159 \u00b1 "), particles);
        assertTrue(particles.endsWith(" | 1.00\u00d7 | 1,049 | 8,389 | 8,389 | 8,389 | 1,000 | 640,000 | 6,400,000 | 4 | 20 |"),
                particles);
        assertTrue(md.contains("| contender | mean us/op \u00b1 error | \u00f7 `new` | p50 us | p99 us | p99.9 us | max us "
                + "| samples | B/op | alloc MB/s | GCs | GC ms |"), md);
        assertTrue(md.contains("![every score with its 99.9% confidence interval, log scale](latest.svg)"), md);
    }

    // ---- the chart -------------------------------------------------------------------------------

    @Test
    void shouldDrawEveryScoreWithItsIntervalOnADecadeAxisAsWellFormedSvg() throws Exception {
        String svg = ReportChart.svg(groups());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        Set<String> texts = new TreeSet<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        assertTrue(texts.contains("PeersBenchmark.allocateWriteClose"), texts.toString());
        assertTrue(texts.contains("ParticleScenario.frame"), texts.toString());
        assertTrue(texts.contains("2 threads"), texts.toString());
        assertTrue(texts.contains("1 thread, p99.9"), texts.toString());
        // the peers' panel spans 2 to 300 ns plus whiskers: labelled ticks at the powers of ten; the
        // particles' panel (1,000 to 10,000 us, one decade) also at 2,000 and 5,000
        assertTrue(texts.containsAll(List.of("1", "10", "100", "1,000", "10,000", "2,000", "5,000")), texts.toString());
        assertFalse(texts.contains("20"), "a four-decade axis labels only the powers of ten: " + texts);
        for (String t : texts) {
            if (t.matches("[0-9,.]+")) {
                double v = Double.parseDouble(t.replace(",", ""));
                double mantissa = v / Math.pow(10, Math.floor(Math.log10(v)));
                assertTrue(Math.abs(mantissa - 1) < 1e-9 || Math.abs(mantissa - 2) < 1e-9 || Math.abs(mantissa - 5) < 1e-9,
                        "tick label " + t + " is not 1, 2 or 5 times a power of ten");
            }
        }
    }

    @Test
    void shouldSpanTheAxisFromTheDecadeBelowToTheDecadeAboveAndRunANoisyWhiskerToItsLeftEdge() {
        ReportChart.Data data = ReportChart.data(List.of(groups().get(1)));
        double[] range = ReportChart.decades(data.min, data.max);
        // 2 threads: the lowest point is fixedPool's 3 ns; mpmcPool's upper whisker is above 1,000
        assertEquals(1.0, range[0], 1e-12);
        assertEquals(1e4, range[1], 1e-6);
        org.jfree.data.xy.YIntervalSeries twoThreads = data.scores.getSeries(0);
        int mpmc = data.contenders.indexOf("mpmcPool");
        assertEquals(mpmc, twoThreads.getX(mpmc).doubleValue(), 1e-12, "one series: no offset within the row");
        assertEquals(1.0, twoThreads.getYLowValue(mpmc), 1e-12, "the interval reaches below zero: drawn from the left edge");
        JmhResult noisy = groups().get(1).row("mpmcPool");
        assertEquals(noisy.high(), twoThreads.getYHighValue(mpmc), 1e-9);
        // two thread counts in one panel stand side by side within the contender's row
        ReportChart.Data peers = ReportChart.data(List.of(groups().get(0), groups().get(1)));
        int fixed = peers.contenders.indexOf("fixedPool");
        double one = xInRow(peers.scores.getSeries(0), fixed);
        double two = xInRow(peers.scores.getSeries(1), fixed);
        assertTrue(one < fixed && fixed < two && two - one < 0.5, one + " " + two);
    }

    /** @return the position of the series' point in row {@code row} */
    private static double xInRow(org.jfree.data.xy.YIntervalSeries series, int row) {
        for (int i = 0; i < series.getItemCount(); i++) {
            double x = series.getX(i).doubleValue();
            if (Math.abs(x - row) < 0.5) {
                return x;
            }
        }
        throw new AssertionError("no point in row " + row);
    }

    // ---- the command line and the files ----------------------------------------------------------

    @Test
    void shouldWriteUnderTargetByDefaultAndParseTheRunSettings() {
        Report.Options o = Report.Options.parse(new String[0]);
        assertEquals(Paths.get("target", "benchmarks"), o.out);
        assertEquals(Report.QUICK, o.settings);
        Report.Options full = Report.Options.parse(new String[] {"--full", "--out", "docs/benchmarks", "--threads", "2"});
        assertEquals(Report.FULL, full.settings);
        assertEquals(2, full.settings.forks());
        assertEquals(Paths.get("docs", "benchmarks"), full.out);
        assertEquals(2, full.threads[0]);
        Report.Options p = Report.Options.parse(new String[] {"--param", "contender=fixedPool,newObject"});
        assertEquals(List.of("fixedPool", "newObject"), List.of(p.params.get("contender")));
        assertThrows(IllegalArgumentException.class, () -> Report.Options.parse(new String[] {"--bogus"}));
        assertThrows(IllegalArgumentException.class, () -> Report.Options.parse(new String[] {"--out"}));
    }

    @Test
    void shouldQuoteTheCommandForAShell() {
        assertEquals(Report.COMMAND + " --include 'PeersBenchmark|Latency' --full",
                Report.command(new String[] {"--include", "PeersBenchmark|Latency", "--full"}));
    }

    @Test
    void shouldWriteOnlyIntoTheOutputDirectoryWhenRenderingJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("in").resolve("results.json");
        Files.createDirectories(json.getParent());
        Files.writeString(json, fixture());
        Path out = dir.resolve("out");
        Report.main(new String[] {"--from", json.toString(), "--out", out.toString()});
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of("in", "in/results.json", "out", "out/latest.md", "out/latest.svg"),
                    files.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                            .sorted().collect(Collectors.toList()));
        }
        String md = Files.readString(out.resolve("latest.md"));
        assertTrue(md.startsWith("# fastalloc benchmarks"));
        assertTrue(md.contains("--from " + json), md);
        assertTrue(md.contains("- JDK: 17.0.15, OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"), md);
        assertTrue(md.contains("- JMH settings in the results: 1 fork, warm-up 2 x 400 ms, measurement 3 x 400 ms"), md);
        assertTrue(md.contains(Runtime.getRuntime().availableProcessors() + " cores"), md);
        assertFalse(md.contains("stormpot ?"), "peer versions come from the class path: " + md);
        assertTrue(Files.readString(out.resolve("latest.svg")).contains("<svg"));
    }

    // ---- what a build can run ---------------------------------------------------------------------

    @Test
    void shouldLeaveOutOfPeersBenchmarkOnlyTheContendersThisBuildCannotRun() {
        List<String> peers = Report.peersContenders();
        assertTrue(peers.containsAll(TAPS) && peers.contains("cachingPoolView") && peers.contains("nettyPinned"),
                peers.toString());
        Map<String, String> cannot = Report.cannotRun(peers);
        // the taps need Stormpot 4.0 (a JDK 21+ build); everything else runs on either
        assertEquals(Contender.StormpotContender.isStormpot4() ? List.of() : TAPS, new ArrayList<>(cannot.keySet()));
        cannot.values().forEach(why -> assertTrue(why.contains("Stormpot 4.0"), why));
        assertEquals(Map.of(), Report.peersLeftOut(Report.Options.parse(new String[] {"--param", "contender=fixedPool"})),
                "the user's contender list is the user's");
        assertEquals(Map.of(), Report.peersLeftOut(Report.Options.parse(new String[] {"--include", "ParticleScenario"})),
                "no PeersBenchmark in the selection: nothing to leave out");
        assertEquals(cannot, Report.peersLeftOut(Report.Options.parse(new String[0])));
    }

    @Test
    void shouldSelectWhatTheDefaultRunAndTheUsersPatternsSelect() {
        Report.Options quick = Report.Options.parse(new String[0]);
        Set<String> one = Report.selectedClasses(Report.selection(quick, 1));
        Set<String> two = Report.selectedClasses(Report.selection(quick, 2));
        assertTrue(one.contains(Report.PEERS_CLASS) && one.contains("io.fastalloc.bench.ParticleScenario"), one.toString());
        assertFalse(one.contains("io.fastalloc.bench.LatencyBenchmark"), one.toString());
        assertTrue(two.contains("io.fastalloc.bench.LatencyBenchmark"), two.toString());
        assertFalse(two.contains("io.fastalloc.bench.HandOffBenchmark") || two.contains("io.fastalloc.bench.MixedCallSiteBenchmark"),
                "too long for the quick run: " + two);
        assertEquals(Set.of(Report.PEERS_CLASS), Report.selectedClasses(List.of("PeersBenchmark")));
    }

    @Test
    void shouldRunPeersBenchmarkApartWithTheContendersThisBuildCanRun() {
        List<String> peers = List.of("fixedPool", "stormpot", "stormpotThreadSafeTap", "newObject");
        List<String> runnable = List.of("fixedPool", "stormpot", "newObject");
        Set<String> selected = Set.of(Report.PEERS_CLASS, "io.fastalloc.bench.ParticleScenario");
        List<String> includes = List.of("Peers", "Particle");
        Map<String, String[]> none = Map.of();
        List<Report.Invocation> split = Report.plan(includes, Map.of("size", new String[] {"8"}), selected, peers,
                runnable);
        assertEquals(2, split.size());
        Report.Invocation peersRun = split.get(0);
        assertEquals(List.of(Report.ALL_BUT_PEERS), peersRun.excludes());
        assertEquals(runnable, List.of(peersRun.params().get("contender")));
        assertEquals(List.of("8"), List.of(peersRun.params().get("size")), "the user's params apply to both");
        Report.Invocation rest = split.get(1);
        assertEquals(List.of(Report.ONLY_PEERS), rest.excludes());
        assertNull(rest.params().get("contender"), "the scenarios keep their own contender list");
        assertEquals(List.of("8"), List.of(rest.params().get("size")));
        // one run as before: everything runnable, the user chose the contenders, or no PeersBenchmark
        assertEquals(1, Report.plan(includes, none, selected, peers, peers).size());
        Map<String, String[]> users = Map.of("contender", new String[] {"stormpotThreadSafeTap"});
        assertEquals(List.of(new Report.Invocation(includes, List.of(), users)),
                Report.plan(includes, users, selected, peers, runnable));
        assertEquals(1, Report.plan(includes, none, Set.of("io.fastalloc.bench.ParticleScenario"), peers, runnable).size());
        assertEquals(1, Report.plan(List.of("Peers"), none, Set.of(Report.PEERS_CLASS), peers, runnable).size(),
                "PeersBenchmark alone: no second run of nothing");
    }

    @Test
    void shouldSplitTheSelectionWithExcludePatternsAsJmhMatchesThem() {
        BenchmarkList list = BenchmarkList.defaultList();
        OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        List<String> includes = Report.selection(Report.Options.parse(new String[0]), 2);
        Set<String> peersOnly = list.find(silent, includes, List.of(Report.ALL_BUT_PEERS)).stream()
                .map(BenchmarkListEntry::getUserClassQName).collect(Collectors.toSet());
        assertEquals(Set.of(Report.PEERS_CLASS), peersOnly);
        Set<String> rest = list.find(silent, includes, List.of(Report.ONLY_PEERS)).stream()
                .map(BenchmarkListEntry::getUserClassQName).collect(Collectors.toSet());
        assertFalse(rest.contains(Report.PEERS_CLASS), rest.toString());
        Set<String> all = new TreeSet<>(rest);
        all.addAll(peersOnly);
        assertEquals(Report.selectedClasses(includes), all, "the two runs together run the whole selection");
    }

    // ---- fastalloc's views are not peers -----------------------------------------------------------

    @Test
    void shouldShowCachingPoolViewButNeverCallItTheBestPeer() {
        List<RunResult> runs = new ArrayList<>();
        runs.add(avgt(PEERS, 1, "cachingPool", 0, 0, 9, 9, 9));
        runs.add(avgt(PEERS, 1, "cachingPoolView", 0, 0, 3, 3, 3));
        runs.add(avgt(PEERS, 1, "nettyPinned", 0, 0, 5, 5, 5));
        runs.add(avgt(PEERS, 1, "stormpot", 0, 0, 6, 6, 6));
        runs.add(avgt(PEERS, 1, "newObject", 32, 12, 2, 2, 2));
        List<Report.Group> groups = Report.group(JmhResult.of(runs));
        assertEquals("nettyPinned", groups.get(0).bestPeer().label(), "the view is faster, but fastalloc's");
        String md = Report.markdown(groups, "# header\n\n");
        String heading = "### PeersBenchmark.allocateWriteClose \u2014 1 thread";
        assertEquals("| cachingPoolView | 3.00 \u00b1 0.00 | 1.50\u00d7 | 0.60\u00d7 | 0 | 0.00 | 0 | 0 |",
                row(md, heading, "cachingPoolView"));
        assertTrue(md.contains("`cachingPoolView` is fastalloc's own"), md);
    }

    // ---- HandOffBenchmark: the median of the fork means -----------------------------------------------

    /** A benchmark's params: name, value, name, value, ... */
    private static WorkloadParams workload(String... nameValues) {
        WorkloadParams wp = new WorkloadParams();
        for (int i = 0; i < nameValues.length; i += 2) {
            wp.put(nameValues[i], nameValues[i + 1], i / 2);
        }
        return wp;
    }

    /**
     * An average-time result of {@code forks.length} forks, fork {@code f} with iterations of {@code forks[f]}
     * ns per operation; for the hand-off group, with its two methods' scores as secondaries (produce 1 ns
     * faster, consume 1 ns slower) and {@code -prof gc}.
     */
    static RunResult forks(String benchmark, int threads, WorkloadParams wp, double bytesPerOp, double[]... forks) {
        IterationParams warmup = new IterationParams(IterationType.WARMUP, 2, TimeValue.seconds(1), 1);
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, forks[0].length,
                TimeValue.seconds(1), 1);
        boolean group = threads == 2;
        BenchmarkParams bp = new BenchmarkParams(benchmark, benchmark + "_jmhTest", false, threads,
                group ? new int[] {1, 1} : new int[] {threads}, group ? List.of("consume", "produce") : List.of(),
                forks.length, 0, warmup, measurement, Mode.AverageTime, wp, TimeUnit.NANOSECONDS, 1, "java", List.of(),
                "17.0.15", "OpenJDK 64-Bit Server VM", "17.0.15+6", "1.37", TimeValue.minutes(10));
        List<BenchmarkResult> out = new ArrayList<>();
        for (double[] fork : forks) {
            List<IterationResult> its = new ArrayList<>();
            for (double ns : fork) {
                IterationResult it = new IterationResult(bp, bp.getMeasurement(), new IterationResultMetaData(1_000, 1_000));
                String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
                it.addResult(new AverageTimeResult(ResultRole.PRIMARY, method, 1_000_000, (long) (ns * 1_000_000),
                        TimeUnit.NANOSECONDS));
                if (group) {
                    it.addResult(new AverageTimeResult(ResultRole.SECONDARY, "produce", 1_000_000,
                            (long) ((ns - 1) * 1_000_000), TimeUnit.NANOSECONDS));
                    it.addResult(new AverageTimeResult(ResultRole.SECONDARY, "consume", 1_000_000,
                            (long) ((ns + 1) * 1_000_000), TimeUnit.NANOSECONDS));
                }
                gc(it, bytesPerOp, bytesPerOp * 100, 0, 0);
                its.add(it);
            }
            out.add(new BenchmarkResult(bp, its));
        }
        return new RunResult(bp, out);
    }

    /** Three contenders of the hand-off, each over forks that disagree more than their iterations. */
    static List<RunResult> handOff() {
        return List.of(
                forks(HAND_OFF, 2, workload("contender", "spscPool"), 0,
                        new double[] {10, 10, 10}, new double[] {30, 30, 30}, new double[] {12, 12, 12}),
                forks(HAND_OFF, 2, workload("contender", "spscFreeQueue"), 0,
                        new double[] {8, 8, 8}, new double[] {8, 8, 8}, new double[] {24, 24, 24}),
                forks(HAND_OFF, 2, workload("contender", "nettyPinned"), 0.5,
                        new double[] {20, 20, 20}, new double[] {22, 22, 22}, new double[] {60, 60, 60}));
    }

    @Test
    void shouldKeepTheMeanOfEachForkFromARunResultAndFromJson() {
        List<RunResult> runs = handOff();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(runs);
        }
        List<JmhResult> fromJson = JmhResult.readJson(bytes.toString(StandardCharsets.UTF_8));
        for (List<JmhResult> results : List.of(JmhResult.of(runs), fromJson)) {
            JmhResult spsc = results.get(0);
            assertEquals("HandOffBenchmark", spsc.className());
            assertEquals("handOff", spsc.method());
            assertEquals(List.of(10.0, 30.0, 12.0), spsc.forkMeans());
            assertEquals(12.0, spsc.forkMedian(), 1e-9);
            assertEquals(10.0, spsc.forkMin(), 1e-9);
            assertEquals(30.0, spsc.forkMax(), 1e-9);
            assertEquals(52.0 / 3, spsc.score(), 1e-9, "JMH's score is the mean of every iteration");
            assertEquals(List.of(11.0, 31.0, 13.0), spsc.secondaryForkMeans().get("consume"),
                    "the group's methods are secondaries");
            assertEquals(0.5, results.get(2).metricForkMedian("gc.alloc.rate.norm"), 1e-9);
        }
        assertEquals(16.0, JmhResult.median(List.of(8.0, 24.0, 8.0, 24.0)), 1e-12);
        assertTrue(Double.isNaN(JmhResult.median(List.of())));
    }

    @Test
    void shouldTabulateTheHandOffByTheMedianOfItsForkMeans() {
        List<Report.Group> groups = Report.group(JmhResult.of(handOff()));
        assertEquals(1, groups.size());
        String md = Report.markdown(groups, "# header\n\n");
        String heading = "### HandOffBenchmark.handOff \u2014 2 threads";
        assertTrue(md.contains("| contender | median ns/op | min fork mean | max fork mean | forks "
                + "| \u00f7 floor (spscFreeQueue) | \u00f7 best peer (nettyPinned) | B/op |"), md);
        assertEquals("| spscPool | 12.0 | 10.0 | 30.0 | 3 | 1.50\u00d7 | 0.55\u00d7 | 0 |", row(md, heading, "spscPool"));
        assertEquals("| nettyPinned | 22.0 | 20.0 | 60.0 | 3 | 2.75\u00d7 | 1.00\u00d7 | 0.50 |",
                row(md, heading, "nettyPinned"));
        assertTrue(md.contains("placement of the two threads' vCPUs on the host"), md);
        assertFalse(md.contains("| produce |") || md.contains("\u00b1 error |"), "no secondaries, no mean \u00b1 error: " + md);
        // the chart plots the median with the fork means' range
        ReportChart.Data data = ReportChart.data(groups);
        org.jfree.data.xy.YIntervalSeries series = data.scores.getSeries(0);
        int spsc = data.contenders.indexOf("spscPool");
        assertEquals(12.0, series.getYValue(spsc), 1e-9);
        assertEquals(10.0, series.getYLowValue(spsc), 1e-9);
        assertEquals(30.0, series.getYHighValue(spsc), 1e-9);
    }

    // ---- MixedCallSiteBenchmark: kind by others --------------------------------------------------------

    @Test
    void shouldCrossKindAndOthersWithTheRatioOfOthersWarmedToAlone() {
        List<RunResult> runs = new ArrayList<>();
        for (String method : List.of("typedCallSite", "poolCallSite")) {
            double warmed = method.equals("poolCallSite") ? 3 : 1;
            runs.add(forks(MIXED + method, 1, workload("kind", "fixedPool", "others", "alone"), 0,
                    new double[] {2, 2, 2}));
            runs.add(forks(MIXED + method, 1, workload("kind", "fixedPool", "others", "othersWarmed"), 0,
                    new double[] {2 * warmed, 2 * warmed, 2 * warmed}));
            runs.add(forks(MIXED + method, 1, workload("kind", "mpmcPool", "others", "alone"), 0,
                    new double[] {8, 8, 8}));
            runs.add(forks(MIXED + method, 1, workload("kind", "mpmcPool", "others", "othersWarmed"), 0,
                    new double[] {10, 10, 10}));
        }
        List<Report.Group> groups = Report.group(JmhResult.of(runs));
        assertEquals(List.of("typedCallSite", "poolCallSite"),
                groups.stream().map(Report.Group::method).collect(Collectors.toList()));
        String md = Report.markdown(groups, "# header\n\n");
        assertTrue(md.contains("| kind | alone ns/op \u00b1 error | othersWarmed ns/op \u00b1 error "
                + "| othersWarmed \u00f7 alone | B/op alone | B/op othersWarmed |"), md);
        String pool = "### MixedCallSiteBenchmark.poolCallSite \u2014 1 thread";
        assertEquals("| fixedPool | 2.00 \u00b1 0.00 | 6.00 \u00b1 0.00 | 3.00\u00d7 | 0 | 0 |", row(md, pool, "fixedPool"));
        assertEquals("| mpmcPool | 8.00 \u00b1 0.00 | 10.0 \u00b1 0.00 | 1.25\u00d7 | 0 | 0 |", row(md, pool, "mpmcPool"));
        assertEquals("| fixedPool | 2.00 \u00b1 0.00 | 2.00 \u00b1 0.00 | \u22481.00\u00d7 | 0 | 0 |",
                row(md, "### MixedCallSiteBenchmark.typedCallSite \u2014 1 thread", "fixedPool"));
    }

    @Test
    void shouldOrderTheNewBenchmarksAfterPeersBenchmark() {
        List<RunResult> runs = new ArrayList<>(handOff());
        runs.add(forks(MIXED + "poolCallSite", 1, workload("kind", "fixedPool", "others", "alone"), 0, new double[] {2}));
        runs.addAll(run());
        assertEquals(List.of("PeersBenchmark/1", "PeersBenchmark/2", "HandOffBenchmark/2", "MixedCallSiteBenchmark/1",
                "LatencyBenchmark/2", "ParticleScenario/1"), Report.group(JmhResult.of(runs)).stream()
                .map(g -> g.className() + "/" + g.threads()).collect(Collectors.toList()));
    }

    static String fixture() throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream("/sample-results.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
