package io.tgstream.bench.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** JMH's JSON result as a Markdown table: one row per benchmark and batch size, with the time per row of the batch. */
public final class JmhMarkdown {
    private JmhMarkdown() {
    }

    public static String table(JsonNode results, String loadBefore, String loadAfter) {
        StringBuilder s = new StringBuilder();
        s.append("# Kernel benchmarks (JMH)\n\n");
        s.append("Average wall time per call; per row = per call / B. One benchmark thread, ND4J with its default "
                + "thread count (1); error = JMH's 99.9% interval. Wall time includes any wait for a core: on a shared "
                + "machine read it beside the load below and the error column.\n\n");
        s.append("| benchmark | B | time per call | ± | unit | per row (us) |\n|---|---:|---:|---:|---|---:|\n");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode p = r.path("params");
            String b = p.has("batch") ? p.get("batch").asText() : "1";
            JsonNode m = r.path("primaryMetric");
            double score = m.path("score").asDouble();
            double err = m.path("scoreError").asDouble();
            String unit = m.path("scoreUnit").asText();
            double perRowUs = toMicros(score, unit) / Double.parseDouble(b);
            s.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s | %.3f |%n", name, b, score,
                    Double.isNaN(err) ? 0 : err, unit, perRowUs));
        }
        s.append("\nLoad (`uptime`) at start: ").append(loadBefore).append("  \nat end: ").append(loadAfter).append('\n');
        s.append("\nCommand: `mvn -Pbench -pl bench -am -DskipTests install` once, then "
                + "`mvn -o -Pbench -pl bench exec:exec -Dbench.main=io.tgstream.bench.kernels.KernelBench`\n");
        return s.toString();
    }

    private static double toMicros(double v, String unit) {
        if (unit.startsWith("ns")) return v / 1e3;
        if (unit.startsWith("ms")) return v * 1e3;
        if (unit.startsWith("s/")) return v * 1e6;
        return v;
    }
}
