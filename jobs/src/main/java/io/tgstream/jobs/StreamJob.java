package io.tgstream.jobs;

import io.tgstream.connectors.EdgeEventSource;
import io.tgstream.connectors.ExactlyOnceKafkaSink;
import io.tgstream.connectors.KeyedJsonSerializer;
import io.tgstream.connectors.ValidatedEdgeEvents;
import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.connectors.json.ParserSettings;
import io.tgstream.connectors.json.TimestampUnit;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.EmbeddingRecord;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.connectors.requests.ScoringRequestDeserializer;
import io.tgstream.connectors.records.ScoringResponse;
import io.tgstream.data.ScoringRequest;
import io.tgstream.operators.requests.RequestAnswer;
import io.tgstream.operators.requests.ResponseAssembler;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.tgstream.data.EdgeEvent;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.operators.node.NodeEmbedding;
import io.tgstream.operators.node.NodeLoop;
import io.tgstream.operators.node.NodeOperator;
import io.tgstream.operators.node.NodeOperatorSettings;
import io.tgstream.operators.node.NodeScore;
import io.tgstream.operators.sequence.BatchWatermarks;
import io.tgstream.operators.sequence.LateEdge;
import io.tgstream.operators.sequence.SequencedEdge;
import io.tgstream.operators.sequence.Sequencer;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The streaming job: Kafka edge events -> validate -> sequencer (batch index = Flink timestamp) -> fan-out ->
 * node operator on its feedback loop (RocksDB) -> scores, embeddings and dead letters, all exactly-once to Kafka.
 *
 * <pre>{@code
 *   JobConfig c = JobConfig.load(Path.of("job.yaml"));
 *   StreamJob.run(c);                      // an existing Kafka, the environment of the context (cluster or local)
 *   StreamJob.runLocal(c);                 // the same on an in-process MiniCluster (demo, with EmbeddedKafkaBroker)
 *   JobClient j = StreamJob.start(env, c); // asynchronous, e.g. to stop with a savepoint
 * }</pre>
 */
public final class StreamJob {
    /** Operator uid of the sequencer (stable: savepoints map onto it). */
    public static final String SEQUENCER_UID = "sequencer";
    /**
     * Network buffer timeout (ms). Every batch needs its marker to travel the loop before it closes, so the job is
     * latency-bound: Flink's default of 100 ms per hop caps it at a few batches per second.
     */
    public static final long BUFFER_TIMEOUT_MS = 2;
    /** Flink's Prometheus reporter (flink-metrics-prometheus), used when the config sets prometheus-port. */
    public static final String PROMETHEUS_REPORTER_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private StreamJob() {}

