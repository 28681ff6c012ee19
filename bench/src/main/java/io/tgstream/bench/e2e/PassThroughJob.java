package io.tgstream.bench.e2e;

import io.tgstream.connectors.EdgeEventSource;
import io.tgstream.connectors.ExactlyOnceKafkaSink;
import io.tgstream.connectors.KeyedJsonSerializer;
import io.tgstream.connectors.json.ParserSettings;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeEvent;
import io.tgstream.jobs.StreamJob;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Baseline (b): the tgstream job's skeleton without its model and loop. Kafka edge events (same source and parser)
 * -> both endpoints -> keyBy(node) -> per endpoint, read and write a RocksDB value of one node record's size -> one
 * score record per event (from the destination side) -> exactly-once Kafka sink; same Flink settings as the job
 * (RocksDB, aligned checkpoints, buffer timeout), same parallelism.
 */
final class PassThroughJob {
    private PassThroughJob() {
    }

    static JobClient start(Configuration conf, String servers, String input, String output, int parallelism,
                           int recordBytes, String transactionalIdPrefix) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(1);
        env.setBufferTimeout(StreamJob.BUFFER_TIMEOUT_MS);
        env.fromSource(EdgeEventSource.builder(servers, input, ParserSettings.defaults())
                        .setBounded(OffsetsInitializer.latest()).build(), WatermarkStrategy.noWatermarks(), "edge events")
                .setParallelism(1)
                .flatMap(new Endpoints()).returns(TypeInformation.of(EndpointTouch.class)).setParallelism(1)
                .keyBy(t -> t.node, Types.LONG)
                .process(new TouchState(recordBytes)).returns(TypeInformation.of(ScoreRecord.class))
                .setParallelism(parallelism).name("node state")
                .sinkTo(ExactlyOnceKafkaSink.create(servers, transactionalIdPrefix, KeyedJsonSerializer.scores(output)))
                .setParallelism(parallelism).name("scores sink");
        return env.executeAsync("pass-through " + input + " -> " + output);
    }

    /** Valid events to their two endpoints, numbered in arrival order like the sequencer does. */
    static final class Endpoints extends RichFlatMapFunction<Either<EdgeEvent, DeadLetter>, EndpointTouch> {
        private static final long serialVersionUID = 1L;
        private transient long seq;

        @Override
        public void open(OpenContext context) {
            seq = 0;
        }

        @Override
        public void flatMap(Either<EdgeEvent, DeadLetter> in, Collector<EndpointTouch> out) {
            if (in.isRight()) {
                return;
            }
            EdgeEvent e = in.left();
            long s = seq++;
            out.collect(new EndpointTouch(e.src(), s, false, e.srcId(), e.dstId(), e.timestamp()));
            out.collect(new EndpointTouch(e.dst(), s, true, e.srcId(), e.dstId(), e.timestamp()));
        }
    }

    /** Reads, changes and writes the node's value (a byte array of a node record's size); the destination emits. */
    static final class TouchState extends KeyedProcessFunction<Long, EndpointTouch, ScoreRecord> {
        private static final long serialVersionUID = 1L;
        private final int recordBytes;
        private transient ValueState<byte[]> value;

        TouchState(int recordBytes) {
            this.recordBytes = recordBytes;
        }

        @Override
        public void open(OpenContext context) {
            value = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("node-record", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(EndpointTouch t, Context ctx, Collector<ScoreRecord> out) throws Exception {
            byte[] v = value.value();
            if (v == null) {
                v = new byte[recordBytes];
            }
            v[(int) (t.seq % v.length)]++;
            value.update(v);
            if (t.destination) {
                out.collect(new ScoreRecord(Long.toString(t.seq), t.srcId, t.dstId, t.ts, 0.5f, 0, "pass-through"));
            }
        }
    }
}
