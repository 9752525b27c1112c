package io.fastalloc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws the report's chart as hand-written SVG: one panel per benchmark (method and other params),
 * one cluster of bars per contender, one bar per thread count, each labelled with its value. Time
 * modes plot the score; {@code sample} mode plots p99.
 */
final class SvgChart {
    static final int WIDTH_PER_BAR = 22;
    static final int CLUSTER_GAP = 18;
    static final int LEFT = 70;
    static final int PANEL_HEIGHT = 310;
    static final int PLOT_HEIGHT = 180;
    /** A panel whose largest value is more than this many times its smallest gets a log scale. */
    static final double LOG_SCALE_ABOVE = 30;
    static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"};

    private SvgChart() {
    }

    /** One panel: a benchmark across thread counts. */
    record Panel(String title, String unit, List<String> labels, List<Integer> threads, Map<String, Double> values) {
        double value(String label, int t) {
            Double v = values.get(label + "#" + t);
            return v == null ? Double.NaN : v;
        }
    }

    /** Maps values to bar heights: linear from 0, or log10 over whole decades. */
    static final class Scale {
        final boolean log;
        final double lo;
        final double hi;

        private Scale(boolean log, double lo, double hi) {
            this.log = log;
            this.lo = lo;
            this.hi = hi;
        }

        static Scale linear(double max) {
            return new Scale(false, 0, max * 1.15);
        }

