package io.tgstream.operators.feedback;

import java.io.Serializable;

/**
 * Creates the user's head operator in each subtask, typically a constructor reference
 * ({@code MyHead::new}) of a {@link FeedbackHeadOperator} subclass.
 */
@FunctionalInterface
public interface FeedbackHeadFactory<IN, T, OUT> extends Serializable {

    FeedbackHeadOperator<IN, T, OUT> create(FeedbackHeadParameters<T, OUT> parameters);
}
