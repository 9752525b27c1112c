package io.fastalloc.bench;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's chart: one panel per benchmark method (and set of other params), drawn with
 * JFreeChart into one SVG document through JFreeSVG. Each panel lists the contenders down the side
 * and plots, on a logarithmic axis with a labelled tick at every power of ten (and at 2 and 5 times
 * it on a short axis), each thread count's
 * score as a filled dot with a whisker over JMH's 99.9% confidence interval (thread counts side by
 * side in the contender's row); for {@code SampleTime} results also p99 (hollow circle) and p99.9
 * (hollow diamond), without whiskers (percentiles of one run have no interval). A benchmark compared by
 * the median of its per-fork means ({@link Report#BY_FORK_MEDIAN}) has that median as its dot and a whisker
 * from the smallest to the largest fork mean. A whisker whose lower end is at or below zero runs to the
 * axis's left edge: that score is noise. Not thread-safe; each call builds its own charts.
 */
final class ReportChart {
    /** Width of the document, in pixels. */
    static final int WIDTH = 1000;
    /** Height a panel needs besides its rows: title, subtitle, axis, legend. */
    private static final int CHROME = 140;

    private static final Paint[] COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x8c564b),
    };
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ReportChart() {
    }

    /**
     * @param groups the report's tables
     * @return the SVG document: every panel, one under the other
     */
    static String svg(List<Report.Group> groups) {
        List<Panel> panels = layout(groups);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, Math.max(1, height(panels)));
        draw(panels, g2);
        return g2.getSVGDocument();
    }

    /**
     * One chart and the height it is drawn at.
     *
     * @param chart  the chart
     * @param height its height in pixels, from its number of rows
     */
    record Panel(JFreeChart chart, int height) {
    }

    /** @return a chart per panel, in the groups' order */
    static List<Panel> layout(List<Report.Group> groups) {
        List<Panel> out = new ArrayList<>();
        for (List<Report.Group> panel : panels(groups).values()) {
            Data data = data(panel);
            int rowHeight = 12 + 10 * panel.size();
            out.add(new Panel(chart(panel, data), CHROME + Math.max(2, data.contenders.size()) * rowHeight));
        }
        return out;
    }

    /** @return the height of all panels, one under the other */
    static int height(List<Panel> panels) {
        return panels.stream().mapToInt(Panel::height).sum();
    }

    /** Draws the panels one under the other, {@link #WIDTH} wide. */
    static void draw(List<Panel> panels, Graphics2D g2) {
        int y = 0;
        for (Panel p : panels) {
            p.chart().draw(g2, new Rectangle2D.Double(0, y, WIDTH, p.height()));
            y += p.height();
        }
    }

    /** @return the groups by panel (benchmark method, other params and mode), each panel's thread counts in order */
    static Map<String, List<Report.Group>> panels(List<Report.Group> groups) {
        Map<String, List<Report.Group>> panels = new LinkedHashMap<>();
        for (Report.Group g : groups) {
            panels.computeIfAbsent(g.title() + "|" + g.mode(), k -> new ArrayList<>()).add(g);
        }
        return panels;
    }

    /**
     * What one panel plots: rows are contenders (row {@code i} at {@code y = i}), each series one thread
     * count, offset within the row so that thread counts stand side by side.
     */
    static final class Data {
        final List<String> contenders = new ArrayList<>();
        /** Scores with their intervals, one series per thread count. */
        final YIntervalSeriesCollection scores = new YIntervalSeriesCollection();
        /** p99 and p99.9 per thread count ({@code SampleTime} panels only). */
        final XYSeriesCollection percentiles = new XYSeriesCollection();
        /** The thread count index of each series of {@link #scores}, then of {@link #percentiles}. */
        final List<Integer> scoreThreads = new ArrayList<>();
        final List<Integer> percentileThreads = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void extend(double v) {
            if (v > 0 && !Double.isInfinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
    }

    /**
     * @param panel one benchmark method's groups, one per thread count
     * @return the panel's rows and series
     */
    static Data data(List<Report.Group> panel) {
        Data d = new Data();
        for (Report.Group g : panel) {
            for (JmhResult r : g.rows()) {
                if (!d.contenders.contains(r.label())) {
                    d.contenders.add(r.label());
                }
                if (g.figure(r) > 0) {
                    d.extend(g.figure(r));
                    d.extend(g.low(r));
                    d.extend(g.high(r));
                    d.extend(r.percentile(99.0));
                    d.extend(r.percentile(99.9));
                }
            }
        }
        double lowest = decades(d.min, d.max)[0];
        for (int t = 0; t < panel.size(); t++) {
            Report.Group g = panel.get(t);
            String threads = g.threads() + (g.threads() == 1 ? " thread" : " threads");
            double offset = panel.size() == 1 ? 0 : (t - (panel.size() - 1) / 2.0) * 0.6 / panel.size();
            String figure = g.sample() ? ", mean" : g.byForkMedian() ? ", median of fork means" : "";
            YIntervalSeries scores = new YIntervalSeries(threads + figure, false, true);
            XYSeries p99 = new XYSeries(threads + ", p99", false, true);
            XYSeries p999 = new XYSeries(threads + ", p99.9", false, true);
            for (JmhResult r : g.rows()) {
                if (!(g.figure(r) > 0)) {
                    continue;
                }
                double y = d.contenders.indexOf(r.label()) + offset;
                // a whisker that reaches zero or below runs to the axis's lower end
                scores.add(y, g.figure(r), g.low(r) > 0 ? g.low(r) : lowest, g.high(r));
                if (g.sample()) {
                    p99.add(y, r.percentile(99.0));
                    p999.add(y, r.percentile(99.9));
                }
            }
            d.scores.addSeries(scores);
            d.scoreThreads.add(t);
            if (g.sample()) {
                d.percentiles.addSeries(p99);
                d.percentiles.addSeries(p999);
                d.percentileThreads.add(t);
                d.percentileThreads.add(t);
            }
        }
        return d;
    }

    private static JFreeChart chart(List<Report.Group> panel, Data d) {
        Report.Group first = panel.get(0);
        String what = first.sample() ? "mean (filled) with its 99.9% CI; p99 (circle) and p99.9 (diamond) hollow"
                : first.byForkMedian() ? "median of the per-fork means, whisker from the smallest to the largest"
                + " fork mean"
                : "score with its 99.9% CI";
        double[] range = decades(d.min, d.max);
        SymbolAxis contenders = new SymbolAxis(null, d.contenders.toArray(new String[0]));
        contenders.setInverted(true);
        contenders.setRange(-0.5, Math.max(0.5, d.contenders.size() - 0.5));
        contenders.setTickLabelFont(LABELS);
        contenders.setGridBandPaint(new Color(0xf4f6f8));
        contenders.setGridBandAlternatePaint(Color.WHITE);

        XYErrorRenderer scores = new XYErrorRenderer();
        scores.setDefaultLinesVisible(false);
        scores.setDefaultShapesVisible(true);
        scores.setDrawXError(false);
        scores.setDrawYError(true);
        scores.setCapLength(5);
        scores.setErrorStroke(new BasicStroke(1.2f));
        for (int s = 0; s < d.scores.getSeriesCount(); s++) {
            scores.setSeriesPaint(s, COLOURS[d.scoreThreads.get(s) % COLOURS.length]);
            scores.setSeriesShape(s, circle(6));
            scores.setSeriesShapesFilled(s, true);
        }
        XYLineAndShapeRenderer percentiles = new XYLineAndShapeRenderer(false, true);
        percentiles.setUseOutlinePaint(false);
        percentiles.setDrawOutlines(true);
        for (int s = 0; s < d.percentiles.getSeriesCount(); s++) {
            percentiles.setSeriesPaint(s, COLOURS[d.percentileThreads.get(s) % COLOURS.length]);
            percentiles.setSeriesShape(s, s % 2 == 0 ? circle(7) : diamond(9));
            percentiles.setSeriesShapesFilled(s, false);
            percentiles.setSeriesOutlineStroke(s, new BasicStroke(1.2f));
        }

        XYPlot plot = new XYPlot();
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDomainAxis(contenders);
        plot.setRangeAxis(axis(first.unit() + " (log scale)", range));
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setDataset(0, d.scores);
        plot.setRenderer(0, scores);
        if (d.percentiles.getSeriesCount() > 0) {
            plot.setDataset(1, d.percentiles);
            plot.setRenderer(1, percentiles);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xaaaaaa));
        plot.setRangeGridlineStroke(new BasicStroke(0.6f));
        plot.setRangeMinorGridlinesVisible(true);
        plot.setRangeMinorGridlinePaint(new Color(0xe4e4e4));
        plot.setRangeMinorGridlineStroke(new BasicStroke(0.5f));

        JFreeChart chart = new JFreeChart(first.title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.addSubtitle(new TextTitle(first.mode() + " mode: " + what, LABELS));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(LABELS);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 28));
        chart.setAntiAlias(true);
        return chart;
    }

    private static Shape circle(double size) {
        return new Ellipse2D.Double(-size / 2, -size / 2, size, size);
    }

    private static Shape diamond(int size) {
        int h = size / 2;
        return new Polygon(new int[] {0, h, 0, -h}, new int[] {-h, 0, h, 0}, 4);
    }

    /** @return a base-10 logarithmic axis over {@code range} ({@link #decades}) with a tick at every power of ten */
    static LogAxis axis(String label, double[] range) {
        LogAxis axis = new DecadeAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(range[0]);
        axis.setTickUnit(new NumberTickUnit(1.0));
        axis.setMinorTickMarksVisible(true);
        axis.setTickLabelFont(LABELS);
        axis.setRange(range[0], range[1]);
        return axis;
    }

    /**
     * @param min the smallest positive value or whisker end of a panel (infinity when none)
     * @param max the largest
     * @return {@code {lower, upper}}: the power of ten at or below {@code min}, the one at or above {@code max}
     */
    static double[] decades(double min, double max) {
        if (min == Double.POSITIVE_INFINITY) {
            return new double[] {1, 10};
        }
        double lower = Math.pow(10, Math.floor(Math.log10(min)));
        double upper = Math.pow(10, Math.ceil(Math.log10(max)));
        return new double[] {lower, upper > lower ? upper : lower * 10};
    }

    /**
     * A {@link LogAxis} whose ticks are plain numbers ({@code 1}, {@code 10}, {@code 100}, {@code 1,000})
     * at the powers of ten, with minor ticks at 2 to 9 times each (labelled at 2 and 5 when the axis
     * spans no more than two decades). {@code LogAxis}'s own labels
     * are attributed strings (for exponents), which an SVG document gets as outlines, not as text.
     */
    static final class DecadeAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        DecadeAxis(String label) {
            super(label);
        }

        @Override
        public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            NumberFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
            TextAnchor anchor;
            if (RectangleEdge.isTopOrBottom(edge)) {
                anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            } else {
                anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
            }
            long from = Math.round(Math.log10(getLowerBound()));
            long to = Math.round(Math.log10(getUpperBound()));
            List<ValueTick> ticks = new ArrayList<>();
            for (long e = from; e <= to; e++) {
                double decade = Math.pow(10, e);
                ticks.add(new NumberTick(TickType.MAJOR, decade, format.format(decade), anchor, TextAnchor.CENTER,
                        0.0));
                for (int m = 2; m <= 9 && e < to; m++) {
                    // an axis of one or two decades also labels 2 and 5 times each power of ten
                    String label = to - from <= 2 && (m == 2 || m == 5) ? format.format(m * decade) : "";
                    ticks.add(new NumberTick(TickType.MINOR, m * decade, label, anchor, TextAnchor.CENTER, 0.0));
                }
            }
            return ticks;
        }
    }
}
