package io.tgstream.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A replay's report as one self-contained HTML page (inline SVG charts and CSS, no scripts, no external fonts or
 * files): a summary, the score distributions of positives and negatives, the pooled precision-recall curve, AP per
 * batch over the run, throughput over the run, and latency percentiles, distribution and course over the run. Every
 * chart has its numbers in a table beside it. The page is well-formed XML, so tools can read it.
 *
 * <pre>{@code ReplayReport.write(Path.of("report.html"), data);}</pre>
 */
public final class ReplayReport {
    /** Section ids, in page order. */
    public static final List<String> SECTIONS = List.of("summary", "score-distributions", "precision-recall",
            "ap-per-batch", "throughput", "latency");
    static final int SCORE_BINS = 40;
    static final int LATENCY_BINS = 36;
    /** The most points the PR curve's chart and table show (a long run has one point per distinct score). */
    static final int MAX_CURVE_POINTS = 2000;
    /** Times at which the chart of scores committed so far samples the count (about one per pixel). */
    static final int CUMULATIVE_SAMPLES = 1000;
    private static final String POSITIVE = "#2563eb";
    private static final String NEGATIVE = "#ea580c";
    private static final String ACCENT = "#059669";
    private static final String MUTED = "#6b7280";
    private static final double[] LATENCY_QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private ReplayReport() {}

    /** Writes the report of {@code data} to {@code html} (UTF-8), replacing the file; creates missing folders. */
    public static void write(Path html, ReplayReportData data) throws IOException {
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(html, render(data), StandardCharsets.UTF_8);
    }

    /** The page as a string. */
    static String render(ReplayReportData data) {
        Pooled pooled = Pooled.of(data.batches());
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(data.title())).append(" \u2013 tgstream replay report</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<header><p class=\"kicker\">tgstream replay report</p><h1>").append(Html.escape(data.title()))
                .append("</h1></header>\n");
        summary(b, data, pooled);
        scoreDistributions(b, pooled);
        precisionRecall(b, pooled);
        apPerBatch(b, data.batches());
        TimeWindows windows = data.scoredRecords() == 0 ? null
                : TimeWindows.of(data.seenSeconds(), data.latenciesMs());
        throughput(b, data, windows);
        latency(b, data, windows);
        b.append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    // ---- sections ------------------------------------------------------------------------------------------------

    private static void summary(StringBuilder b, ReplayReportData data, Pooled pooled) {
        open(b, "summary", "Summary");
        b.append("<div class=\"cards\">");
        card(b, "card-scores", "Scores committed", Integer.toString(data.scoredRecords()));
        card(b, "card-batches", "Batches", Integer.toString(data.batches().size()));
        card(b, "card-ap-mean", "AP, mean over batches", Html.number(meanBatchAp(data.batches()), 4));
        card(b, "card-ap-pooled", "AP, all scores pooled",
                pooled.curve == null ? Html.number(Double.NaN, 0) : Html.number(pooled.curve.averagePrecision(), 4));
        if (data.scoredRecords() > 0) {
            double span = 0;
            for (double t : data.seenSeconds()) {
                span = Math.max(span, t);
            }
            NearestRank latency = new NearestRank(data.latenciesMs());
            card(b, "card-throughput", "Scores per second",
                    span > 0 ? Html.number(data.scoredRecords() / span, 0) : Html.number(Double.NaN, 0));
            card(b, "card-latency", "Latency p50 / p99 (ms)",
                    Html.number(latency.quantile(0.5), 1) + " / " + Html.number(latency.quantile(0.99), 1));
        }
        b.append("</div>\n");
        if (!data.facts().isEmpty()) {
            b.append("<table class=\"facts\" id=\"facts\"><tbody>");
            for (Map.Entry<String, String> f : data.facts()) {
                b.append("<tr><th scope=\"row\">").append(Html.escape(f.getKey())).append("</th><td>")
                        .append(Html.escape(f.getValue())).append("</td></tr>");
            }
            b.append("</tbody></table>\n");
        }
        close(b);
    }

