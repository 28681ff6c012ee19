package io.tgstream.operators.feedback;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The toy loop's semantics, in plain Java without Flink: the reference a loop run must equal.
 *
 * <p>Edge {@code seq} of batch {@code k} goes from {@code src} to {@code dst}; {@code src} sends
 * {@code mix(value_src, seq)} to {@code dst}, reading its value after all batches {@code < k};
 * when batch {@code k} ends, every node {@code x} that received something sets {@code value_x =
 * 31 * value_x + sum(received)} and outputs it.
 */
final class ToyModel {

    private ToyModel() {}

    static ToyRecords.Edge edge(long seed, long seq, int batchSize, int nodes) {
        long src = Math.floorMod(splitMix(seed ^ (seq * 2)), nodes);
        long dst = Math.floorMod(splitMix(seed ^ (seq * 2 + 1)), nodes);
        return new ToyRecords.Edge(seq, seq / batchSize, src, dst);
    }

    static long amount(long senderValue, long seq) {
        return senderValue * 0x9E3779B97F4A7C15L + seq;
    }

    static long afterBatch(long value, long received) {
        return value * 31 + received;
    }

    /** Expected outputs, "node@batch" to value. */
    static Map<String, Long> expected(long seed, long edges, int batchSize, int nodes) {
        Map<Long, Long> values = new HashMap<>();
        Map<String, Long> out = new HashMap<>();
        TreeMap<Long, Long> received = new TreeMap<>();
        long batch = 0;
        for (long seq = 0; seq <= edges; seq++) {
            boolean last = seq == edges;
            ToyRecords.Edge e = last ? null : edge(seed, seq, batchSize, nodes);
            if (last || e.batch != batch) {
                for (Map.Entry<Long, Long> r : received.entrySet()) {
                    long v = afterBatch(values.getOrDefault(r.getKey(), 0L), r.getValue());
                    values.put(r.getKey(), v);
                    out.put(r.getKey() + "@" + batch, v);
                }
                received.clear();
                if (last) {
                    break;
                }
                batch = e.batch;
            }
            received.merge(e.dst, amount(values.getOrDefault(e.src, 0L), e.seq), Long::sum);
        }
        return out;
    }

    static long splitMix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
