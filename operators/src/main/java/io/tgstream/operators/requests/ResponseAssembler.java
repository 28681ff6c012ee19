package io.tgstream.operators.requests;

import io.tgstream.operators.node.NodeScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by request id: collects the scores of a request's probes and, when all {@code size} are in, emits the answer:
 * every candidate in the client's order, or the K best of a top-K request (descending score, ties by id). The scores
 * wait in keyed state, so a checkpoint between two parts of an answer loses nothing; a count beside them means the
 * parts are read once, when the last arrives, not on every part.
 */
public final class ResponseAssembler extends KeyedProcessFunction<String, NodeScore, RequestAnswer> {
    private static final long serialVersionUID = 1L;
    /** Keyed state: the scores of a request received so far. */
    static final ListStateDescriptor<NodeScore> PARTS =
            new ListStateDescriptor<>("request-parts", TypeInformation.of(NodeScore.class));

    /** Keyed state: how many parts of the request have arrived. */
    static final ValueStateDescriptor<Integer> RECEIVED = new ValueStateDescriptor<>("request-parts-received", Types.INT);

    private transient ListState<NodeScore> parts;
    private transient ValueState<Integer> received;

    @Override
    public void open(OpenContext context) {
        parts = getRuntimeContext().getListState(PARTS);
        received = getRuntimeContext().getState(RECEIVED);
    }

    @Override
    public void processElement(NodeScore s, Context ctx, Collector<RequestAnswer> out) throws Exception {
        if (s.request == null) {
            throw new IllegalArgumentException("a score without a request reached the response assembler: " + s);
        }
        parts.add(s);
        Integer before = received.value();
        int count = (before == null ? 0 : before) + 1;
        if (count < s.request.size) {
            received.update(count);
            return;
        }
        List<NodeScore> all = new ArrayList<>(count);
        for (NodeScore p : parts.get()) {
            all.add(p);
        }
        parts.clear();
        received.clear();
        if (s.request.topK > 0) {
            all.sort(Comparator.comparingDouble((NodeScore p) -> -p.score).thenComparing(p -> p.dstId));
            all = all.subList(0, Math.min(s.request.topK, all.size()));
        } else {
            all.sort(Comparator.comparingInt(p -> p.request.index));
        }
        RequestAnswer a = new RequestAnswer();
        a.requestId = s.request.requestId;
        a.srcId = s.srcId;
        a.ts = s.ts;
        a.batch = s.batch;
        a.topK = s.request.topK;
        a.considered = s.request.size;
        a.dst = new String[all.size()];
        a.score = new float[all.size()];
        for (int i = 0; i < all.size(); i++) {
            a.dst[i] = all.get(i).dstId;
            a.score[i] = all.get(i).score;
        }
        out.collect(a);
    }
}
