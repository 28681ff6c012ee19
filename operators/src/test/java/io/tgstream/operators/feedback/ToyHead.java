package io.tgstream.operators.feedback;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/** The head of the toy loop job: {@link ToyModel}'s semantics, one node per key. */
final class ToyHead extends FeedbackHeadOperator<ToyRecords.Edge, ToyRecords.Message, ToyRecords.Result> {

    private transient ValueState<Long> value;
    private transient MapState<Long, Long> received;

    ToyHead(FeedbackHeadParameters<ToyRecords.Message, ToyRecords.Result> parameters) {
        super(parameters);
    }

    @Override
    protected void onOpen() throws Exception {
        value = getPartitionedState(new ValueStateDescriptor<>("value", Types.LONG));
        received = getPartitionedState(new MapStateDescriptor<>("received", Types.LONG, Types.LONG));
        FailureInjection.HEADS_OPENED.incrementAndGet();
    }

    @Override
    protected void processInput(ToyRecords.Edge edge, long batch) throws Exception {
        FailureInjection.maybeFail(FailureInjection.Point.AT_INPUT, edge.seq == FailureInjection.at);
        long v = value.value() == null ? 0L : value.value();
        emitFeedback(new ToyRecords.Message(edge.dst, batch, ToyModel.amount(v, edge.seq)));
        FailureInjection.INPUTS_PROCESSED.incrementAndGet();
    }

    @Override
    protected void processFeedback(ToyRecords.Message message) throws Exception {
        if (isReplayingLog()) {
            FailureInjection.REPLAYED.incrementAndGet();
        }
        FailureInjection.maybeFail(FailureInjection.Point.WHILE_LOGGING, isApplyingLoggedRecords());
        Long sum = received.get(message.batch);
        received.put(message.batch, (sum == null ? 0L : sum) + message.amount);
        scheduleBatchEnd(message.batch);
    }

    @Override
    protected void onBatchEnd(long batch) throws Exception {
        Long sum = received.get(batch);
        if (sum == null) {
            return;
        }
        received.remove(batch);
        long v = ToyModel.afterBatch(value.value() == null ? 0L : value.value(), sum);
        value.update(v);
        emit(new ToyRecords.Result((Long) getCurrentKey(), batch, v));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        FailureInjection.maybeSlowDown();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        FailureInjection.maybeFail(
                FailureInjection.Point.AFTER_LOGGED_CHECKPOINT,
                checkpointId == lastCommittedCheckpointId() && lastCommittedLogRecords() > 0);
    }
}
