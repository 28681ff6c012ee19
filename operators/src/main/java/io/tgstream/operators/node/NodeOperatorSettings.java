package io.tgstream.operators.node;

import io.tgstream.model.NodeExpiry;
import java.io.Serializable;

/**
 * What a {@link NodeOperator} needs besides its input: the model to load in each subtask, what to emit, and when idle
 * nodes expire.
 *
 * @param modelPath       a memory model file ({@code MemoryModelFile}), readable from every TaskManager
 * @param modelVersion    written beside every output, so that consumers know which model produced it
 * @param emitEmbeddings  whether nodes whose state changed emit their embedding after each batch
 * @param doublePrecision whether the model computes in double rather than float (for exact comparisons)
 * @param expiry          the per-node TTL in event time ({@link NodeExpiry#NEVER}: nodes are kept forever)
 */
public record NodeOperatorSettings(String modelPath, String modelVersion, boolean emitEmbeddings,
                                   boolean doublePrecision, NodeExpiry expiry)
        implements Serializable {
    public NodeOperatorSettings {
        if (expiry == null) {
            throw new IllegalArgumentException("node expiry: pass NodeExpiry.NEVER to keep nodes forever");
        }
    }

    /** Settings without a TTL. */
    public NodeOperatorSettings(String modelPath, String modelVersion, boolean emitEmbeddings,
                                boolean doublePrecision) {
        this(modelPath, modelVersion, emitEmbeddings, doublePrecision, NodeExpiry.NEVER);
    }

    /** Settings for the model computed in float, the default, without a TTL. */
    public NodeOperatorSettings(String modelPath, String modelVersion, boolean emitEmbeddings) {
        this(modelPath, modelVersion, emitEmbeddings, false);
    }

    /** The same settings with idle nodes evicted by {@code e}. */
    public NodeOperatorSettings withExpiry(NodeExpiry e) {
        return new NodeOperatorSettings(modelPath, modelVersion, emitEmbeddings, doublePrecision, e);
    }
}
