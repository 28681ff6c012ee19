package io.tgstream.operators.feedback;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates the {@link FeedbackTailOperator} of a loop in each subtask. */
final class FeedbackTailOperatorFactory<T> extends AbstractStreamOperatorFactory<Void>
        implements OneInputStreamOperatorFactory<T, Void> {

    private static final long serialVersionUID = 1L;

    private final FeedbackLoopShape shape;
    private final TypeSerializer<T> serializer;

    FeedbackTailOperatorFactory(FeedbackLoopShape shape, TypeSerializer<T> serializer) {
        this.shape = shape;
        this.serializer = serializer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <O extends StreamOperator<Void>> O createStreamOperator(
            StreamOperatorParameters<Void> parameters) {
        return (O) new FeedbackTailOperator<>(parameters, shape, serializer.duplicate());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return FeedbackTailOperator.class;
    }
}
