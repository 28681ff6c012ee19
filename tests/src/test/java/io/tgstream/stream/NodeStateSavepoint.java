package io.tgstream.stream;

import io.tgstream.operators.node.NodeLoop;
import io.tgstream.operators.node.NodeOperator;
import io.tgstream.state.NodeState;
import io.tgstream.state.NodeStateSerializer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/** Reads every node's state from a savepoint of the streaming job, with Flink's State Processor API. */
final class NodeStateSavepoint {
    private NodeStateSavepoint() {}

    /** Node key to its state, as the node operator stored it in the savepoint at {@code path}. */
    static Map<Long, NodeState> read(String path) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<Long, NodeState> states = new TreeMap<>();
        try (CloseableIterator<Tuple2<Long, NodeState>> it = SavepointReader
                .read(env, path, new EmbeddedRocksDBStateBackend())
                .readKeyedState(OperatorIdentifier.forUid(NodeLoop.LOOP_ID + "-head"), new Reader(), Types.LONG,
                        Types.TUPLE(Types.LONG, TypeInformation.of(NodeState.class)))
                .executeAndCollect("read node states")) {
            while (it.hasNext()) {
                Tuple2<Long, NodeState> t = it.next();
                if (states.put(t.f0, t.f1) != null) {
                    throw new AssertionError("node " + t.f0 + " read twice from " + path);
                }
            }
        }
        return states;
    }

    /** Emits (key, state) for every node with a state. */
    static final class Reader extends KeyedStateReaderFunction<Long, Tuple2<Long, NodeState>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<NodeState> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(
                    new ValueStateDescriptor<>(NodeOperator.NODE_STATE, NodeStateSerializer.INSTANCE));
        }

        @Override
        public void readKey(Long node, Context context, Collector<Tuple2<Long, NodeState>> out) throws Exception {
            NodeState s = state.value();
            if (s != null) {
                out.collect(Tuple2.of(node, s));
            }
        }
    }
}