        static Scale log(double min, double max) {
            return new Scale(true, Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max * 1.15))));
        }

        int height(double v) {
            if (log) {
                double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
                return (int) Math.round(PLOT_HEIGHT * Math.max(0, f));
            }
            return (int) Math.round(PLOT_HEIGHT * v / hi);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double v = lo; v <= hi * 1.0001; v *= 10) {
                    ticks.add(v);
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    ticks.add(hi * i / 4);
                }
            }
            return ticks;
        }
    }

    static List<Panel> panels(List<Report.Group> groups) {
        Map<String, List<Report.Group>> byTitle = new LinkedHashMap<>();
        for (Report.Group g : groups) {
            byTitle.computeIfAbsent(g.title() + "|" + g.mode(), k -> new ArrayList<>()).add(g);
        }
        List<Panel> panels = new ArrayList<>();
        byTitle.forEach((key, gs) -> {
            List<String> labels = new ArrayList<>();
            TreeSet<Integer> threads = new TreeSet<>();
            Map<String, Double> values = new LinkedHashMap<>();
            boolean sample = "sample".equals(gs.get(0).mode());
            for (Report.Group g : gs) {
                threads.add(g.threads());
                for (JmhResult r : g.rows()) {
                    if (!labels.contains(r.label())) {
                        labels.add(r.label());
                    }
                    values.put(r.label() + "#" + g.threads(), sample ? Report.percentile(r, "99.0") : r.score());
                }
            }
            String unit = gs.get(0).unit();
            String title = gs.get(0).title() + (sample ? " \u2014 p99" : "");
            panels.add(new Panel(title, unit, labels, new ArrayList<>(threads), values));
        });
        return panels;
    }

    /**
     * @param groups the report's tables
     * @return an SVG document
     */
    static String render(List<Report.Group> groups) {
        List<Panel> panels = panels(groups);
        TreeSet<Integer> allThreads = new TreeSet<>();
        for (Panel p : panels) {
            allThreads.addAll(p.threads());
        }
        List<Integer> colourOrder = new ArrayList<>(allThreads);
        int width = 400;
        for (Panel p : panels) {
            width = Math.max(width, panelWidth(p));
        }
        int height = Math.max(1, panels.size()) * PANEL_HEIGHT + 20;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int y0 = 10;
        for (Panel p : panels) {
            panel(sb, p, y0, colourOrder);
            y0 += PANEL_HEIGHT;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static int panelWidth(Panel p) {
        return LEFT + p.labels().size() * (p.threads().size() * WIDTH_PER_BAR + CLUSTER_GAP) + 150;
    }

    private static void panel(StringBuilder sb, Panel p, int y0, List<Integer> colourOrder) {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (double v : p.values().values()) {
            if (v > max) {
                max = v;
            }
            if (v > 0 && v < min) {
                min = v;
            }
        }
        if (!(max > 0)) {
            max = 1;
            min = 1;
        }
        Scale scale = max / min > LOG_SCALE_ABOVE ? Scale.log(min, max) : Scale.linear(max);
        int plotTop = y0 + 44;
        int axisY = plotTop + PLOT_HEIGHT;
        int right = LEFT + p.labels().size() * (p.threads().size() * WIDTH_PER_BAR + CLUSTER_GAP);
        sb.append("<text x=\"").append(LEFT).append("\" y=\"").append(y0 + 16)
                .append("\" font-size=\"14\" font-weight=\"bold\">").append(esc(p.title())).append("</text>\n");
        sb.append("<text x=\"10\" y=\"").append(plotTop - 12).append("\">").append(esc(p.unit()))
                .append(scale.log ? " (log scale)" : "").append("</text>\n");
        for (double v : scale.ticks()) {
            int y = axisY - scale.height(v);
            sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(right)
                    .append("\" y2=\"").append(y).append("\" stroke=\"#ddd\"/>\n");
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 4)
                    .append("\" text-anchor=\"end\">").append(esc(Report.num(v))).append("</text>\n");
        }
        int x = LEFT + CLUSTER_GAP / 2;
        for (String label : p.labels()) {
            for (int ti = 0; ti < p.threads().size(); ti++) {
                double v = p.value(label, p.threads().get(ti));
                if (!Double.isNaN(v)) {
                    int h = Math.max(1, scale.height(v));
                    sb.append("<rect x=\"").append(x).append("\" y=\"").append(axisY - h).append("\" width=\"")
                            .append(WIDTH_PER_BAR - 2).append("\" height=\"").append(h).append("\" fill=\"")
                            .append(COLOURS[colourOrder.indexOf(p.threads().get(ti)) % COLOURS.length]).append("\"><title>").append(esc(label))
                            .append(", ").append(p.threads().get(ti)).append(" thread(s): ")
                            .append(esc(Report.num(v))).append(' ').append(esc(p.unit())).append("</title></rect>\n");
                    sb.append("<text x=\"").append(x + (WIDTH_PER_BAR - 2) / 2).append("\" y=\"").append(axisY - h - 3)
                            .append("\" text-anchor=\"middle\" font-size=\"9\">").append(esc(Report.num(v)))
                            .append("</text>\n");
                }
                x += WIDTH_PER_BAR;
            }
            int cx = x - p.threads().size() * WIDTH_PER_BAR / 2;
            sb.append("<text x=\"").append(cx).append("\" y=\"").append(axisY + 14).append("\" text-anchor=\"end\" ")
                    .append("transform=\"rotate(-30 ").append(cx).append(' ').append(axisY + 14).append(")\">")
                    .append(esc(label)).append("</text>\n");
            x += CLUSTER_GAP;
        }
        sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(axisY).append("\" x2=\"").append(right)
                .append("\" y2=\"").append(axisY).append("\" stroke=\"#333\"/>\n");
        for (int ti = 0; ti < p.threads().size(); ti++) {
            int ly = plotTop + ti * 16;
            sb.append("<rect x=\"").append(right + 12).append("\" y=\"").append(ly).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLOURS[colourOrder.indexOf(p.threads().get(ti)) % COLOURS.length]).append("\"/>\n");
            int t = p.threads().get(ti);
            sb.append("<text x=\"").append(right + 30).append("\" y=\"").append(ly + 10).append("\">")
                    .append(t).append(t == 1 ? " thread" : " threads").append("</text>\n");
        }
    }

    /** @return the text with XML's special characters escaped */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
