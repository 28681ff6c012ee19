package io.tgstream.operators.node;

import java.io.Serializable;

/**
 * What a {@link NodeOperator} needs besides its input: the model to load in each subtask and what to emit.
 *
 * @param modelPath       a memory model file ({@code MemoryModelFile}), readable from every TaskManager
 * @param modelVersion    written beside every output, so that consumers know which model produced it
 * @param emitEmbeddings  whether nodes whose state changed emit their embedding after each batch
 * @param doublePrecision whether the model computes in double rather than float (for exact comparisons)
 */
public record NodeOperatorSettings(String modelPath, String modelVersion, boolean emitEmbeddings, boolean doublePrecision)
        implements Serializable {
    /** Settings for the model computed in float, the default. */
    public NodeOperatorSettings(String modelPath, String modelVersion, boolean emitEmbeddings) {
        this(modelPath, modelVersion, emitEmbeddings, false);
    }
}
