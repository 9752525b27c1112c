package io.fastalloc.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file: a benchmark method at one thread count and one set of
 * {@code @Param} values, with its primary score and the secondary metrics (from {@code -prof gc}:
 * {@code gc.alloc.rate.norm} in B/op, {@code gc.alloc.rate} in MB/s, {@code gc.count}, {@code gc.time}).
 *
 * @param benchmark   the fully qualified method name
 * @param mode        {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
 * @param threads     worker threads
 * @param params      the {@code @Param} values, in file order
 * @param score       the primary score
 * @param error       its error (99.9% half-width), NaN when JMH had too few samples
 * @param unit        the primary score's unit, e.g. {@code ns/op}
 * @param percentiles the primary metric's percentiles by their key ({@code "50.0"}, {@code "99.9"},
 *                    {@code "100.0"}...)
 * @param secondary   secondary scores by metric name (a leading {@code '·'} removed)
 * @param jdkVersion  the JDK that ran it
 * @param vmName      the VM's name
 * @param vmVersion   the VM's version
 */
record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, double score, double error,
                 String unit, Map<String, Double> percentiles, Map<String, Double> secondary, String jdkVersion,
                 String vmName, String vmVersion) {

    /** The param whose value names the row, when a benchmark has it. */
    static final String LABEL_PARAM = "contender";

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
     * @param json the text of a JMH {@code -rf json} file
     * @return its rows
     * @throws IllegalArgumentException when the text is not a JMH result array
     */
    @SuppressWarnings("unchecked")
    static List<JmhResult> parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List)) {
            throw new IllegalArgumentException("JMH JSON: expected an array of results");
        }
        List<JmhResult> out = new ArrayList<>();
        for (Object o : (List<Object>) root) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, String> params = new LinkedHashMap<>();
            Object p = m.get("params");
            if (p instanceof Map) {
                ((Map<String, Object>) p).forEach((k, v) -> params.put(k, String.valueOf(v)));
            }
            Map<String, Object> primary = (Map<String, Object>) m.get("primaryMetric");
            if (primary == null) {
                throw new IllegalArgumentException("JMH JSON: no primaryMetric in " + m.get("benchmark"));
            }
            Map<String, Double> percentiles = new LinkedHashMap<>();
            Object pct = primary.get("scorePercentiles");
            if (pct instanceof Map) {
                ((Map<String, Object>) pct).forEach((k, v) -> percentiles.put(k, number(v)));
            }
            Map<String, Double> secondary = new LinkedHashMap<>();
            Object sec = m.get("secondaryMetrics");
            if (sec instanceof Map) {
                ((Map<String, Object>) sec).forEach((k, v) -> {
                    String name = k.startsWith("\u00b7") ? k.substring(1) : k;
                    secondary.put(name, number(((Map<String, Object>) v).get("score")));
                });
            }
            out.add(new JmhResult(String.valueOf(m.get("benchmark")), String.valueOf(m.get("mode")),
                    (int) number(m.get("threads")), Collections.unmodifiableMap(params), number(primary.get("score")),
                    number(primary.get("scoreError")), String.valueOf(primary.get("scoreUnit")),
                    Collections.unmodifiableMap(percentiles), Collections.unmodifiableMap(secondary),
                    string(m.get("jdkVersion")), string(m.get("vmName")), string(m.get("vmVersion"))));
        }
        return out;
    }

    /** @return the number, or NaN for JMH's {@code "NaN"} strings, missing values and non-numbers */
    static double number(Object o) {
        if (o instanceof Double) {
            return (Double) o;
        }
        if (o instanceof String) {
            try {
                return Double.parseDouble((String) o);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static String string(Object o) {
        return o == null ? "" : o.toString();
    }
}
