package io.tgstream.operators.feedback;

import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates the user's {@link FeedbackHeadOperator} of a loop in each subtask. */
final class FeedbackHeadOperatorFactory<IN, T, OUT> extends AbstractStreamOperatorFactory<OUT>
        implements OneInputStreamOperatorFactory<IN, OUT> {

    private static final long serialVersionUID = 1L;

    private final FeedbackLoopSpec<T> spec;
    private final FeedbackHeadFactory<IN, T, OUT> headFactory;

    FeedbackHeadOperatorFactory(FeedbackLoopSpec<T> spec, FeedbackHeadFactory<IN, T, OUT> headFactory) {
        this.spec = spec;
        this.headFactory = headFactory;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <O extends StreamOperator<OUT>> O createStreamOperator(
            StreamOperatorParameters<OUT> parameters) {
        return (O) headFactory.create(new FeedbackHeadParameters<>(parameters, spec));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return FeedbackHeadOperator.class;
    }
}
