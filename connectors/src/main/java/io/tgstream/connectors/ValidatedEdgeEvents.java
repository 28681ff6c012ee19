package io.tgstream.connectors;

import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.data.EdgeEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The two streams that come out of an edge-event source: valid events, and dead letters on a side output.
 *
 * <p>Built from the output of {@link EdgeEventDeserializer}; nothing that failed validation is in {@link #events()}.
 */
public final class ValidatedEdgeEvents {
    /** The side output that carries dead letters. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final SingleOutputStreamOperator<EdgeEvent> events;

    private ValidatedEdgeEvents(SingleOutputStreamOperator<EdgeEvent> events) {
        this.events = events;
    }

    /** Operator uid of the split unless given: stable, so that savepoints map onto the job after code changes. */
    public static final String DEFAULT_UID = "route-dead-letters";

    /** Splits a stream of parse outcomes (for example a Kafka source with {@link EdgeEventDeserializer}). */
    public static ValidatedEdgeEvents split(DataStream<Either<EdgeEvent, DeadLetter>> parsed) {
        return split(parsed, DEFAULT_UID);
    }

    /** As {@link #split(DataStream)}, with the operator uid to use (one per source when a job has several). */
    public static ValidatedEdgeEvents split(DataStream<Either<EdgeEvent, DeadLetter>> parsed, String uid) {
        SingleOutputStreamOperator<EdgeEvent> events = parsed
                .process(new Router())
                .returns(TypeInformation.of(EdgeEvent.class))
                .name("route dead letters")
                .uid(uid);
        return new ValidatedEdgeEvents(events);
    }

    /** Valid events, in source order per partition. */
    public DataStream<EdgeEvent> events() {
        return events;
    }

    /** Refused records. */
    public DataStream<DeadLetter> deadLetters() {
        return events.getSideOutput(DEAD_LETTERS);
    }

    /** Sends lefts downstream and rights to the dead-letter side output. */
    private static final class Router extends ProcessFunction<Either<EdgeEvent, DeadLetter>, EdgeEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Either<EdgeEvent, DeadLetter> value, Context ctx, Collector<EdgeEvent> out) {
            if (value.isLeft()) {
                out.collect(value.left());
            } else {
                ctx.output(DEAD_LETTERS, value.right());
            }
        }
    }
}
