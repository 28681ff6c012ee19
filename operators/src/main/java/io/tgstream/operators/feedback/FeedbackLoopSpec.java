package io.tgstream.operators.feedback;

import java.io.Serializable;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.OutputTag;

/**
 * What the head of one feedback loop needs to know about it: its id, how feedback records are
 * keyed and serialized, and the side output through which they leave the head.
 */
final class FeedbackLoopSpec<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String loopId;
    private final KeySelector<T, ?> keySelector;
    private final TypeSerializer<T> serializer;
    private final OutputTag<T> outputTag;
    private final boolean replayLogOnRestore;
    private final FeedbackLoopShape shape;

    FeedbackLoopSpec(
            String loopId,
            KeySelector<T, ?> keySelector,
            TypeSerializer<T> serializer,
            OutputTag<T> outputTag,
            boolean replayLogOnRestore,
            FeedbackLoopShape shape) {
        this.loopId = loopId;
        this.keySelector = keySelector;
        this.serializer = serializer;
        this.outputTag = outputTag;
        this.replayLogOnRestore = replayLogOnRestore;
        this.shape = shape;
    }

    FeedbackLoopShape shape() {
        return shape;
    }

    String loopId() {
        return loopId;
    }

    KeySelector<T, ?> keySelector() {
        return keySelector;
    }

    TypeSerializer<T> serializer() {
        return serializer;
    }

    OutputTag<T> outputTag() {
        return outputTag;
    }

    /** False only in tests that prove the log is needed (the control run must lose records). */
    boolean replayLogOnRestore() {
        return replayLogOnRestore;
    }
}