    /** The Flink settings the job needs: RocksDB state, aligned exactly-once checkpoints, one at a time. */
    public static Configuration flinkConfiguration(JobConfig c) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(c.checkpointIntervalMs()));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
        conf.set(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS, 1);
        if (c.prometheusPort() > 0) {
            conf.set(ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
                    PROMETHEUS_REPORTER_FACTORY);
            conf.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
                    Integer.toString(c.prometheusPort()));
        }
        if (c.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.checkpointDir());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        return conf;
    }

    /** Runs the job in the context's environment (a cluster when submitted with {@code flink run}) until it ends. */
    public static JobExecutionResult run(JobConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(c));
        build(env, c);
        return env.execute(jobName(c));
    }

    /** Runs the job on a MiniCluster inside this JVM until it ends (the embedded demo). */
    public static JobExecutionResult runLocal(JobConfig c) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flinkConfiguration(c));
        build(env, c);
        return env.execute(jobName(c));
    }

    /** Builds the job into {@code env} and submits it without waiting. */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig c) throws Exception {
        return start(env, c, UnaryOperator.identity());
    }

    /** Builds the job with a score tap (see {@link #build(StreamExecutionEnvironment, JobConfig, UnaryOperator)}). */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig c,
                                  UnaryOperator<DataStream<NodeScore>> scoreTap) throws Exception {
        build(env, c, scoreTap);
        return env.executeAsync(jobName(c));
    }

    private static String jobName(JobConfig c) {
        return "tgstream " + c.inputTopic() + " -> " + c.scoresTopic();
    }

    /**
     * Adds the job's operators to {@code env}. Fails before anything runs if the model file cannot be read or the
     * environment's checkpointing cannot carry the feedback loop.
     */
    public static void build(StreamExecutionEnvironment env, JobConfig c) {
        build(env, c, UnaryOperator.identity());
    }

    /**
     * Adds the job's operators to {@code env}, with {@code scoreTap} applied to the node operator's scores before they
     * are split into event scores and request answers. Keep the tap's parallelism (the loop's) so that it chains to
     * the node operator: the fault-injection tests use it to fail that task at exact points.
     */
    public static void build(StreamExecutionEnvironment env, JobConfig c,
                             UnaryOperator<DataStream<NodeScore>> scoreTap) {
        int featureDim = checkModel(c.model()).config().edgeFeatureDim();
        env.setParallelism(1);
        env.setBufferTimeout(BUFFER_TIMEOUT_MS);
        // an edge with another feature count than the model's is a dead letter, not a failure in the node operator
        ParserSettings parser = ParserSettings.defaults().withExpectedFeatures(featureDim).withTimestampUnit(
                c.timestampUnit().equals("s") ? TimestampUnit.SECONDS : TimestampUnit.MILLISECONDS);
        KafkaSourceBuilder<Either<EdgeEvent, DeadLetter>> source =
                EdgeEventSource.builder(c.bootstrapServers(), c.inputTopic(), parser);
        if (c.bounded()) {
            source.setBounded(OffsetsInitializer.latest());
        }
        DataStream<Either<EdgeEvent, DeadLetter>> parsed = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), "edge events")
                .uid("edge-events").setParallelism(1);
        ValidatedEdgeEvents validated = ValidatedEdgeEvents.split(parsed);

        TypeInformation<Either<EdgeEvent, ScoringRequest>> inputType =
                new EitherTypeInfo<>(TypeInformation.of(EdgeEvent.class), TypeInformation.of(ScoringRequest.class));
        DataStream<Either<EdgeEvent, ScoringRequest>> input = validated.events()
                .map(new AsEdgeInput()).returns(inputType).name("edges").uid("edge-input").setParallelism(1);
        SingleOutputStreamOperator<ScoringRequest> requests = null;
        if (c.requestsTopic() != null) {
            KafkaSourceBuilder<Either<ScoringRequest, DeadLetter>> requestSource = KafkaSource
                    .<Either<ScoringRequest, DeadLetter>>builder().setBootstrapServers(c.bootstrapServers())
                    .setTopics(c.requestsTopic()).setGroupId(EdgeEventSource.DEFAULT_GROUP_ID)
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(new ScoringRequestDeserializer())
                    .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            if (c.bounded()) {
                requestSource.setBounded(OffsetsInitializer.latest());
            }
            requests = env.fromSource(requestSource.build(), WatermarkStrategy.noWatermarks(), "scoring requests")
                    .uid("scoring-requests").setParallelism(1)
                    .process(new RouteRequests()).returns(TypeInformation.of(ScoringRequest.class))
                    .name("route request dead letters").uid("route-request-dead-letters").setParallelism(1);
            input = input.union(requests.map(new AsRequestInput()).returns(inputType).name("requests")
                    .uid("request-input").setParallelism(1));
        }
        SingleOutputStreamOperator<SequencedEdge> sequenced = input
                .process(new Sequencer(c.batchMode(), c.batchWidthForMode(), c.inputTopic(), c.recentDestinations()))
                .returns(TypeInformation.of(SequencedEdge.class))
                .name("sequencer").uid(SEQUENCER_UID).setParallelism(1);
        DataStream<SequencedEdge> stamped = sequenced
                .assignTimestampsAndWatermarks(BatchWatermarks.strategy())
                .name("batch watermarks").uid("batch-watermarks").setParallelism(1);

        NodeOperatorSettings settings = new NodeOperatorSettings(c.model(), c.modelVersion(),
                c.embeddingsTopic() != null, c.precision().equals("double")).withExpiry(c.nodeExpiry());
        SingleOutputStreamOperator<NodeScore> nodeScores = NodeLoop.attach(stamped, settings, c.parallelism());
        DataStream<NodeScore> scores = scoreTap.apply(nodeScores);

        String version = c.modelVersion();
        if (c.responsesTopic() != null) {
            scores.filter(s -> s.request != null).name("request scores").uid("request-scores")
                    .setParallelism(c.parallelism())
                    .keyBy(new RequestKey(), Types.STRING)
                    .process(new ResponseAssembler()).returns(TypeInformation.of(RequestAnswer.class))
                    .name("assemble responses").uid("assemble-responses").setParallelism(c.parallelism())
                    .map(new ToResponse(version)).returns(TypeInformation.of(ScoringResponse.class))
                    .name("responses").uid("responses").setParallelism(c.parallelism())
                    .sinkTo(ExactlyOnceKafkaSink.create(c.bootstrapServers(), c.transactionalIdPrefix() + "-responses",
                            KeyedJsonSerializer.responses(c.responsesTopic())))
                    .name("responses sink").uid("responses-sink").setParallelism(c.parallelism());
        }
        scores.filter(s -> s.request == null).name("event scores").uid("event-scores")
                .setParallelism(c.parallelism())
                .map(new ToScoreRecord(version)).returns(TypeInformation.of(ScoreRecord.class))
                .name("score records").uid("score-records").setParallelism(c.parallelism())
                .sinkTo(ExactlyOnceKafkaSink.create(c.bootstrapServers(), c.transactionalIdPrefix() + "-scores",
                        KeyedJsonSerializer.scores(c.scoresTopic())))
                .name("scores sink").uid("scores-sink").setParallelism(c.parallelism());
        if (c.embeddingsTopic() != null) {
            nodeScores.getSideOutput(NodeOperator.EMBEDDINGS)
                    .map(new ToEmbeddingRecord(version)).returns(TypeInformation.of(EmbeddingRecord.class))
                    .name("embedding records").uid("embedding-records").setParallelism(c.parallelism())
                    .sinkTo(ExactlyOnceKafkaSink.create(c.bootstrapServers(),
                            c.transactionalIdPrefix() + "-embeddings", KeyedJsonSerializer.embeddings(c.embeddingsTopic())))
                    .name("embeddings sink").uid("embeddings-sink").setParallelism(c.parallelism());
        }
        if (c.deadLetterTopic() != null) {
            DataStream<DeadLetter> refused = validated.deadLetters()
                    .union(sequenced.getSideOutput(Sequencer.LATE).map(new ToDeadLetter())
                            .returns(TypeInformation.of(DeadLetter.class)).name("late dead letters")
                            .uid("late-dead-letters").setParallelism(1));
            if (requests != null) {
                refused = refused.union(requests.getSideOutput(RouteRequests.DEAD_LETTERS),
                        sequenced.getSideOutput(Sequencer.UNANSWERABLE).map(new UnanswerableToDeadLetter(c.requestsTopic()))
                                .returns(TypeInformation.of(DeadLetter.class)).name("unanswerable requests")
                                .uid("unanswerable-requests").setParallelism(1));
            }
            refused
                    .sinkTo(ExactlyOnceKafkaSink.create(c.bootstrapServers(),
                            c.transactionalIdPrefix() + "-dead-letters", KeyedJsonSerializer.deadLetters(c.deadLetterTopic())))
                    .name("dead-letter sink").uid("dead-letter-sink").setParallelism(1);
        }
    }

    private static io.tgstream.model.MemoryModel checkModel(String model) {
        io.tgstream.model.MemoryModel m;
        try {
            m = MemoryModelFile.load(Path.of(model));
        } catch (ModelFileException e) {
            throw new IllegalArgumentException("cannot use model file '" + model + "': " + e.getMessage()
                    + "; train one with 'tgstream train'", e);
        }
        // the node state carries no neighbour dictionaries yet: such a model would be scored without them, wrongly
        if (m.parts().hasDictionaries() || !m.parts().memory()) {
            throw new IllegalArgumentException("cannot stream model file '" + model + "': it uses " + m.parts().label()
                    + ", and the streaming job runs memory models only so far; train one without --dictionaries");
        }
        return m;
    }

    /** Node scores to the scores topic's records (event id = sequence number, or the probe's id). */
    static final class ToScoreRecord implements MapFunction<NodeScore, ScoreRecord> {
        private static final long serialVersionUID = 1L;
        private final String version;

        ToScoreRecord(String version) { this.version = version; }

        @Override
        public ScoreRecord map(NodeScore s) {
            return s.probeId != null
                    ? new ScoreRecord(s.probeId, s.srcId, s.dstId, s.ts, s.score, s.batch, version, true)
                    : new ScoreRecord(Long.toString(s.seq), s.srcId, s.dstId, s.ts, s.score, s.batch, version);
        }
    }

    /** Node embeddings to the embeddings topic's records. */
    static final class ToEmbeddingRecord implements MapFunction<NodeEmbedding, EmbeddingRecord> {
        private static final long serialVersionUID = 1L;
        private final String version;

        ToEmbeddingRecord(String version) { this.version = version; }

        @Override
        public EmbeddingRecord map(NodeEmbedding e) {
            return new EmbeddingRecord(e.nodeId, e.ts, e.vector, version);
        }
    }

    /**
     * Late events to dead letters with reason {@value LateEdge#REASON}. The source offset is not known here: the
     * partition is -1 and the offset the late event's index, so that keys are unique on the compacted topic.
     */
    static final class ToDeadLetter implements MapFunction<LateEdge, DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public DeadLetter map(LateEdge l) {
            SequencedEdge e = l.edge;
            byte[] raw = EdgeEventJson.write(e.toEvent());
            return new DeadLetter(raw, LateEdge.REASON, l.message(), l.topic, -1, l.index);
        }
    }

    /** An edge as the sequencer's input. */
    static final class AsEdgeInput implements MapFunction<EdgeEvent, Either<EdgeEvent, ScoringRequest>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Either<EdgeEvent, ScoringRequest> map(EdgeEvent e) {
            return Either.Left(e);
        }
    }

    /** A scoring request as the sequencer's input. */
    static final class AsRequestInput implements MapFunction<ScoringRequest, Either<EdgeEvent, ScoringRequest>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Either<EdgeEvent, ScoringRequest> map(ScoringRequest r) {
            return Either.Right(r);
        }
    }

    /** Valid requests downstream, refused ones to a side output. */
    static final class RouteRequests extends ProcessFunction<Either<ScoringRequest, DeadLetter>, ScoringRequest> {
        private static final long serialVersionUID = 1L;
        static final OutputTag<DeadLetter> DEAD_LETTERS =
                new OutputTag<>("request-dead-letters", TypeInformation.of(DeadLetter.class));

        @Override
        public void processElement(Either<ScoringRequest, DeadLetter> v, Context ctx, Collector<ScoringRequest> out) {
            if (v.isLeft()) {
                out.collect(v.left());
            } else {
                ctx.output(DEAD_LETTERS, v.right());
            }
        }
    }

    /** The request id a request's score belongs to. */
    static final class RequestKey implements KeySelector<NodeScore, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(NodeScore s) {
            return s.request.requestId;
        }
    }

    /** Assembled answers to the responses topic's records. */
    static final class ToResponse implements MapFunction<RequestAnswer, ScoringResponse> {
        private static final long serialVersionUID = 1L;
        private final String version;

        ToResponse(String version) { this.version = version; }

        @Override
        public ScoringResponse map(RequestAnswer a) {
            List<ScoringResponse.Scored> scored = new ArrayList<>(a.dst.length);
            for (int i = 0; i < a.dst.length; i++) {
                scored.add(new ScoringResponse.Scored(a.dst[i], a.score[i]));
            }
            return new ScoringResponse(a.requestId, a.srcId, a.ts, a.batch, version, a.topK, a.considered, scored);
        }
    }

    /** A top-K request with nothing to rank yet, as a dead letter with reason {@value #NO_CANDIDATES}. */
    static final class UnanswerableToDeadLetter implements MapFunction<ScoringRequest, DeadLetter> {
        private static final long serialVersionUID = 1L;
        static final String NO_CANDIDATES = "no_candidates";
        private final String topic;

        UnanswerableToDeadLetter(String topic) { this.topic = topic; }

        @Override
        public DeadLetter map(ScoringRequest r) {
            byte[] raw = ("{\"request_id\": \"" + r.requestId().replace("\"", "\\\"") + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new DeadLetter(raw, NO_CANDIDATES, "top-K request " + r.requestId() + " arrived before any"
                    + " destination was seen: nothing to rank yet", topic, -1, -1);
        }
    }
}