    private static void scoreDistributions(StringBuilder b, Pooled pooled) {
        open(b, "score-distributions", "Score distributions");
        if (pooled.positives.length + pooled.negatives.length == 0) {
            empty(b, "No scores.");
            close(b);
            return;
        }
        double lo = Math.min(min(pooled.positives), min(pooled.negatives));
        double hi = Math.max(max(pooled.positives), max(pooled.negatives));
        if (lo >= 0 && hi <= 1) {
            lo = 0;
            hi = 1;
        } else if (!(hi > lo)) {
            hi = lo + 1;
        }
        Histogram pos = Histogram.linear(widened(pooled.positives), lo, hi, SCORE_BINS);
        Histogram neg = Histogram.linear(widened(pooled.negatives), lo, hi, SCORE_BINS);
        double top = 0;
        for (int i = 0; i < SCORE_BINS; i++) {
            top = Math.max(top, Math.max(pos.fraction(i), neg.fraction(i)));
        }
        b.append("<p>Share of each class's scores per bin (each class sums to 1): a model that separates the classes"
                + " puts positives to the right and negatives to the left.</p>\n");
        AxisScale x = lo == 0 && hi == 1 ? AxisScale.fixed(0, 1, 0.1) : AxisScale.linear(lo, hi);
        SvgChart chart = new SvgChart("chart-scores", x, AxisScale.linear(0, top), "score", "share of the class",
                "Score distributions of positive and negative edges")
                .bars(neg.edges(), neg.fractions(), NEGATIVE, 0.55)
                .bars(pos.edges(), pos.fractions(), POSITIVE, 0.55)
                .legend("positives (" + pooled.positives.length + ")", POSITIVE)
                .legend("negatives (" + pooled.negatives.length + ")", NEGATIVE);
        b.append(chart.render()).append('\n');
        b.append("<details><summary>Numbers</summary><table id=\"score-histogram\"><thead><tr><th>from</th><th>to</th>"
                + "<th>positives</th><th>negatives</th></tr></thead><tbody>");
        for (int i = 0; i < SCORE_BINS; i++) {
            b.append("<tr><td>").append(Html.number(pos.lower(i), 4)).append("</td><td>")
                    .append(Html.number(pos.upper(i), 4)).append("</td><td>").append(pos.count(i)).append("</td><td>")
                    .append(neg.count(i)).append("</td></tr>");
        }
        b.append("</tbody></table></details>\n");
        close(b);
    }

