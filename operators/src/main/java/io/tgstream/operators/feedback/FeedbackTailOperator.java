package io.tgstream.operators.feedback;

import io.tgstream.operators.debug.BatchTimeline;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The end of a feedback loop: receives the records the heads sent round the loop (already
 * partitioned by target key) and puts them into the queue of its co-located head subtask, followed
 * in FIFO order by a marker for every watermark and by a sentinel for every checkpoint barrier.
 * It never blocks and emits nothing.
 */
final class FeedbackTailOperator<T> extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<T, Void> {

    private final FeedbackLoopShape shape;
    private final TypeSerializer<T> serializer;
    private transient FeedbackChannelKey channelKey;
    private transient FeedbackChannel<T> channel;
    private transient boolean copyRecords;
    private transient long tlLast = Long.MIN_VALUE;

    FeedbackTailOperator(
            StreamOperatorParameters<Void> parameters, FeedbackLoopShape shape, TypeSerializer<T> serializer) {
        super(parameters);
        this.shape = shape;
        this.serializer = serializer;
    }

    @Override
    public void open() throws Exception {
        super.open();
        String refusal =
                FlinkInternalApi.refusalFor(
                        getContainingTask().getEnvironment().getJobConfiguration());
        if (refusal == null) {
            refusal = shape.refusalFor("tail", getRuntimeContext().getTaskInfo());
        }
        if (refusal != null) {
            throw new org.apache.flink.runtime.execution.SuppressRestartsException(
                    new IllegalStateException(refusal));
        }
        channelKey =
                new FeedbackChannelKey(
                        getRuntimeContext().getJobInfo().getJobId().toString(),
                        shape.loopId(),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        getRuntimeContext().getTaskInfo().getAttemptNumber());
        channel = FeedbackChannelBroker.get().acquire(channelKey);
        // With object reuse the network deserializer may recycle the instance we enqueue.
        copyRecords = getExecutionConfig().isObjectReuseEnabled();
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        T record = copyRecords ? serializer.copy(element.getValue()) : element.getValue();
        long timestamp = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
        if (BatchTimeline.ON && timestamp > tlLast) {
            tlLast = timestamp;
            BatchTimeline.mark("tail_first", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), timestamp);
        }
        channel.put(FeedbackElement.record(record, timestamp));
    }

    @Override
    public void processWatermark(Watermark mark) {
        BatchTimeline.mark("tail_wm", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), mark.getTimestamp());
        channel.put(FeedbackElement.marker(mark.getTimestamp()));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        BatchTimeline.mark("tail_barrier", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), checkpointId);
        channel.put(FeedbackElement.sentinel(checkpointId));
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        // A head may be waiting in its snapshot for this checkpoint's sentinel: release it.
        channel.put(FeedbackElement.abort(checkpointId));
    }

    @Override
    public void close() throws Exception {
        try {
            if (channelKey != null) {
                FeedbackChannelBroker.get().release(channelKey);
                channelKey = null;
            }
        } finally {
            super.close();
        }
    }
}
