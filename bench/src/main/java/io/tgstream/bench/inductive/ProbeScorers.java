package io.tgstream.bench.inductive;

import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EdgeBatch;
import io.tgstream.eval.LinkScorer;
import io.tgstream.eval.PairIndex;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Link scorers that wrap a model's scorer to ask what it lacks: the same scores with a bonus from information the
 * model may not have (whether the pair was observed before; how many neighbours the two nodes share over the whole
 * observed history; how long ago an endpoint was last seen), or with the masked nodes' training-period events
 * replayed into its state.
 */
final class ProbeScorers {
    private ProbeScorers() {
    }

    /** score + bonus for a pair (either direction) observed before, as EdgeBank's unlimited memory would know. */
    static LinkScorer repeatBonus(LinkScorer inner, double bonus) {
        return new History(inner) {
            @Override
            double extra(int u, int v, long t) {
                return seen(u, v) ? bonus : 0;
            }
        };
    }

    /**
     * Hours an endpoint counts as idle when it has no observed event yet: a year, a choice that only sets how far a
     * never-seen endpoint is pushed down (uci spans 194 days).
     */
    static final double NEVER_SEEN_HOURS = 24 * 365;

    /**
     * score - weight log(1 + hours since the destination's last observed event), or since each endpoint's with
     * {@code bothEndpoints}; an endpoint never seen counts {@link #NEVER_SEEN_HOURS}. Timestamps are in seconds.
     */
    static LinkScorer recencyPenalty(LinkScorer inner, double weight, boolean bothEndpoints) {
        return new History(inner) {
            @Override
            double extra(int u, int v, long t) {
                double penalty = weight * Math.log1p(hoursSince(v, t));
                return -(bothEndpoints ? penalty + weight * Math.log1p(hoursSince(u, t)) : penalty);
            }
        };
    }

    /** score + weight log(1 + common neighbours), over every observed event so far (no capacity bound). */
    static LinkScorer commonNeighbourBonus(LinkScorer inner, double weight) {
        return new History(inner) {
            @Override
            double extra(int u, int v, long t) {
                return weight * Math.log1p(commonNeighbours(u, v));
            }
        };
    }

    /**
     * The inner scorer with every event handed to its state, the masked nodes' training-period events included
     * (DyGLib's evaluation samples neighbours from the full data, which holds them): each batch the evaluator hands
     * over is extended by the unobserved events that precede its last event, in stream order.
     */
    static LinkScorer everyEventReplayed(LinkScorer inner, ChronologicalSplit split) {
        return new LinkScorer() {
            private int cursor;

            @Override
            public void reset() {
                inner.reset();
                cursor = 0;
            }

            @Override
            public float[] score(int[] src, int[] dst, long[] t) {
                return inner.score(src, dst, t);
            }

            @Override
            public void observe(EdgeBatch batch) {
                int last = batch.event(batch.size() - 1);
                int[] events = new int[Math.max(0, last + 1 - cursor)];
                int n = 0;
                int next = 0;
                for (int e = cursor; e <= last; e++) {
                    if (next < batch.size() && batch.event(next) == e) {
                        events[n++] = e;
                        next++;
                    } else if (!split.isObserved(e)) {
                        events[n++] = e;
                    }
                }
                if (next != batch.size()) {
                    throw new IllegalStateException("the evaluator handed events out of stream order");
                }
                cursor = last + 1;
                inner.observe(new EdgeBatch(split.stream(), Arrays.copyOf(events, n)));
            }
        };
    }

    /**
     * A wrapper that keeps the observed pairs, neighbour sets and each node's last event time, and adds
     * {@link #extra} to each score.
     */
    private abstract static class History implements LinkScorer {
        private final LinkScorer inner;
        private final PairIndex pairs = new PairIndex(1024);
        private final Map<Integer, Set<Integer>> neighbours = new HashMap<>();
        private final Map<Integer, Long> lastSeen = new HashMap<>();

        History(LinkScorer inner) {
            this.inner = inner;
        }

        abstract double extra(int u, int v, long t);

        @Override
        public void reset() {
            inner.reset();
            pairs.clear();
            neighbours.clear();
            lastSeen.clear();
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            float[] s = inner.score(src, dst, t);
            for (int i = 0; i < s.length; i++) {
                s[i] += (float) extra(src[i], dst[i], t[i]);
            }
            return s;
        }

        @Override
        public void observe(EdgeBatch batch) {
            inner.observe(batch);
            for (int i = 0; i < batch.size(); i++) {
                int u = batch.src(i);
                int v = batch.dst(i);
                pairs.getOrAdd(Math.min(u, v), Math.max(u, v));
                neighbours.computeIfAbsent(u, k -> new HashSet<>()).add(v);
                neighbours.computeIfAbsent(v, k -> new HashSet<>()).add(u);
                lastSeen.put(u, batch.timestamp(i));
                lastSeen.put(v, batch.timestamp(i));
            }
        }

        boolean seen(int u, int v) {
            return pairs.get(Math.min(u, v), Math.max(u, v)) >= 0;
        }

        double hoursSince(int node, long t) {
            Long last = lastSeen.get(node);
            return last == null ? NEVER_SEEN_HOURS : Math.max(0, t - last) / 3600.0;
        }

        int commonNeighbours(int u, int v) {
            Set<Integer> a = neighbours.getOrDefault(u, Set.of());
            Set<Integer> b = neighbours.getOrDefault(v, Set.of());
            Set<Integer> smaller = a.size() <= b.size() ? a : b;
            Set<Integer> larger = smaller == a ? b : a;
            int c = 0;
            for (int w : smaller) {
                if (larger.contains(w)) {
                    c++;
                }
            }
            return c;
        }
    }
}
