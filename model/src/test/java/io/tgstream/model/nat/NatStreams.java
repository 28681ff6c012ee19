package io.tgstream.model.nat;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.List;

/** Hand-made streams and batch helpers for the NAT tests. */
final class NatStreams {
    private NatStreams() {
    }

    /** A stream of the given (src, dst, time) rows, no features. */
    static EdgeStream of(Object[][] rows) {
        List<EdgeEvent> events = new ArrayList<>();
        for (Object[] r : rows) {
            events.add(new EdgeEvent((String) r[0], (String) r[1], ((Number) r[2]).longValue(), new float[0], 0, 1));
        }
        return EdgeStream.of("hand-made", "s", 0, events);
    }

    /** Events from..to-1. */
    static int[] range(int from, int to) {
        int[] e = new int[to - from];
        for (int i = 0; i < e.length; i++) {
            e[i] = from + i;
        }
        return e;
    }

    /** Applies a batch and writes value row r = (base + r, -(base + r), 0, ...). */
    static RefreshRequests applyAndWrite(NeighbourDictionaries d, EdgeStream s, int[] events, float base) {
        RefreshRequests r = d.applyBatch(s, events);
        int f = d.config().valueDim();
        float[] values = new float[r.size() * f];
        for (int row = 0; row < r.size(); row++) {
            values[row * f] = base + row;
            if (f > 1) {
                values[row * f + 1] = -(base + row);
            }
        }
        d.writeRefreshed(r, values);
        return r;
    }

    /** Applies the stream in batches of b, writing values as {@link #applyAndWrite} with base 100 * batch. */
    static void replay(NeighbourDictionaries d, EdgeStream s, int b) {
        for (int from = 0, k = 0; from < s.size(); from += b, k++) {
            applyAndWrite(d, s, range(from, Math.min(s.size(), from + b)), 100f * k);
        }
    }

    static int node(EdgeStream s, String id) {
        for (int i = 0; i < s.nodeCount(); i++) {
            if (s.nodeId(i).equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node " + id);
    }
}
