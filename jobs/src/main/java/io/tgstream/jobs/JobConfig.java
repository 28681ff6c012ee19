package io.tgstream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tgstream.model.NodeExpiry;
import io.tgstream.operators.sequence.BatchMode;
import io.tgstream.operators.sequence.Sequencer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the streaming job is configured by, and its YAML loader. Every key, in one place:
 *
 * <table>
 *   <caption>job.yaml keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>bootstrap-servers</td><td>(required)</td><td>Kafka {@code host:port[,host:port]}</td></tr>
 *   <tr><td>input-topic</td><td>(required)</td><td>edge events, JSON (DESIGN.md §5)</td></tr>
 *   <tr><td>scores-topic</td><td>(required)</td><td>one score per event, keyed by event id (its sequence number)</td></tr>
 *   <tr><td>embeddings-topic</td><td>none</td><td>node embeddings after each batch that changed the node, keyed by node
 *       id (compact it); none: embeddings are not computed</td></tr>
 *   <tr><td>dead-letter-topic</td><td>none</td><td>refused input (bad JSON, missing fields, late events) with the
 *       reason; none: refused input is dropped (and counted in the log)</td></tr>
 *   <tr><td>model</td><td>(required)</td><td>memory model file from {@code tgstream train}, readable by every
 *       TaskManager</td></tr>
 *   <tr><td>model-version</td><td>the model's file name</td><td>written beside every score and embedding</td></tr>
 *   <tr><td>batch-mode</td><td>count</td><td>{@code count}: B consecutive events per batch (single-partition
 *       replay); {@code event-time}: buckets of width Delta of the event timestamp</td></tr>
 *   <tr><td>batch-size</td><td>200</td><td>B, events per batch ({@code count}); use the B the model is evaluated
 *       with</td></tr>
 *   <tr><td>batch-width</td><td>(required for event-time)</td><td>Delta, in timestamp units ({@code event-time})</td></tr>
 *   <tr><td>timestamp-unit</td><td>ms</td><td>unit of the events' {@code ts}: {@code ms} or {@code s}</td></tr>
 *   <tr><td>parallelism</td><td>1</td><td>parallelism of the node operator and its feedback loop (source and
 *       sequencer always run with 1)</td></tr>
 *   <tr><td>checkpoint-interval-ms</td><td>1000</td><td>aligned exactly-once checkpoints; outputs become visible
 *       to read_committed consumers at each completed checkpoint</td></tr>
 *   <tr><td>checkpoint-dir</td><td>none</td><td>URI for retained checkpoints (e.g. {@code file:///var/tgstream});
 *       none: checkpoints are kept in memory only</td></tr>
 *   <tr><td>node-ttl</td><td>none</td><td>per-node time to live, in the events' timestamp units: at the start of
 *       batch k every node whose last edge is older than tau_k - ttl is evicted (tau_k: the latest edge timestamp of
 *       the batches before k), its state cleared, and it comes back as a new node; event time only, so replays evict
 *       the same nodes; the offline replay applies the same rule ({@code io.tgstream.model.NodeExpiry}); none: nodes
 *       are kept forever</td></tr>
 *   <tr><td>bounded</td><td>false</td><td>true: read the input topic up to its end at start, then finish (replays,
 *       tests)</td></tr>
 *   <tr><td>transactional-id-prefix</td><td>tgstream</td><td>prefix of the sinks' Kafka transactional ids; unique per
 *       job, stable across restarts</td></tr>
 *   <tr><td>requests-topic</td><td>none</td><td>scoring requests in, JSON {@code {"request_id", "src", "candidates"}}
 *       or {@code {"request_id", "src", "top_k"}}; needs responses-topic</td></tr>
 *   <tr><td>responses-topic</td><td>none</td><td>one answer per request, keyed by request id</td></tr>
 *   <tr><td>top-k-candidates</td><td>200</td><td>how many distinct recent destinations a top-K request ranks</td></tr>
 *   <tr><td>precision</td><td>float</td><td>arithmetic of the model in the job: {@code float}, or {@code double}
 *       (slower; scores then match an offline replay in double to ~1e-12 instead of ~1e-5)</td></tr>
 *   <tr><td>prometheus-port</td><td>0</td><td>serve the job's metrics (Flink's and tgstream's: edges sequenced,
 *       scores emitted, batches closed, batch close time, dead letters, feedback queue peak, nodes evicted, node states held)
 *       for Prometheus on this
 *       port of each process; 0: no reporter (on a cluster, configure reporters in Flink's config instead)</td></tr>
 * </table>
 */
public record JobConfig(String bootstrapServers, String inputTopic, String scoresTopic, String embeddingsTopic,
                        String deadLetterTopic, String model, String modelVersion, BatchMode batchMode, long batchSize,
                        long batchWidth, String timestampUnit, int parallelism, long checkpointIntervalMs,
                        String checkpointDir, long nodeTtl, boolean bounded, String transactionalIdPrefix,
                        String requestsTopic, String responsesTopic, int recentDestinations, String precision,
                        int prometheusPort)
        implements Serializable {
    public static final long DEFAULT_BATCH_SIZE = 200;
    public static final int DEFAULT_PARALLELISM = 1;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
    public static final String DEFAULT_TIMESTAMP_UNIT = "ms";
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "tgstream";
    public static final int DEFAULT_RECENT_DESTINATIONS = Sequencer.DEFAULT_RECENT_DESTINATIONS;
    public static final String DEFAULT_PRECISION = "float";
    /** {@code nodeTtl} when nodes never expire ({@code node-ttl: none}, the default). */
    public static final long NO_NODE_TTL = 0;

    private static final Set<String> KEYS = Set.of("bootstrap-servers", "input-topic", "scores-topic",
            "embeddings-topic", "dead-letter-topic", "model", "model-version", "batch-mode", "batch-size",
            "batch-width", "timestamp-unit", "parallelism", "checkpoint-interval-ms", "checkpoint-dir", "node-ttl",
            "bounded", "transactional-id-prefix", "requests-topic", "responses-topic", "top-k-candidates", "precision",
            "prometheus-port");

    /** Every key a job.yaml may hold. */
    public static Set<String> keys() {
        return KEYS;
    }

    public JobConfig {
        require(bootstrapServers, "bootstrap-servers");
        require(inputTopic, "input-topic");
        require(scoresTopic, "scores-topic");
        require(model, "model");
        if (batchMode == BatchMode.COUNT && batchSize < 1) {
            throw new IllegalArgumentException("batch-size must be at least 1, got " + batchSize);
        }
        if (batchMode == BatchMode.EVENT_TIME && batchWidth < 1) {
            throw new IllegalArgumentException("batch-mode event-time needs batch-width >= 1 (timestamp units), got "
                    + batchWidth);
        }
        if (!timestampUnit.equals("ms") && !timestampUnit.equals("s")) {
            throw new IllegalArgumentException("timestamp-unit must be ms or s, got '" + timestampUnit + "'");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (checkpointIntervalMs < 10) {
            throw new IllegalArgumentException("checkpoint-interval-ms must be at least 10, got " + checkpointIntervalMs);
        }
        if (nodeTtl < 0) {
            throw new IllegalArgumentException("node-ttl must be a positive duration in timestamp units, or none, got "
                    + nodeTtl);
        }
        if ((requestsTopic == null) != (responsesTopic == null)) {
            throw new IllegalArgumentException("requests-topic and responses-topic go together: set both or neither");
        }
        if (recentDestinations < 1) {
            throw new IllegalArgumentException("top-k-candidates must be at least 1, got " + recentDestinations);
        }
        if (precision == null) {
            precision = DEFAULT_PRECISION;
        }
        if (!precision.equals("float") && !precision.equals("double")) {
            throw new IllegalArgumentException("precision must be float or double, got '" + precision + "'");
        }
        if (prometheusPort < 0 || prometheusPort > 65535) {
            throw new IllegalArgumentException("prometheus-port must be a TCP port (0: no reporter), got " + prometheusPort);
        }
        if (modelVersion == null || modelVersion.isBlank()) {
            modelVersion = Path.of(model).getFileName().toString();
        }
    }

    /** The configuration without request topics, at the default precision. */
    public JobConfig(String bootstrapServers, String inputTopic, String scoresTopic, String embeddingsTopic,
                     String deadLetterTopic, String model, String modelVersion, BatchMode batchMode, long batchSize,
                     long batchWidth, String timestampUnit, int parallelism, long checkpointIntervalMs,
                     String checkpointDir, long nodeTtl, boolean bounded, String transactionalIdPrefix) {
        this(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model, modelVersion,
                batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs, checkpointDir,
                nodeTtl, bounded, transactionalIdPrefix, null, null, DEFAULT_RECENT_DESTINATIONS, DEFAULT_PRECISION,
                0);
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("job config: '" + key + "' is required");
        }
    }

    /** The events per batch (COUNT) or the bucket width (EVENT_TIME). */
    public long batchWidthForMode() {
        return batchMode == BatchMode.COUNT ? batchSize : batchWidth;
    }

    /** A config with the defaults for everything but the required keys. */
    public static JobConfig of(String bootstrapServers, String inputTopic, String scoresTopic, String model) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, null, null, model, null, BatchMode.COUNT,
                DEFAULT_BATCH_SIZE, 0, DEFAULT_TIMESTAMP_UNIT, DEFAULT_PARALLELISM, DEFAULT_CHECKPOINT_INTERVAL_MS,
                null, NO_NODE_TTL, false, DEFAULT_TRANSACTIONAL_ID_PREFIX);
    }

    /** Reads a YAML file of the keys above; unknown keys and wrong types are errors that name the key. */
    public static JobConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("job config " + file + " does not exist or is not a file");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("job config " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("job config " + file + " must be a YAML mapping of keys to values");
        }
        Map<String, JsonNode> v = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("job config " + file + ": unknown key '" + e.getKey()
                        + "'; known keys: " + new java.util.TreeSet<>(KEYS));
            }
            v.put(e.getKey(), e.getValue());
        }
        try {
            return new JobConfig(text(v, "bootstrap-servers", null), text(v, "input-topic", null),
                    text(v, "scores-topic", null), text(v, "embeddings-topic", null),
                    text(v, "dead-letter-topic", null), text(v, "model", null), text(v, "model-version", null),
                    BatchMode.parse(text(v, "batch-mode", "count")), number(v, "batch-size", DEFAULT_BATCH_SIZE),
                    number(v, "batch-width", 0), text(v, "timestamp-unit", DEFAULT_TIMESTAMP_UNIT),
                    (int) number(v, "parallelism", DEFAULT_PARALLELISM),
                    number(v, "checkpoint-interval-ms", DEFAULT_CHECKPOINT_INTERVAL_MS),
                    text(v, "checkpoint-dir", null), parseNodeTtl(v), flag(v, "bounded", false),
                    text(v, "transactional-id-prefix", DEFAULT_TRANSACTIONAL_ID_PREFIX),
                    text(v, "requests-topic", null), text(v, "responses-topic", null),
                    (int) number(v, "top-k-candidates", DEFAULT_RECENT_DESTINATIONS),
                    text(v, "precision", DEFAULT_PRECISION), (int) number(v, "prometheus-port", 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job config " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code node-ttl}: a whole number of timestamp units, at least 1, or {@code none}. */
    private static long parseNodeTtl(Map<String, JsonNode> v) {
        JsonNode n = v.get("node-ttl");
        if (n == null || n.isNull() || (n.isTextual() && n.asText().equals("none"))) {
            return NO_NODE_TTL;
        }
        if (!n.isIntegralNumber() || n.asLong() < 1) {
            throw new IllegalArgumentException("'node-ttl' must be a whole number of timestamp units >= 1, or none; "
                    + "got '" + n.asText() + "'");
        }
        return n.asLong();
    }

    /** The node TTL as the job and the offline replay apply it. */
    public NodeExpiry nodeExpiry() {
        return nodeTtl == NO_NODE_TTL ? NodeExpiry.NEVER : NodeExpiry.after(nodeTtl);
    }

    /** With nodes evicted after {@code ttl} timestamp units of idleness ({@link #NO_NODE_TTL}: never). */
    public JobConfig withNodeTtl(long ttl) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, ttl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    /** Use {@link #nodeTtl()}; kept until the benchmarks are moved over. */
    @Deprecated(forRemoval = true)
    public long stateTtlMs() {
        return nodeTtl;
    }

    private static String text(Map<String, JsonNode> v, String key, String dflt) {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isValueNode()) {
            throw new IllegalArgumentException("'" + key + "' must be a single value");
        }
        return n.asText();
    }

    private static long number(Map<String, JsonNode> v, String key, long dflt) {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got '" + n.asText() + "'");
        }
        return n.asLong();
    }

    private static boolean flag(Map<String, JsonNode> v, String key, boolean dflt) {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, got '" + n.asText() + "'");
        }
        return n.asBoolean();
    }

    public JobConfig withParallelism(int p) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, p, checkpointIntervalMs, checkpointDir,
                nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    public JobConfig withBatchSize(long b) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, BatchMode.COUNT, b, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    public JobConfig withTopics(String embeddings, String deadLetters) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddings, deadLetters, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    public JobConfig withBounded(boolean b) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, b, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    public JobConfig withCheckpoints(long intervalMs, String dir) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, intervalMs, dir,
                nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }

    /** With a request topic (scoring requests in) and a response topic (answers out). */
    public JobConfig withRequests(String requests, String responses) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, transactionalIdPrefix, requests, responses, recentDestinations,
                precision, prometheusPort);
    }

    /** With the model computed in {@code float} (the default) or {@code double}. */
    public JobConfig withPrecision(String p) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, p, prometheusPort);
    }

    /** With Flink's Prometheus reporter serving the job's metrics on {@code port} (0: none). */
    public JobConfig withPrometheusPort(int port) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, transactionalIdPrefix, requestsTopic, responsesTopic,
                recentDestinations, precision, port);
    }

    public JobConfig withTransactionalIdPrefix(String prefix) {
        return new JobConfig(bootstrapServers, inputTopic, scoresTopic, embeddingsTopic, deadLetterTopic, model,
                modelVersion, batchMode, batchSize, batchWidth, timestampUnit, parallelism, checkpointIntervalMs,
                checkpointDir, nodeTtl, bounded, prefix, requestsTopic, responsesTopic,
                recentDestinations, precision, prometheusPort);
    }
}
