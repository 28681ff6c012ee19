package io.tgstream.model;

import io.tgstream.data.EdgeStream;

/**
 * The time scale tau of the time projection: the mean gap between a node's successive events over the training
 * events, so that dt / tau is about 1 for a typical gap whatever the data set's time unit.
 */
public final class TimeScale {
    private TimeScale() {}

    /** tau over the given events (stream indices in time order); 1 when no node occurs twice. */
    public static double of(EdgeStream stream, int[] events) {
        long[] last = new long[stream.nodeCount()];
        boolean[] seen = new boolean[stream.nodeCount()];
        double sum = 0;
        long count = 0;
        for (int e : events) {
            long t = stream.timestamp(e);
            for (int node : new int[] {stream.src(e), stream.dst(e)}) {
                if (seen[node]) {
                    sum += t - last[node];
                    count++;
                }
                seen[node] = true;
                last[node] = t;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        return mean > 0 ? mean : 1.0;
    }
}
