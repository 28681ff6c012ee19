package io.tgstream.operators.node;

import io.tgstream.operators.sequence.SequencedEdge;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns every event into its two endpoint requests (source side first), to be keyed by node. */
public final class EndpointFanOut implements FlatMapFunction<SequencedEdge, NodeRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(SequencedEdge e, Collector<NodeRequest> out) {
        out.collect(NodeRequest.of(e, true));
        out.collect(NodeRequest.of(e, false));
    }
}
