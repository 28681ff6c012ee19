package io.tgstream.bench.inductive;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown page of an {@link InductiveProbe} run, from the same map its JSON file holds. */
final class InductiveProbeMarkdown {
    private InductiveProbeMarkdown() {
    }

    @SuppressWarnings("unchecked")
    static String of(Map<String, Object> json) {
        StringBuilder s = new StringBuilder("# What bounds inductive AP on ").append(json.get("dataset"))
                .append("\n\n");
        Map<String, Object> mask = (Map<String, Object>) json.get("mask");
        s.append(String.format(Locale.ROOT, "**The mask.** %d nodes are masked for the inductive setting; %d of them "
                        + "had events in the training period, and dropping every training event that touches one "
                        + "of them removes %,d of the %,d training-period events.%n%n",
                (Integer) mask.get("maskedNodes"), (Integer) mask.get("maskedNodesWithTrainingPeriodEvents"),
                (Integer) mask.get("droppedTrainingEvents"), (Integer) mask.get("trainingPeriodEvents")));
        s.append("**History of the new endpoint** of each inductive test edge: its observed events before the edge."
                + "\n\n| prior events | edges |\n|---|---:|\n");
        int[] buckets = (int[]) json.get("newEndpointPriorEvents");
        int lower = 0;
        for (int b = 0; b < buckets.length; b++) {
            int upper = SplitFacts.PRIOR_EVENT_BUCKETS[b];
            String range = upper == Integer.MAX_VALUE ? "> " + (lower - 1)
                    : lower == upper ? Integer.toString(upper) : lower + "-" + upper;
            s.append("| ").append(range).append(" | ").append(String.format(Locale.ROOT, "%,d", buckets[b]))
                    .append(" |\n");
            lower = upper + 1;
        }
        s.append("\n**Test positives and the evaluator's random negatives** (one per positive; a pair counts as "
                + "observed if it occurred before in either direction; destination events = the destination's "
                + "observed events so far):\n\n| setting | positives | positives observed before | negatives "
                + "observed before | mean events of a positive's destination | of a negative's |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) json.get("testPositivesAndRandomNegatives")) {
            s.append(String.format(Locale.ROOT, "| %s | %,d | %.1f %% | %.1f %% | %.0f | %.0f |%n",
                    r.get("setting"), (Integer) r.get("positives"), 100 * (Double) r.get("positivesObservedBefore"),
                    100 * (Double) r.get("negativesObservedBefore"), (Double) r.get("positiveDestinationEvents"),
                    (Double) r.get("negativeDestinationEvents")));
        }
        if (json.containsKey("probes")) {
            s.append("\n**Probes** of `").append(json.get("modelFile")).append("`");
            if (json.containsKey("modelNote")) {
                s.append(" (").append(json.get("modelNote")).append(")");
            }
            s.append(": test AP x100, rnd negatives, B = 200, of the model's scores as they are and with what the "
                    + "model may lack added (validation scored first, as `tgstream eval` does, so the first row is "
                    + "its figure).\n\n"
                    + "| probe | transductive | inductive |\n|---|---:|---:|\n");
            for (Map<String, Object> r : (List<Map<String, Object>>) json.get("probes")) {
                s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", r.get("probe"),
                        (Double) r.get("transductive"), (Double) r.get("inductive")));
            }
        }
        s.append("\nCommand: `").append(json.get("command")).append("`\n");
        return s.toString();
    }
}
