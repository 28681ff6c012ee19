package io.tgstream.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart as inline SVG: a plot area with grid, ticks and axis labels, and marks drawn in data coordinates (bars,
 * lines that break at NaN, filled areas, points, reference lines) clipped to it, with a legend. No scripts, no
 * external fonts or styles: the page's CSS gives the font.
 */
final class SvgChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 300;
    private static final int LEFT = 72;
    private static final int RIGHT = 24;
    private static final int TOP = 34;
    private static final int BOTTOM = 50;
    private static final String GRID = "#e5e7eb";
    private static final String INK = "#374151";

    private final String id;
    private final AxisScale x;
    private final AxisScale y;
    private final String xLabel;
    private final String yLabel;
    private final String description;
    private final StringBuilder marks = new StringBuilder();
    /** Labels of reference lines, drawn over the marks and not clipped to the plot area. */
    private final StringBuilder labels = new StringBuilder();
    private final List<String[]> legend = new ArrayList<>();

    /** A chart whose element ids start with {@code id} (unique in the page), described by {@code description}. */
    SvgChart(String id, AxisScale x, AxisScale y, String xLabel, String yLabel, String description) {
        this.id = id;
        this.x = x;
        this.y = y;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.description = description;
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static double plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    double px(double v) {
        return LEFT + x.fraction(v) * plotWidth();
    }

    double py(double v) {
        return TOP + (1 - y.fraction(v)) * plotHeight();
    }

    /** Histogram bars: bar i spans [edges[i], edges[i+1]) with height heights[i]. */
    SvgChart bars(double[] edges, double[] heights, String color, double opacity) {
        for (int i = 0; i < heights.length; i++) {
            if (heights[i] <= 0 || Double.isNaN(heights[i])) {
                continue;
            }
            double x0 = px(edges[i]);
            double x1 = px(edges[i + 1]);
            double top = py(heights[i]);
            double base = py(Math.max(y.min(), 0));
            marks.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" fill-opacity=\"%.2f\"/>",
                    x0, top, Math.max(0.5, x1 - x0 - 0.5), Math.max(0, base - top), color, opacity));
        }
        return this;
    }

    /** A line through (xs[i], ys[i]); a NaN y breaks it. */
    SvgChart line(double[] xs, double[] ys, String color, double width, boolean dashed) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(ys[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.2f %.2f", px(xs[i]), py(ys[i])));
            pen = true;
        }
        if (d.length() > 0) {
            marks.append("<path d=\"").append(d.toString().strip()).append("\" fill=\"none\" stroke=\"").append(color)
                    .append(String.format(Locale.ROOT, "\" stroke-width=\"%.1f\"", width))
                    .append(dashed ? " stroke-dasharray=\"6 4\"" : "").append(" stroke-linejoin=\"round\"/>");
        }
        return this;
    }

    /** The area between the line through (xs[i], ys[i]) and the bottom of the axis. */
    SvgChart area(double[] xs, double[] ys, String color, double opacity) {
        if (xs.length == 0) {
            return this;
        }
        StringBuilder d = new StringBuilder();
        double base = py(y.min());
        d.append(String.format(Locale.ROOT, "M%.2f %.2f", px(xs[0]), base));
        for (int i = 0; i < xs.length; i++) {
            d.append(String.format(Locale.ROOT, " L%.2f %.2f", px(xs[i]), py(ys[i])));
        }
        d.append(String.format(Locale.ROOT, " L%.2f %.2f Z", px(xs[xs.length - 1]), base));
        marks.append("<path d=\"").append(d).append("\" fill=\"").append(color)
                .append(String.format(Locale.ROOT, "\" fill-opacity=\"%.2f\" stroke=\"none\"/>", opacity));
        return this;
    }

    /** Dots at (xs[i], ys[i]), NaN skipped. */
    SvgChart points(double[] xs, double[] ys, String color, double radius) {
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isNaN(ys[i])) {
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%s\"/>",
                        px(xs[i]), py(ys[i]), radius, color));
            }
        }
        return this;
    }

    /** A vertical reference line at data x {@code v}, labelled beside its top. */
    SvgChart verticalLine(double v, String color, String label) {
        double p = px(v);
        marks.append(String.format(Locale.ROOT,
                "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1.5\""
                        + " stroke-dasharray=\"4 3\"/>", p, TOP, p, TOP + plotHeight(), color));
        labels.append(String.format(Locale.ROOT,
                "<text x=\"%.2f\" y=\"%d\" font-size=\"12\" fill=\"%s\" text-anchor=\"start\">%s</text>",
                p + 4, TOP + 14, color, Html.escape(label)));
        return this;
    }

    /** A horizontal reference line at data y {@code v}, labelled above its left end. */
    SvgChart horizontalLine(double v, String color, String label) {
        double p = py(v);
        marks.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1.5\""
                        + " stroke-dasharray=\"6 4\"/>", LEFT, p, LEFT + plotWidth(), p, color));
        labels.append(String.format(Locale.ROOT,
                "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" fill=\"%s\" text-anchor=\"start\">%s</text>",
                LEFT + 6.0, p - 5, color, Html.escape(label)));
        return this;
    }

    /** Adds a legend entry (a colour swatch and a name). */
    SvgChart legend(String name, String color) {
        legend.add(new String[] {name, color});
        return this;
    }

    String render() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" viewBox=\"0 0 %d %d\""
                + " width=\"100%%\" role=\"img\" aria-label=\"%s\">", id, WIDTH, HEIGHT, Html.escape(description)));
        s.append("<title>").append(Html.escape(description)).append("</title>");
        s.append(String.format(Locale.ROOT, "<defs><clipPath id=\"%s-plot\"><rect x=\"%d\" y=\"%d\" width=\"%.0f\""
                + " height=\"%.0f\"/></clipPath></defs>", id, LEFT, TOP, plotWidth(), plotHeight()));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\""
                + " stroke=\"%s\"/>", LEFT, TOP, plotWidth(), plotHeight(), GRID));
        for (double t : y.ticks()) {
            double p = py(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" stroke=\"%s\"/>",
                    LEFT, p, LEFT + plotWidth(), p, GRID));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.2f\" font-size=\"12\" fill=\"%s\""
                    + " text-anchor=\"end\">%s</text>", LEFT - 6, p + 4, INK, y.label(t)));
        }
        for (double t : x.ticks()) {
            double p = px(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"%s\"/>",
                    p, TOP, p, TOP + plotHeight(), GRID));
            s.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.0f\" font-size=\"12\" fill=\"%s\""
                    + " text-anchor=\"middle\">%s</text>", p, TOP + plotHeight() + 16, INK, x.label(t)));
        }
        s.append("<g clip-path=\"url(#").append(id).append("-plot)\">").append(marks).append("</g>").append(labels);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\"/>",
                LEFT, TOP + plotHeight(), LEFT + plotWidth(), TOP + plotHeight(), INK));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.0f\" stroke=\"%s\"/>",
                LEFT, TOP, LEFT, TOP + plotHeight(), INK));
        s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" font-size=\"13\" fill=\"%s\""
                + " text-anchor=\"middle\">%s</text>", LEFT + plotWidth() / 2, HEIGHT - 10, INK, Html.escape(xLabel)));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.0f\" font-size=\"13\" fill=\"%s\""
                        + " text-anchor=\"middle\" transform=\"rotate(-90 16 %.0f)\">%s</text>",
                TOP + plotHeight() / 2, INK, TOP + plotHeight() / 2, Html.escape(yLabel)));
        double lx = LEFT;
        for (String[] entry : legend) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"10\" width=\"14\" height=\"14\" rx=\"2\""
                    + " fill=\"%s\"/>", lx, entry[1]));
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"22\" font-size=\"13\" fill=\"%s\">%s</text>",
                    lx + 20, INK, Html.escape(entry[0])));
            lx += 36 + 7.5 * entry[0].length();
        }
        return s.append("</svg>").toString();
    }
}
