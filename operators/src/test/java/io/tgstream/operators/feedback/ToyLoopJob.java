package io.tgstream.operators.feedback;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the toy loop job on RocksDB: sequence source, batch watermarks, the loop, a sink. */
final class ToyLoopJob {

    static final long SEED = 20261125L;

    long edges = 20_000;
    int batchSize = 100;
    int nodes = 200;
    int parallelism = 2;
    /** Sleep 1 ms after every this many input records, so that checkpoints fall mid-stream. */
    int throttleEvery = 40;
    long checkpointMillis = 100;
    int restartAttempts = 3;
    boolean replayLog = true;
    boolean unaligned;
    /** When positive, the misuse the loop must refuse: the head's parallelism changed on the built stream. */
    int headParallelismAfterBuild;
    /** State backend: rocksdb (the tested one) or hashmap (to separate state cost from loop cost). */
    String stateBackend = "rocksdb";
    /** Timers on the JVM heap beside RocksDB: the loop must refuse them (raw keyed state). */
    boolean heapTimers;
    String checkpointDir;
    String restoreFrom;

    Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        if (heapTimers) {
            conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        }
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointMillis));
        conf.set(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS, 1);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (restartAttempts > 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return conf;
    }

    StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
        env.setParallelism(parallelism);
        env.setBufferTimeout(2);
        return env;
    }

    /** Adds the job to {@code env}; outputs go to {@link ResultStore} under {@code run}. */
    void build(StreamExecutionEnvironment env, String run) {
        DataStream<ToyRecords.Edge> edgesStream =
                env.fromSequence(0, edges - 1)
                        .setParallelism(1)
                        .map(new ToEdge(batchSize, nodes, throttleEvery))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<ToyRecords.Edge>forGenerator(ctx -> new BatchWatermarks())
                                        .withTimestampAssigner((e, previous) -> e.batch))
                        .setParallelism(1);
        FeedbackLoop.builder("toy", TypeInformation.of(ToyRecords.Message.class), (ToyRecords.Message m) -> m.target)
                .parallelism(parallelism)
                .replayLogOnRestore(replayLog)
                .build(edgesStream.keyBy(e -> e.src), TypeInformation.of(ToyRecords.Result.class), ToyHead::new)
                .setParallelism(headParallelismAfterBuild > 0 ? headParallelismAfterBuild : parallelism)
                .sinkTo(ResultStore.sink(run))
                .setParallelism(parallelism);
        if (unaligned) {
            env.getCheckpointConfig().enableUnalignedCheckpoints();
        }
    }

    /** Sequence number to edge, throttled so that a run spans many checkpoints. */
    static final class ToEdge implements MapFunction<Long, ToyRecords.Edge> {
        private static final long serialVersionUID = 1L;
        private final int batchSize;
        private final int nodes;
        private final int throttleEvery;

        ToEdge(int batchSize, int nodes, int throttleEvery) {
            this.batchSize = batchSize;
            this.nodes = nodes;
            this.throttleEvery = throttleEvery;
        }

        @Override
        public ToyRecords.Edge map(Long seq) throws Exception {
            if (throttleEvery > 0 && seq % throttleEvery == 0) {
                Thread.sleep(1);
            }
            return ToyModel.edge(ToyLoopJob.SEED, seq, batchSize, nodes);
        }
    }

    /** Batch k - 1 is closed as soon as an edge of batch k is seen (edges come in batch order). */
    static final class BatchWatermarks implements WatermarkGenerator<ToyRecords.Edge> {
        private long closed = Long.MIN_VALUE;

        @Override
        public void onEvent(ToyRecords.Edge edge, long timestamp, WatermarkOutput output) {
            if (edge.batch - 1 > closed) {
                closed = edge.batch - 1;
                output.emitWatermark(new Watermark(closed));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
