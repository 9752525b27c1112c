package io.fastalloc.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    static String sample() throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream("/sample-results.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldParseEveryRowOfJmhJson() throws IOException {
        List<JmhResult> rows = JmhResult.parse(sample());
        assertEquals(12, rows.size());
        JmhResult first = rows.get(0);
        assertEquals("io.fastalloc.bench.PeersBenchmark.allocateWriteClose", first.benchmark());
        assertEquals("PeersBenchmark", first.className());
        assertEquals("allocateWriteClose", first.method());
        assertEquals("avgt", first.mode());
        assertEquals(1, first.threads());
        assertEquals("arrayStack", first.label());
        assertEquals(2.0, first.score());
        assertEquals(0.1, first.error());
        assertEquals("ns/op", first.unit());
        assertEquals("17.0.15", first.jdkVersion());
        assertEquals(0.0001, first.metric("gc.alloc.rate.norm"));
    }

    @Test
    void shouldReadNanErrorAndDottedMetricNames() throws IOException {
        List<JmhResult> rows = JmhResult.parse(sample());
        assertTrue(Double.isNaN(rows.get(3).error()), "JMH writes \"NaN\" as a string");
        JmhResult game = rows.get(8);
        assertEquals(640005.0, game.metric("gc.alloc.rate.norm"), "the '\u00b7' prefix of older JMH is dropped");
        assertEquals(30.0, game.metric("gc.time"));
        assertTrue(Double.isNaN(rows.get(0).metric("gc.time")), "a metric the run did not record is NaN");
    }

    @Test
    void shouldReadSampleModePercentiles() throws IOException {
        JmhResult r = JmhResult.parse(sample()).get(10);
        assertEquals("sample", r.mode());
        assertEquals(25.0, Report.percentile(r, "50.0"));
        assertEquals(40.0, Report.percentile(r, "99.0"));
        assertEquals(90.0, Report.percentile(r, "99.9"));
        assertEquals(25000.0, Report.percentile(r, "100.0"));
    }

    @Test
    void shouldGroupByBenchmarkAndThreadCount() throws IOException {
        List<Report.Group> groups = Report.group(JmhResult.parse(sample()));
        assertEquals(4, groups.size());
        assertEquals("PeersBenchmark", groups.get(0).className());
        assertEquals(1, groups.get(0).threads());
        assertEquals(4, groups.get(0).rows().size());
        assertEquals(2, groups.get(1).threads());
        assertEquals("LatencyBenchmark", groups.get(2).className(), "latency right after the peers");
        assertEquals("sample", groups.get(2).mode());
        assertEquals("GameEntityScenario", groups.get(3).className());
    }

    @Test
    void shouldDivideTimePerOperationByTheReference() {
        assertEquals(2.5, Report.ratio("avgt", 5.0, 2.0), 1e-12);
        assertEquals(0.5, Report.ratio("avgt", 1.0, 2.0), 1e-12);
        assertEquals(1.0, Report.ratio("sample", 3.0, 3.0), 1e-12);
    }

    @Test
    void shouldInvertTheRatioForThroughput() {
        // 4 ops/us against a reference of 2 ops/us takes half the time per operation
        assertEquals(0.5, Report.ratio("thrpt", 4.0, 2.0), 1e-12);
    }

    @Test
    void shouldGiveNanForMissingOrNonPositiveScores() {
        assertTrue(Double.isNaN(Report.ratio("avgt", 1.0, Double.NaN)));
        assertTrue(Double.isNaN(Report.ratio("avgt", Double.NaN, 1.0)));
        assertTrue(Double.isNaN(Report.ratio("avgt", 1.0, 0.0)));
        assertEquals("n/a", Report.times(Double.NaN));
        assertEquals("2.50\u00d7", Report.times(2.5));
    }

    @Test
    void shouldWriteRatiosToFloorAndPeersInTheMarkdownTable() throws IOException {
        String md = Report.markdown(Report.group(JmhResult.parse(sample())), "# header\n\n");
        assertTrue(md.contains("## PeersBenchmark.allocateWriteClose \u2014 1 thread\n"), md);
        assertTrue(md.contains("## PeersBenchmark.allocateWriteClose \u2014 2 threads\n"), md);
        assertTrue(md.contains("| contender | ns/op \u00b1 error | \u00f7 arrayStack | \u00f7 commonsPool2 | \u00f7 newObject "
                + "| B/op | alloc MB/s | GCs | GC ms |"), md);
        // fixedPool at 1 thread: 5 ns; arrayStack 2, commonsPool2 100, newObject 4
        assertTrue(md.contains("| fixedPool | 5.00 \u00b1 0.20 | 2.50\u00d7 | 0.05\u00d7 | 1.25\u00d7 | 0 | 0.02 | 0 | n/a |"), md);
        // newObject has no error (NaN) and allocates 32 B/op
        assertTrue(md.contains("| newObject | 4.00 | 2.00\u00d7 | 0.04\u00d7 | 1.00\u00d7 | 32 | 7,600 | 12 | 9 |"), md);
        // 2 threads: commonsPool2 400 / arrayStack 2.5
        assertTrue(md.contains("| commonsPool2 | 400 \u00b1 20.0 | 160.00\u00d7 | 1.00\u00d7 | 80.00\u00d7 | 48 |"), md);
        // scenario: ratio to new only
        assertTrue(md.contains("| fixedPool | 150 \u00b1 5.00 | 1.25\u00d7 | 3.00 | 0.02 | 0 | n/a |"), md);
        assertTrue(md.contains("| fixedPool | 25.0 | 40.0 | 90.0 | 25,000 | 30.0 | 0 |"), md);
        assertTrue(md.contains("![bars per contender and thread count](latest.svg)"), md);
    }

    @Test
    void shouldDrawOneBarPerContenderAndThreadCountAsWellFormedSvg() throws Exception {
        String svg = SvgChart.render(Report.group(JmhResult.parse(sample())));
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        // 12 bars (each with a tooltip), a background and one legend box per thread count per panel
        int bars = doc.getElementsByTagName("title").getLength();
        assertEquals(12, bars);
        assertEquals(1 + 12 + 2 + 1 + 1, doc.getElementsByTagName("rect").getLength());
        assertTrue(svg.contains("PeersBenchmark.allocateWriteClose"));
        assertTrue(svg.contains("LatencyBenchmark.allocateWriteClose \u2014 p99"));
        assertTrue(svg.contains("commonsPool2, 2 thread(s): 400 ns/op"), svg);
    }

    @Test
    void shouldEscapeXmlInLabels() {
        assertEquals("a&lt;b&gt;&amp;&quot;", SvgChart.esc("a<b>&\""));
    }

    @Test
    void shouldWriteMarkdownAndSvgFromJsonFiles(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        Files.writeString(json, sample());
        Path out = dir.resolve("docs");
        Report.main(new String[] {"--from", json.toString(), "--out", out.toString()});
        String md = Files.readString(out.resolve("latest.md"));
        assertTrue(md.startsWith("# fastalloc benchmarks"));
        assertTrue(md.contains("- JDK: 17.0.15, OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"), md);
        assertTrue(md.contains("- Machine: "), md);
        assertTrue(md.contains(Runtime.getRuntime().availableProcessors() + " cores"), md);
        assertTrue(md.contains("stormpot "), md);
        assertFalse(md.contains("stormpot ?"), "peer versions come from the class path: " + md);
        assertTrue(Files.readString(out.resolve("latest.svg")).startsWith("<svg"));
    }

    @Test
    void shouldMergeResultFilesIntoOneArray(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, sample());
        Files.writeString(b, "[\n]\n");
        assertEquals(12, JmhResult.parse(Report.mergeJson(List.of(a, b, a))).size() / 2);
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThrows(IllegalArgumentException.class, () -> JmhResult.parse("{\"a\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
    }

    @Test
    void shouldParseJsonValuesAndEscapes() {
        Object v = Json.parse("{\"s\": \"a\\\"b\\u00e9\\n\", \"n\": -1.5e2, \"t\": true, \"z\": null, \"l\": [1, {}]}");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> m = (java.util.Map<String, Object>) v;
        assertEquals("a\"b\u00e9\n", m.get("s"));
        assertEquals(-150.0, m.get("n"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("z"));
        assertEquals(2, ((List<?>) m.get("l")).size());
    }
}
