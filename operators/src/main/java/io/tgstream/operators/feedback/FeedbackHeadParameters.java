package io.tgstream.operators.feedback;

import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Everything a {@link FeedbackHeadOperator} is constructed from: Flink's operator parameters and
 * the loop it heads. Pass it unchanged to the {@code super} constructor.
 */
public final class FeedbackHeadParameters<T, OUT> {

    private final StreamOperatorParameters<OUT> operatorParameters;
    private final FeedbackLoopSpec<T> spec;

    FeedbackHeadParameters(StreamOperatorParameters<OUT> operatorParameters, FeedbackLoopSpec<T> spec) {
        this.operatorParameters = operatorParameters;
        this.spec = spec;
    }

    StreamOperatorParameters<OUT> operatorParameters() {
        return operatorParameters;
    }

    FeedbackLoopSpec<T> spec() {
        return spec;
    }
}
