package io.fastalloc.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report reads of one JMH result: a benchmark method at one thread count and one set of
 * {@code @Param} values, with its primary score and the secondary metrics of {@code -prof gc}
 * ({@code gc.alloc.rate.norm} in B/op, {@code gc.alloc.rate} in MB/s, {@code gc.count},
 * {@code gc.time} in ms), and the mean of each measured fork of every metric (for benchmarks whose forks
 * disagree more than their iterations, compared by the median of the fork means: {@link #forkMedian()}).
 * Made from a {@link RunResult} of {@code Runner.run()} ({@link #of}), or from a JMH {@code -rf json} file
 * ({@link #readJson}, through Gson) to render a report again.
 *
 * @param benchmark   the fully qualified method name
 * @param mode        JMH's short label: {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
 * @param threads     worker threads
 * @param params      the {@code @Param} values, in JMH's order
 * @param score       the primary score (for {@code sample}, the mean of the samples)
 * @param error       its error, the half-width of JMH's 99.9% confidence interval; NaN when JMH had too
 *                    few samples
 * @param unit        the primary score's unit, e.g. {@code ns/op}
 * @param samples     how many values the score is made of: timed operations in {@code sample} mode,
 *                    measurement iterations (of all forks) in the other modes
 * @param percentiles the primary metric's percentiles ({@link #PERCENTILES}) by rank; empty unless
 *                    the mode is {@code sample}
 * @param secondary   secondary scores by metric name (a leading {@code '·'} removed)
 * @param jdkVersion  the JDK that ran it
 * @param vmName      the VM's name
 * @param vmVersion   the VM's version
 * @param forks       measured forks
 * @param warmup      warm-up iterations, as {@code 2 x 400 ms}
 * @param measurement measurement iterations, as {@code 3 x 400 ms}
 * @param forkMeans   the primary score's mean in each measured fork (the mean of the fork's iteration scores;
 *                    in {@code sample} mode of its iterations' sample means), in fork order; empty when a
 *                    JSON file has no raw data
 * @param secondaryForkMeans the same for each secondary metric, by name (a leading {@code '·'} removed)
 */
record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, double score, double error,
                 String unit, long samples, Map<Double, Double> percentiles, Map<String, Double> secondary,
                 String jdkVersion, String vmName, String vmVersion, int forks, String warmup, String measurement,
                 List<Double> forkMeans, Map<String, List<Double>> secondaryForkMeans) {

    /** The param whose value names the row, when a benchmark has it. */
    static final String LABEL_PARAM = "contender";

    /** The percentile ranks kept from {@code sample} mode results; 100 is the largest sample. */
    static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9, 99.99, 100.0};

    /**
     * @param run one result of {@code Runner.run()}
     * @return what the report reads of it
     */
    static JmhResult of(RunResult run) {
        BenchmarkParams p = run.getParams();
        Map<String, String> params = new LinkedHashMap<>();
        for (Object key : p.getParamsKeys()) {
            String k = String.valueOf(key);
            params.put(k, p.getParam(k));
        }
        Result<?> primary = run.getPrimaryResult();
        Statistics stats = primary.getStatistics();
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        if (p.getMode() == Mode.SampleTime) {
            for (double rank : PERCENTILES) {
                percentiles.put(rank, stats.getPercentile(rank));
            }
        }
        Map<String, Double> secondary = new LinkedHashMap<>();
        run.getSecondaryResults().forEach((name, r) -> secondary.put(metricName(name), r.getScore()));
        List<Double> forkMeans = new ArrayList<>();
        Map<String, List<Double>> secondaryForkMeans = new LinkedHashMap<>();
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            List<Double> scores = new ArrayList<>();
            Map<String, List<Double>> secondaryScores = new LinkedHashMap<>();
            for (IterationResult it : fork.getIterationResults()) {
                scores.add(it.getPrimaryResult().getScore());
                it.getSecondaryResults().forEach((name, r) -> secondaryScores
                        .computeIfAbsent(metricName(name), k -> new ArrayList<>()).add(r.getScore()));
            }
            addMean(forkMeans, scores);
            secondaryScores.forEach((name, s) -> addMean(
                    secondaryForkMeans.computeIfAbsent(name, k -> new ArrayList<>()), s));
        }
        return new JmhResult(p.getBenchmark(), p.getMode().shortLabel(), p.getThreads(),
                Collections.unmodifiableMap(params), primary.getScore(), primary.getScoreError(),
                primary.getScoreUnit(), stats.getN(), Collections.unmodifiableMap(percentiles),
                Collections.unmodifiableMap(secondary), p.getJdkVersion(), p.getVmName(), p.getVmVersion(),
                p.getForks(), iterations(p.getWarmup()), iterations(p.getMeasurement()),
                Collections.unmodifiableList(forkMeans), unmodifiable(secondaryForkMeans));
    }

    /** Adds the mean of {@code scores} (those that are numbers) to {@code means}; nothing when there is none. */
    private static void addMean(List<Double> means, List<Double> scores) {
        double sum = 0;
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                sum += s;
                n++;
            }
        }
        if (n > 0) {
            means.add(sum / n);
        }
    }

    private static Map<String, List<Double>> unmodifiable(Map<String, List<Double>> byName) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param runs the results of one or more {@code Runner.run()} calls
     * @return what the report reads of each, in the same order
     */
    static List<JmhResult> of(Collection<RunResult> runs) {
        List<JmhResult> out = new ArrayList<>(runs.size());
        for (RunResult r : runs) {
            out.add(of(r));
        }
        return out;
    }

    private static String iterations(IterationParams p) {
        return p.getCount() + " x " + p.getTime();
    }

    private static String metricName(String name) {
        return name.startsWith("\u00b7") ? name.substring(1) : name;
    }

    /** @return the benchmark class's simple name */
    String className() {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** @return the benchmark method's name */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** @return the row's label: the contender, else every param as {@code k=v}, else the method */
    String label() {
        String c = params.get(LABEL_PARAM);
        if (c != null) {
            return c;
        }
        return params.isEmpty() ? method() : String.join(",", joinParams(params));
    }

    /** @return the params other than the label, as {@code k=v} ({@code ""} when none) */
    String otherParams() {
        if (!params.containsKey(LABEL_PARAM)) {
            return "";
        }
        Map<String, String> rest = new LinkedHashMap<>(params);
        rest.remove(LABEL_PARAM);
        return String.join(",", joinParams(rest));
    }

    private static List<String> joinParams(Map<String, String> params) {
        List<String> out = new ArrayList<>();
        params.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * @param name a secondary metric, e.g. {@code gc.alloc.rate.norm}
     * @return its score, or NaN when the run did not record it
     */
    double metric(String name) {
        Double d = secondary.get(name);
        return d == null ? Double.NaN : d;
    }

    /**
     * @param rank one of {@link #PERCENTILES}
     * @return the primary metric at that percentile, or NaN when the result has none (not {@code sample} mode)
     */
    double percentile(double rank) {
        Double d = percentiles.get(rank);
        return d == null ? Double.NaN : d;
    }

    /** @return the median of the per-fork means of the primary score, or NaN when there are none */
    double forkMedian() {
        return median(forkMeans);
    }

    /** @return the smallest fork mean of the primary score, or NaN when there are none */
    double forkMin() {
        return forkMeans.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** @return the largest fork mean of the primary score, or NaN when there are none */
    double forkMax() {
        return forkMeans.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * @param name a secondary metric, e.g. {@code gc.alloc.rate.norm}
     * @return the median of its per-fork means; its score ({@link #metric}) when there are none
     */
    double metricForkMedian(String name) {
        List<Double> means = secondaryForkMeans.get(name);
        return means == null || means.isEmpty() ? metric(name) : median(means);
    }

    /**
     * @param values numbers
     * @return their median (the mean of the middle two for an even count), or NaN when there are none
     */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** @return the lower end of the score's 99.9% confidence interval (the score itself when the error is NaN) */
    double low() {
        return Double.isNaN(error) ? score : score - error;
    }

    /** @return the upper end of the score's 99.9% confidence interval (the score itself when the error is NaN) */
    double high() {
        return Double.isNaN(error) ? score : score + error;
    }

    /**
     * Reads a JMH {@code -rf json} file (an array of results), as written by JMH's own JSON format.
     *
     * @param json the file's text
     * @return its rows
     * @throws IllegalArgumentException when the text is not a JMH result array
     */
    static List<JmhResult> readJson(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("JMH JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("JMH JSON: expected an array of results");
        }
        List<JmhResult> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray()) {
            JsonObject m = e.getAsJsonObject();
            Map<String, String> params = new LinkedHashMap<>();
            JsonObject p = m.getAsJsonObject("params");
            if (p != null) {
                p.entrySet().forEach(en -> params.put(en.getKey(), en.getValue().getAsString()));
            }
            JsonObject primary = m.getAsJsonObject("primaryMetric");
            if (primary == null) {
                throw new IllegalArgumentException("JMH JSON: no primaryMetric in " + m.get("benchmark"));
            }
            String mode = string(m, "mode");
            Map<Double, Double> percentiles = new LinkedHashMap<>();
            JsonObject pct = primary.getAsJsonObject("scorePercentiles");
            if (pct != null && "sample".equals(mode)) {
                pct.entrySet().forEach(en -> percentiles.put(Double.parseDouble(en.getKey()), number(en.getValue())));
            }
            Map<String, Double> secondary = new LinkedHashMap<>();
            Map<String, List<Double>> secondaryForkMeans = new LinkedHashMap<>();
            JsonObject sec = m.getAsJsonObject("secondaryMetrics");
            if (sec != null) {
                sec.entrySet().forEach(en -> {
                    JsonObject metric = en.getValue().getAsJsonObject();
                    secondary.put(metricName(en.getKey()), number(metric.get("score")));
                    secondaryForkMeans.put(metricName(en.getKey()), Collections.unmodifiableList(forkMeans(metric)));
                });
            }
            int forks = (int) number(m.get("forks"));
            out.add(new JmhResult(string(m, "benchmark"), mode, (int) number(m.get("threads")),
                    Collections.unmodifiableMap(params), number(primary.get("score")),
                    number(primary.get("scoreError")),
                    string(primary, "scoreUnit"), samples(primary, mode), Collections.unmodifiableMap(percentiles),
                    Collections.unmodifiableMap(secondary), string(m, "jdkVersion"), string(m, "vmName"),
                    string(m, "vmVersion"), forks,
                    (int) number(m.get("warmupIterations")) + " x " + string(m, "warmupTime"),
                    (int) number(m.get("measurementIterations")) + " x " + string(m, "measurementTime"),
                    Collections.unmodifiableList(forkMeans(primary)), Collections.unmodifiableMap(secondaryForkMeans)));
        }
        return out;
    }

    /**
     * @param metric a JSON primary or secondary metric
     * @return the mean of each fork: of its {@code rawData} iteration scores, or of its iterations' sample
     *         means in {@code rawDataHistogram} ({@code sample} mode); empty when the metric has neither
     */
    private static List<Double> forkMeans(JsonObject metric) {
        List<Double> means = new ArrayList<>();
        if (metric.has("rawData")) {
            for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                List<Double> scores = new ArrayList<>();
                fork.getAsJsonArray().forEach(v -> scores.add(number(v)));
                addMean(means, scores);
            }
        } else if (metric.has("rawDataHistogram")) {
            for (JsonElement fork : metric.getAsJsonArray("rawDataHistogram")) {
                List<Double> scores = new ArrayList<>();
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    double sum = 0;
                    double n = 0;
                    for (JsonElement bucket : iteration.getAsJsonArray()) {
                        double count = number(bucket.getAsJsonArray().get(1));
                        sum += number(bucket.getAsJsonArray().get(0)) * count;
                        n += count;
                    }
                    scores.add(n > 0 ? sum / n : Double.NaN);
                }
                addMean(means, scores);
            }
        }
        return means;
    }

    /** @return the samples of a JSON primary metric: histogram counts in sample mode, else the raw values */
    private static long samples(JsonObject primary, String mode) {
        long n = 0;
        if ("sample".equals(mode) && primary.has("rawDataHistogram")) {
            for (JsonElement fork : primary.getAsJsonArray("rawDataHistogram")) {
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    for (JsonElement bucket : iteration.getAsJsonArray()) {
                        n += (long) number(bucket.getAsJsonArray().get(1));
                    }
                }
            }
        } else if (primary.has("rawData")) {
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                JsonArray values = fork.getAsJsonArray();
                n += values.size();
            }
        }
        return n;
    }

    /** @return the number, or NaN for JMH's {@code "NaN"} strings, missing values and non-numbers */
    static double number(JsonElement e) {
        if (e == null || !e.isJsonPrimitive()) {
            return Double.NaN;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException ex) {
            return Double.NaN;
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
