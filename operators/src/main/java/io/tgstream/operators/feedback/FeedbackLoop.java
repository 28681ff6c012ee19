package io.tgstream.operators.feedback;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an exactly-once feedback loop: {@code input -> head -> keyBy(target) -> tail -> in-JVM
 * queue -> head}, with head subtask i and tail subtask i co-located in one slot.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Out> out =
 *     FeedbackLoop.builder("node-loop", Types.POJO(Half.class), Half::targetNode)
 *         .parallelism(2)
 *         .build(events.keyBy(Event::node), Types.POJO(Out.class), NodeHead::new);
 * }</pre>
 *
 * <p>The input must be keyed with the same key type and hash as {@code feedbackKey}, carry the
 * batch index as its timestamp and watermarks that close batches (see
 * {@link FeedbackHeadOperator}). Do not change the parallelism of the returned stream: set it
 * here, head and tail must match. Checkpoints must be aligned, exactly-once and one at a time;
 * the builder and the running job refuse anything else with a clear message.
 *
 * @param <T> the records sent round the loop
 * @param <K> the key of input and feedback records
 */
public final class FeedbackLoop<T, K> {

    /** Max parallelism of head and tail when neither the builder nor the environment sets one. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    /**
     * Buffer timeout of the head (ms) when the environment flushes only full buffers: markers
     * and watermarks must travel the loop promptly or batches stall.
     */
    public static final long DEFAULT_BUFFER_TIMEOUT_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLoop.class);

    private final String loopId;
    private final TypeInformation<T> feedbackType;
    private final KeySelector<T, K> feedbackKey;
    private int parallelism = -1;
    private int maxParallelism = -1;
    private boolean replayLogOnRestore = true;

    private FeedbackLoop(String loopId, TypeInformation<T> feedbackType, KeySelector<T, K> feedbackKey) {
        this.loopId = loopId;
        this.feedbackType = feedbackType;
        this.feedbackKey = feedbackKey;
    }

    /**
     * Starts a loop.
     *
     * @param loopId unique per job; names the operators and their uids ({@code <id>-head},
     *     {@code <id>-tail}), so keep it stable across versions of a job to restore its state
     * @param feedbackType type of the records sent round the loop
     * @param feedbackKey the target key of a feedback record (same key space as the input's)
     */
    public static <T, K> FeedbackLoop<T, K> builder(
            String loopId, TypeInformation<T> feedbackType, KeySelector<T, K> feedbackKey) {
        if (loopId == null || loopId.isBlank()) {
            throw new IllegalArgumentException("A feedback loop needs a non-blank id.");
        }
        return new FeedbackLoop<>(
                loopId,
                Objects.requireNonNull(feedbackType, "feedbackType"),
                Objects.requireNonNull(feedbackKey, "feedbackKey"));
    }

    /** Parallelism of head and tail (default: the environment's). */
    public FeedbackLoop<T, K> parallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("Parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    /** Max parallelism (number of key groups) of head and tail; fixed for the job's lifetime. */
    public FeedbackLoop<T, K> maxParallelism(int maxParallelism) {
        if (maxParallelism < 1) {
            throw new IllegalArgumentException(
                    "Max parallelism must be at least 1, got " + maxParallelism);
        }
        this.maxParallelism = maxParallelism;
        return this;
    }

    /** Only for the control experiment that proves the log is needed: it must lose records. */
    FeedbackLoop<T, K> replayLogOnRestore(boolean replay) {
        this.replayLogOnRestore = replay;
        return this;
    }

    /**
     * Wires the loop around {@code input} and returns the head's output.
     *
     * @throws IllegalStateException if the environment's checkpointing cannot carry a loop
     */
    public <IN, OUT> SingleOutputStreamOperator<OUT> build(
            KeyedStream<IN, K> input,
            TypeInformation<OUT> outputType,
            FeedbackHeadFactory<IN, T, OUT> headFactory) {
        StreamExecutionEnvironment env = input.getExecutionEnvironment();
        String refusal = FlinkInternalApi.refusalFor(env.getCheckpointConfig());
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        int p = parallelism > 0 ? parallelism : env.getParallelism();
        int maxP =
                maxParallelism > 0
                        ? maxParallelism
                        : env.getMaxParallelism() > 0 ? env.getMaxParallelism() : DEFAULT_MAX_PARALLELISM;
        if (p > maxP) {
            throw new IllegalArgumentException(
                    "Feedback loop '" + loopId + "': parallelism " + p
                            + " exceeds max parallelism " + maxP + ".");
        }

        OutputTag<T> feedbackTag = new OutputTag<>(loopId + "-feedback", feedbackType);
        FeedbackLoopSpec<T> spec =
                new FeedbackLoopSpec<>(
                        loopId,
                        feedbackKey,
                        feedbackType.createSerializer(env.getConfig().getSerializerConfig()),
                        feedbackTag,
                        replayLogOnRestore,
                        new FeedbackLoopShape(loopId, p, maxP));

        SingleOutputStreamOperator<OUT> head =
                input.transform(
                        "FeedbackHead[" + loopId + "]",
                        outputType,
                        new FeedbackHeadOperatorFactory<>(spec, headFactory));
        head.setParallelism(p);
        head.setMaxParallelism(maxP);
        head.uid(loopId + "-head");
        if (env.getBufferTimeout() < 0) {
            LOG.info(
                    "Feedback loop {}: buffers flush only when full; the head flushes every {} ms.",
                    loopId,
                    DEFAULT_BUFFER_TIMEOUT_MILLIS);
            head.setBufferTimeout(DEFAULT_BUFFER_TIMEOUT_MILLIS);
        }

        // keyBy without a keyed backend at the tail: it needs no state, only the partitioning.
        DataStream<T> feedback = head.getSideOutput(feedbackTag);
        DataStream<T> partitioned =
                new DataStream<>(
                        env,
                        new PartitionTransformation<>(
                                feedback.getTransformation(),
                                new KeyGroupStreamPartitioner<>(feedbackKey, maxP)));
        SingleOutputStreamOperator<Void> tail =
                partitioned.transform(
                        "FeedbackTail[" + loopId + "]",
                        Types.VOID,
                        new FeedbackTailOperatorFactory<>(spec.shape(), spec.serializer()));
        tail.setParallelism(p);
        tail.setMaxParallelism(maxP);
        tail.uid(loopId + "-tail");

        FlinkInternalApi.coLocate(
                head.getTransformation(), tail.getTransformation(), "feedback-loop-" + loopId);
        return head;
    }
}
