package io.tgstream.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReplayReportTest {
    @TempDir
    Path dir;

    /** Two batches: the first's AP is 5/6, the second's (a tie at 0.8) 1/2; pooled, AP = 34/45. */
    private static ReplayReportData tiny() {
        return ReplayReportData.builder("tiny <case> & co")
                .fact("data set", "hand-made")
                .fact("batch size", "4")
                .batch(new float[] {0.9f, 0.4f}, new float[] {0.6f, 0.1f})
                .batch(new float[] {0.8f}, new float[] {0.8f, 0.2f})
                .scores(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {10, 20, 30, 40})
                .build();
    }

    @Test
    void prCurveAndApInTheReportEqualTheHandComputedValues() throws Exception {
        Document page = writeAndParse(tiny());
        // Pooled: positives {0.9, 0.8, 0.4}, negatives {0.8, 0.6, 0.2, 0.1}.
        double[][] expected = {
                {0.9, 1.0 / 3, 1}, {0.8, 2.0 / 3, 2.0 / 3}, {0.6, 2.0 / 3, 0.5},
                {0.4, 1, 0.6}, {0.2, 1, 0.5}, {0.1, 1, 3.0 / 7}};
        List<double[]> rows = tableRows(page, "pr-points");
        assertThat(rows).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            for (int col = 0; col < 3; col++) {
                assertThat(rows.get(k)[col]).as("pr-points row %d column %d", k, col)
                        .isCloseTo(expected[k][col], within(1e-6));
            }
        }
        assertThat(number(byId(page, "ap-pooled"))).isCloseTo(34.0 / 45, within(1e-6));
        List<double[]> batches = tableRows(page, "ap-batches");
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(new double[] {0, 2, 2, 5.0 / 6}, within(1e-6));
        assertThat(batches.get(1)).containsExactly(new double[] {1, 1, 2, 0.5}, within(1e-6));
        assertThat(number(byId(page, "ap-batch-mean"))).isCloseTo((5.0 / 6 + 0.5) / 2, within(1e-6));
    }

    @Test
    void theShadedAreaOfThePrChartIsTheAp() throws Exception {
        Document page = writeAndParse(tiny());
        Element svg = byId(page, "chart-pr");
        Element area = null;
        NodeList paths = svg.getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element p = (Element) paths.item(i);
            if (!"none".equals(p.getAttribute("fill"))) {
                area = p;
            }
        }
        assertThat(area).as("the filled area under the PR curve").isNotNull();
        // Plot area in pixels: x 0..1 over 960 - 72 - 24, y 0..1.05 over 300 - 34 - 50.
        double unitArea = (SvgChart.WIDTH - 96.0) * ((SvgChart.HEIGHT - 84.0) / 1.05);
        assertThat(polygonArea(area.getAttribute("d")) / unitArea).isCloseTo(34.0 / 45, within(1e-3));
    }

    @Test
    void pageIsWellFormedSelfContainedAndHasEverySection() throws Exception {
        Document page = writeAndParse(tiny());
        assertThat(page.getDocumentElement().getTagName()).isEqualTo("html");
        for (String id : ReplayReport.SECTIONS) {
            Element section = byId(page, id);
            assertThat(section.getTagName()).as("#%s", id).isEqualTo("section");
            assertThat(section.getElementsByTagName("h2").getLength()).as("heading of #%s", id).isEqualTo(1);
            if (!id.equals("summary")) {
                assertThat(section.getElementsByTagName("svg").getLength()).as("charts in #%s", id).isPositive();
            }
        }
        assertThat(page.getElementsByTagName("script").getLength()).as("scripts").isZero();
        assertThat(page.getElementsByTagName("link").getLength()).as("linked files").isZero();
        assertThat(page.getElementsByTagName("img").getLength()).as("images").isZero();
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).as("no external reference but the SVG namespace name")
                .doesNotContain("@import", "url(http", "src=", "href=");
        assertThat(page.getElementsByTagName("title").item(0).getTextContent()).startsWith("tiny <case> & co");
        assertThat(byId(page, "facts").getTextContent()).contains("data set", "hand-made");
    }

    @Test
    void latencyAndThroughputNumbersComeFromTheScores() throws Exception {
        Document page = writeAndParse(tiny());
        // Nearest rank over {10, 20, 30, 40}: p50 is the 2nd value, p90, p99 and p99.9 the 4th.
        List<double[]> percentiles = tableRows(page, "latency-percentiles");
        assertThat(percentiles).hasSize(1);
        assertThat(percentiles.get(0)).containsExactly(new double[] {20, 40, 40, 40, 40, 25}, within(1e-9));
        double scores = 0;
        for (double[] row : tableRows(page, "throughput-windows")) {
            scores += row[2];
            assertThat(row[3]).as("rate = count / width").isCloseTo(row[2] / (row[1] - row[0]), within(0.05));
        }
        assertThat(scores).as("every score falls in one window").isEqualTo(4);
        assertThat(byId(page, "card-scores").getTextContent()).isEqualTo("4");
        assertThat(byId(page, "card-throughput").getTextContent()).isEqualTo("10");
    }

    @Test
    void aRunWithoutDataStillGivesAWellFormedPage() throws Exception {
        Document page = writeAndParse(ReplayReportData.builder("nothing yet").build());
        for (String id : ReplayReport.SECTIONS) {
            assertThat(byId(page, id).getTagName()).isEqualTo("section");
        }
        assertThat(byId(page, "precision-recall").getTextContent()).contains("No positive scores");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private Document writeAndParse(ReplayReportData data) throws Exception {
        Path file = dir.resolve("report.html");
        ReplayReport.write(file, data);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        try {
            return b.parse(file.toFile());
        } catch (org.xml.sax.SAXException e) {
            throw new AssertionError("the report is not well-formed: " + e.getMessage(), e);
        }
    }

    private static Element byId(Document page, String id) {
        List<Element> found = new ArrayList<>();
        NodeList all = page.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                found.add(e);
            }
        }
        assertThat(found).as("elements with id %s", id).hasSize(1);
        return found.get(0);
    }

    /** The body rows of table {@code id}, each cell read as a number (a trailing unit is ignored). */
    private static List<double[]> tableRows(Document page, String id) {
        Element table = byId(page, id);
        Element body = (Element) table.getElementsByTagName("tbody").item(0);
        NodeList trs = body.getElementsByTagName("tr");
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < trs.getLength(); i++) {
            NodeList tds = ((Element) trs.item(i)).getElementsByTagName("td");
            double[] row = new double[tds.getLength()];
            for (int j = 0; j < row.length; j++) {
                row[j] = number((Element) tds.item(j));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A cell's number; the en dash the report writes for "none" reads as NaN. */
    private static double number(Element e) {
        String text = e.getTextContent().strip().split(" ")[0];
        return text.equals("\u2013") ? Double.NaN : Double.parseDouble(text);
    }

    /** Shoelace area of an SVG path made of M and L commands (absolute) closed by Z. */
    private static double polygonArea(String d) {
        List<double[]> pts = new ArrayList<>();
        for (String part : d.replace("Z", "").trim().split("(?=[ML])")) {
            String[] xy = part.substring(1).trim().split("\\s+");
            pts.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        double twice = 0;
        for (int i = 0; i < pts.size(); i++) {
            double[] a = pts.get(i);
            double[] b = pts.get((i + 1) % pts.size());
            twice += a[0] * b[1] - b[0] * a[1];
        }
        return Math.abs(twice) / 2;
    }
}
