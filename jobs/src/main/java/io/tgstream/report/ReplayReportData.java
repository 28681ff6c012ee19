package io.tgstream.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a replay report shows, immutable: the run's facts (name and value, e.g. data set, batch size, parallelism), the
 * positive and negative scores of every temporal batch in batch order, and for every committed score when it was seen
 * (seconds from the start of the run) and its latency (milliseconds).
 *
 * <pre>{@code
 *   ReplayReportData data = ReplayReportData.builder("uci, memory model, B = 200")
 *           .fact("events", "8975").fact("parallelism", "2")
 *           .batch(positives0, negatives0).batch(positives1, negatives1)
 *           .scores(outcome.seenSeconds(), outcome.latenciesMillis())
 *           .build();
 *   ReplayReport.write(Path.of("report.html"), data);
 * }</pre>
 */
public final class ReplayReportData {
    private final String title;
    private final List<Map.Entry<String, String>> facts;
    private final List<BatchScores> batches;
    private final double[] seenSeconds;
    private final double[] latenciesMs;

    private ReplayReportData(Builder b) {
        this.title = b.title;
        this.facts = Collections.unmodifiableList(new ArrayList<>(b.facts));
        this.batches = Collections.unmodifiableList(new ArrayList<>(b.batches));
        this.seenSeconds = b.seenSeconds.clone();
        this.latenciesMs = b.latenciesMs.clone();
    }

    /** A builder for a report titled {@code title}. */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    public String title() {
        return title;
    }

    /** The run's facts, in the order they were added. */
    public List<Map.Entry<String, String>> facts() {
        return facts;
    }

    /** The batches' scores, in batch order. */
    public List<BatchScores> batches() {
        return batches;
    }

    /** When each committed score was seen, in seconds from the start of the run. */
    public double[] seenSeconds() {
        return seenSeconds.clone();
    }

    /** Each committed score's latency in milliseconds, index by index with {@link #seenSeconds()}. */
    public double[] latenciesMs() {
        return latenciesMs.clone();
    }

    /** Number of committed scores with a time and a latency. */
    public int scoredRecords() {
        return seenSeconds.length;
    }

    /** Collects a report's data; {@link #build()} checks it. */
    public static final class Builder {
        private final String title;
        private final List<Map.Entry<String, String>> facts = new ArrayList<>();
        private final List<BatchScores> batches = new ArrayList<>();
        private double[] seenSeconds = new double[0];
        private double[] latenciesMs = new double[0];

        private Builder(String title) {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("a replay report needs a title");
            }
            this.title = title;
        }

        /** Adds a line to the run's facts table. */
        public Builder fact(String name, String value) {
            facts.add(Map.entry(name, value));
            return this;
        }

        /** Appends the next batch's positive and negative scores. */
        public Builder batch(float[] positives, float[] negatives) {
            batches.add(new BatchScores(positives, negatives));
            return this;
        }

        /** Appends the next batch. */
        public Builder batch(BatchScores scores) {
            batches.add(scores);
            return this;
        }

        /**
         * Sets every committed score's time seen (seconds from the start, >= 0) and latency (milliseconds, >= 0), both
         * in the same record order.
         */
        public Builder scores(double[] seenSeconds, double[] latenciesMs) {
            if (seenSeconds.length != latenciesMs.length) {
                throw new IllegalArgumentException("one latency per score time: " + seenSeconds.length + " times but "
                        + latenciesMs.length + " latencies");
            }
            requireFiniteNonNegative(seenSeconds, "a score's time");
            requireFiniteNonNegative(latenciesMs, "a latency");
            this.seenSeconds = seenSeconds.clone();
            this.latenciesMs = latenciesMs.clone();
            return this;
        }

        private static void requireFiniteNonNegative(double[] values, String what) {
            for (double v : values) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
                }
            }
        }

        public ReplayReportData build() {
            return new ReplayReportData(this);
        }
    }
}
