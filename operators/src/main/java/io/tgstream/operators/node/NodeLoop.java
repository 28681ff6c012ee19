package io.tgstream.operators.node;

import io.tgstream.operators.feedback.FeedbackHeadFactory;
import io.tgstream.operators.feedback.FeedbackLoop;
import io.tgstream.operators.sequence.SequencedEdge;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Wires fan-out, keyBy(node) and the {@link NodeOperator} on its feedback loop behind a sequenced, batch-stamped
 * stream of events; returns the scores (embeddings on {@link NodeOperator#EMBEDDINGS}). With a node TTL the sequenced
 * stream must have parallelism 1, as the job's sequencer has.
 */
public final class NodeLoop {
    /** The loop's id: names the operators and their uids ({@code node-loop-head}, {@code node-loop-tail}). */
    public static final String LOOP_ID = "node-loop";

    private NodeLoop() {}

    public static SingleOutputStreamOperator<NodeScore> attach(DataStream<SequencedEdge> sequenced,
                                                               NodeOperatorSettings settings, int parallelism) {
        if (settings.expiry().enabled() && sequenced.getParallelism() != 1) {
            throw new IllegalArgumentException("a node TTL needs the sequenced stream at parallelism 1 (the fan-out "
                    + "stamps every request with the stream time, which takes the total order); it has "
                    + sequenced.getParallelism());
        }
        DataStream<NodeRequest> requests = sequenced.flatMap(new EndpointFanOut())
                .returns(TypeInformation.of(NodeRequest.class))
                .name("fan-out to endpoints").uid("fan-out")
                .setParallelism(sequenced.getParallelism());
        return FeedbackLoop.builder(LOOP_ID, TypeInformation.of(PartnerHalf.class), new HalfTarget())
                .parallelism(parallelism)
                .build(requests.keyBy(new RequestNode(), Types.LONG), TypeInformation.of(NodeScore.class),
                        headFactory(settings));
    }

    private static FeedbackHeadFactory<NodeRequest, PartnerHalf, NodeScore> headFactory(NodeOperatorSettings s) {
        return parameters -> new NodeOperator(parameters, s);
    }

    /** The node a request is for. */
    static final class RequestNode implements KeySelector<NodeRequest, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(NodeRequest r) {
            return r.node;
        }
    }

    /** The node a half is for. */
    static final class HalfTarget implements KeySelector<PartnerHalf, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(PartnerHalf h) {
            return h.target;
        }
    }
}