    private static void precisionRecall(StringBuilder b, Pooled pooled) {
        open(b, "precision-recall", "Precision\u2013recall curve");
        PrecisionRecallCurve c = pooled.curve;
        if (c == null) {
            empty(b, "No positive scores: there is no precision-recall curve.");
            close(b);
            return;
        }
        b.append("<p>All batches' scores pooled. Average precision, the shaded area: <strong id=\"ap-pooled\">")
                .append(Html.number(c.averagePrecision(), 6)).append("</strong> (")
                .append(c.positives()).append(" positives, ").append(c.negatives())
                .append(" negatives; a random ranking scores ").append(Html.number(c.prevalence(), 4))
                .append(").</p>\n");
        int[] shown = thinned(c.size());
        // The step function that holds P_k on (R_{k-1}, R_k]: its area is AP.
        double[] xs = new double[2 * shown.length];
        double[] ys = new double[2 * shown.length];
        double previousRecall = 0;
        for (int s = 0; s < shown.length; s++) {
            int k = shown[s];
            xs[2 * s] = previousRecall;
            ys[2 * s] = c.precision(k);
            xs[2 * s + 1] = c.recall(k);
            ys[2 * s + 1] = c.precision(k);
            previousRecall = c.recall(k);
        }
        SvgChart chart = new SvgChart("chart-pr", AxisScale.fixed(0, 1, 0.1), AxisScale.fixed(0, 1.05, 0.1), "recall",
                "precision", "Precision-recall curve of all scores")
                .area(xs, ys, POSITIVE, 0.15)
                .line(xs, ys, POSITIVE, 2, false)
                .horizontalLine(c.prevalence(), MUTED, "random ranking")
                .legend("precision at each threshold", POSITIVE);
        b.append(chart.render()).append('\n');
        b.append("<details><summary>Numbers").append(shown.length < c.size()
                        ? " (" + shown.length + " of " + c.size() + " thresholds)" : "")
                .append("</summary><table id=\"pr-points\"><thead><tr><th>threshold</th><th>recall</th>"
                        + "<th>precision</th></tr></thead><tbody>");
        for (int k : shown) {
            b.append("<tr><td>").append(Html.number(c.threshold(k), 6)).append("</td><td>")
                    .append(Html.number(c.recall(k), 6)).append("</td><td>").append(Html.number(c.precision(k), 6))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></details>\n");
        close(b);
    }

    private static void apPerBatch(StringBuilder b, List<BatchScores> batches) {
        open(b, "ap-per-batch", "AP per batch over the run");
        if (batches.isEmpty()) {
            empty(b, "No batches.");
            close(b);
            return;
        }
        double[] xs = new double[batches.size()];
        double[] ap = new double[batches.size()];
        for (int i = 0; i < ap.length; i++) {
            xs[i] = i;
            ap[i] = batchAp(batches.get(i));
        }
        double mean = meanBatchAp(batches);
        b.append("<p>Average precision of each temporal batch, in batch order (batches without a positive have none)."
                + " Mean over batches: <strong id=\"ap-batch-mean\">").append(Html.number(mean, 6))
                .append("</strong>.</p>\n");
        int lastBatch = Math.max(1, batches.size() - 1);
        AxisScale batchAxis = lastBatch < 5 ? AxisScale.fixed(0, lastBatch, 1) : AxisScale.linear(0, lastBatch);
        SvgChart chart = new SvgChart("chart-ap", batchAxis,
                AxisScale.fixed(0, 1.05, 0.1), "batch", "average precision", "Average precision per batch")
                .line(xs, ap, ACCENT, 1.5, false);
        if (batches.size() <= 200) {
            chart.points(xs, ap, ACCENT, 2.5);
        }
        if (!Double.isNaN(mean)) {
            chart.horizontalLine(mean, MUTED, "mean " + Html.number(mean, 4));
        }
        b.append(chart.legend("AP of the batch", ACCENT).render()).append('\n');
        b.append("<details><summary>Numbers</summary><table id=\"ap-batches\"><thead><tr><th>batch</th>"
                + "<th>positives</th><th>negatives</th><th>AP</th></tr></thead><tbody>");
        for (int i = 0; i < ap.length; i++) {
            BatchScores s = batches.get(i);
            b.append("<tr><td>").append(i).append("</td><td>").append(s.positiveCount()).append("</td><td>")
                    .append(s.negativeCount()).append("</td><td>").append(Html.number(ap[i], 6)).append("</td></tr>");
        }
        b.append("</tbody></table></details>\n");
        close(b);
    }

    private static void throughput(StringBuilder b, ReplayReportData data, TimeWindows windows) {
        open(b, "throughput", "Throughput over the run");
        if (windows == null) {
            empty(b, "No score times were recorded.");
            close(b);
            return;
        }
        List<TimeWindows.Window> w = windows.windows();
        double[] edges = new double[w.size() + 1];
        double[] rates = new double[w.size()];
        double top = 0;
        for (int i = 0; i < w.size(); i++) {
            edges[i] = w.get(i).start();
            rates[i] = w.get(i).perSecond();
            top = Math.max(top, rates[i]);
        }
        edges[w.size()] = w.get(w.size() - 1).end();
        double[] seen = data.seenSeconds();
        Arrays.sort(seen);
        // The count of scores seen by time t, sampled finely enough for the chart's pixels.
        double end = seen[seen.length - 1];
        double[] xs = new double[CUMULATIVE_SAMPLES + 1];
        double[] committed = new double[CUMULATIVE_SAMPLES + 1];
        int seenSoFar = 0;
        for (int k = 0; k <= CUMULATIVE_SAMPLES; k++) {
            xs[k] = end * k / CUMULATIVE_SAMPLES;
            while (seenSoFar < seen.length && seen[seenSoFar] <= xs[k]) {
                seenSoFar++;
            }
            committed[k] = seenSoFar;
        }
        b.append("<p>Scores become visible when the checkpoint that covers them completes, so they arrive in steps."
                + " The slope of the first chart is the throughput; the second counts scores per window of ")
                .append(Html.number(windows.width(), 3)).append(" s (the last window may be partial).</p>\n");
        SvgChart total = new SvgChart("chart-committed", AxisScale.linear(0, edges[w.size()]),
                AxisScale.linear(0, seen.length), "seconds from the start", "scores committed",
                "Scores committed so far over the run")
                .area(xs, committed, ACCENT, 0.12)
                .line(xs, committed, ACCENT, 2, false)
                .legend("scores committed so far", ACCENT);
        SvgChart perWindow = new SvgChart("chart-throughput", AxisScale.linear(0, edges[w.size()]),
                AxisScale.linear(0, top), "seconds from the start", "scores per second", "Throughput over the run")
                .bars(edges, rates, ACCENT, 0.8)
                .legend("scores per second in the window", ACCENT);
        b.append(total.render()).append('\n').append(perWindow.render()).append('\n');
        windowTable(b, windows);
        close(b);
    }

    private static void latency(StringBuilder b, ReplayReportData data, TimeWindows windows) {
        open(b, "latency", "Latency");
        if (windows == null) {
            empty(b, "No latencies were recorded.");
            close(b);
            return;
        }
        double[] latencies = data.latenciesMs();
        NearestRank r = new NearestRank(latencies);
        b.append("<p>From an event's hand-over to the producer to its score being visible to a read_committed"
                + " consumer (nearest-rank percentiles).</p>\n");
        b.append("<table id=\"latency-percentiles\" class=\"compact\"><thead><tr>");
        for (double q : LATENCY_QUANTILES) {
            b.append("<th>").append(percentileName(q)).append("</th>");
        }
        b.append("<th>max</th><th>mean</th></tr></thead><tbody><tr>");
        for (double q : LATENCY_QUANTILES) {
            b.append("<td>").append(Html.number(r.quantile(q), 2)).append(" ms</td>");
        }
        b.append("<td>").append(Html.number(r.max(), 2)).append(" ms</td><td>").append(Html.number(r.mean(), 2))
                .append(" ms</td></tr></tbody></table>\n");

        double lo = Math.max(r.min(), 1e-3);
        double hi = Math.max(r.max(), lo * 1.001);
        AxisScale x = AxisScale.log10(lo, hi);
        Histogram h = Histogram.log10(latencies, x.min(), x.max(), LATENCY_BINS);
        double top = 0;
        for (int i = 0; i < h.bins(); i++) {
            top = Math.max(top, h.fraction(i));
        }
        SvgChart dist = new SvgChart("chart-latency", x, AxisScale.linear(0, top), "latency (ms, log scale)",
                "share of scores", "Latency distribution")
                .bars(h.edges(), h.fractions(), POSITIVE, 0.7)
                .verticalLine(r.quantile(0.5), ACCENT, "p50")
                .verticalLine(r.quantile(0.99), NEGATIVE, "p99")
                .legend("share of scores", POSITIVE);
        b.append("<h3>Distribution</h3>\n").append(dist.render()).append('\n');

        List<TimeWindows.Window> withScores = windows.windows().stream().filter(win -> win.count() > 0).toList();
        double[] mids = new double[withScores.size()];
        double[] p50 = new double[withScores.size()];
        double[] p99 = new double[withScores.size()];
        double peak = 0;
        for (int i = 0; i < mids.length; i++) {
            TimeWindows.Window win = withScores.get(i);
            mids[i] = (win.start() + win.end()) / 2;
            p50[i] = win.p50Ms();
            p99[i] = win.p99Ms();
            peak = Math.max(peak, p99[i]);
        }
        List<TimeWindows.Window> w = windows.windows();
        SvgChart course = new SvgChart("chart-latency-run", AxisScale.linear(0, w.get(w.size() - 1).end()),
                AxisScale.linear(0, peak), "seconds from the start", "latency (ms)", "Latency over the run")
                .line(mids, p99, NEGATIVE, 2, false)
                .points(mids, p99, NEGATIVE, 3)
                .line(mids, p50, ACCENT, 2, false)
                .points(mids, p50, ACCENT, 3)
                .legend("p99 of the window", NEGATIVE)
                .legend("p50 of the window", ACCENT);
        b.append("<h3>Over the run</h3>\n<p>p50 and p99 of the scores committed in each window of the throughput"
                + " chart that has any (numbers in its table).</p>\n")
                .append(course.render()).append('\n');
        close(b);
    }

    // ---- pieces --------------------------------------------------------------------------------------------------

    private static void windowTable(StringBuilder b, TimeWindows windows) {
        b.append("<details><summary>Numbers</summary><table id=\"throughput-windows\"><thead><tr><th>from (s)</th>"
                + "<th>to (s)</th><th>scores</th><th>scores/s</th><th>p50 latency (ms)</th><th>p99 latency (ms)</th>"
                + "</tr></thead><tbody>");
        for (TimeWindows.Window w : windows.windows()) {
            b.append("<tr><td>").append(Html.number(w.start(), 3)).append("</td><td>").append(Html.number(w.end(), 3))
                    .append("</td><td>").append(w.count()).append("</td><td>").append(Html.number(w.perSecond(), 1))
                    .append("</td><td>").append(Html.number(w.p50Ms(), 2)).append("</td><td>")
                    .append(Html.number(w.p99Ms(), 2)).append("</td></tr>");
        }
        b.append("</tbody></table></details>\n");
    }

    private static String percentileName(double q) {
        double pct = q * 100;
        String digits = Html.number(pct, Math.abs(pct - Math.rint(pct)) < 1e-9 ? 0 : 1);
        return "p" + digits;
    }

    /** Indices of at most {@link #MAX_CURVE_POINTS} points of a curve of {@code size}, always the last. */
    private static int[] thinned(int size) {
        int stride = (size + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS;
        List<Integer> keep = new ArrayList<>();
        for (int k = stride - 1; k < size; k += stride) {
            keep.add(k);
        }
        if (keep.isEmpty() || keep.get(keep.size() - 1) != size - 1) {
            keep.add(size - 1);
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double batchAp(BatchScores s) {
        return s.positiveCount() == 0 ? Double.NaN : s.curve().averagePrecision();
    }

    /** Mean AP over the batches that have a positive (NaN if none has). */
    static double meanBatchAp(List<BatchScores> batches) {
        double sum = 0;
        int n = 0;
        for (BatchScores s : batches) {
            if (s.positiveCount() > 0) {
                sum += s.curve().averagePrecision();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static void open(StringBuilder b, String id, String heading) {
        b.append("<section id=\"").append(id).append("\">\n<h2>").append(Html.escape(heading)).append("</h2>\n");
    }

    private static void close(StringBuilder b) {
        b.append("</section>\n");
    }

    private static void empty(StringBuilder b, String message) {
        b.append("<p class=\"empty\">").append(Html.escape(message)).append("</p>\n");
    }

    private static void card(StringBuilder b, String id, String label, String value) {
        b.append("<div class=\"card\"><div class=\"label\">").append(Html.escape(label))
                .append("</div><div class=\"value\" id=\"").append(id).append("\">").append(Html.escape(value))
                .append("</div></div>");
    }

    private static double[] widened(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double min(float[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (float f : v) {
            m = Math.min(m, f);
        }
        return m;
    }

    private static double max(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    /** Every batch's scores in one pair of arrays, and their curve (null without positives). */
    private record Pooled(float[] positives, float[] negatives, PrecisionRecallCurve curve) {
        static Pooled of(List<BatchScores> batches) {
            int np = 0;
            int nn = 0;
            for (BatchScores s : batches) {
                np += s.positiveCount();
                nn += s.negativeCount();
            }
            float[] p = new float[np];
            float[] n = new float[nn];
            int ip = 0;
            int in = 0;
            for (BatchScores s : batches) {
                float[] sp = s.positives();
                float[] sn = s.negatives();
                System.arraycopy(sp, 0, p, ip, sp.length);
                System.arraycopy(sn, 0, n, in, sn.length);
                ip += sp.length;
                in += sn.length;
            }
            return new Pooled(p, n, np == 0 ? null : PrecisionRecallCurve.of(p, n));
        }
    }

    private static final String STYLE = String.join("\n",
            "",
            ":root { color-scheme: light; }",
            "body { margin: 0; background: #f3f4f6; color: #111827;",
            "  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }",
            "main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }",
            "header .kicker { margin: 0; color: #6b7280; font-size: 13px; text-transform: uppercase;",
            "  letter-spacing: 0.06em; }",
            "h1 { margin: 4px 0 20px; font-size: 26px; }",
            "section { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px 24px;",
            "  margin: 0 0 20px; }",
            "h2 { margin: 0 0 8px; font-size: 19px; }",
            "h3 { margin: 20px 0 4px; font-size: 15px; }",
            "p { margin: 4px 0 10px; line-height: 1.45; color: #374151; }",
            ".cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 8px 0 16px; }",
            ".card { border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px 14px;",
            "  background: #f9fafb; }",
            ".card .label { font-size: 12px; color: #6b7280; }",
            ".card .value { font-size: 22px; font-weight: 600; margin-top: 4px; font-variant-numeric: tabular-nums; }",
            "table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }",
            "th, td { padding: 3px 12px 3px 0; text-align: right; border-bottom: 1px solid #f3f4f6; }",
            "table.facts th, table.facts td { text-align: left; }",
            "table.facts th { color: #6b7280; font-weight: normal; padding-right: 24px; }",
            "table.compact { margin: 4px 0 8px; }",
            "details { margin: 6px 0 4px; }",
            "summary { cursor: pointer; color: #2563eb; font-size: 13px; }",
            "details table { margin-top: 6px; }",
            "svg { display: block; margin: 4px 0; font-family: inherit; }",
            ".empty { color: #6b7280; font-style: italic; }",
            "");
}
