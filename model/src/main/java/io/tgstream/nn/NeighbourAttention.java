package io.tgstream.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head scaled dot-product attention from one query row to a padded block of K entries per row, with a mask
 * for empty slots. Used for the APAN-style embedding over a node's own recent partners (snapshots stored at the
 * interaction, so the locality rule holds) and for NAT's attention over joint-neighbourhood entries.
 * <pre>
 *   Q = q W_q + b_q [rows, D];  K_j = e_j W_k + b_k,  V_j = e_j W_v + b_v [rows, K, D]   (D = heads * d_h)
 *   s_hj = (Q_h . K_hj) / sqrt(d_h) for valid slots j;  a_hj = softmax over the valid j of s_hj
 *   c_h = sum_j a_hj V_hj;  out = [c_1 || ... || c_heads] W_o + b_o
 * </pre>
 * A row with no valid slot gets an output of zeros (and passes no gradient). Backward: dc = dout W_o^T,
 * da_hj = dc_h . V_hj, ds_hj = a_hj (da_hj - sum_k a_hk da_hk), dQ_h = sum_j ds_hj K_hj / sqrt(d_h),
 * dK_hj = ds_hj Q_h / sqrt(d_h), dV_hj = a_hj dc_h, then the four projections as in {@link Linear}.
 */
public final class NeighbourAttention {
    /** Two heads, as TGN's embedding attention. */
    public static final int DEFAULT_HEADS = 2;
    private static final String LAYER = "NeighbourAttention";
    /** Added (negated) to the scores of empty slots before the max is taken, so that they never win it. */
    private static final double EMPTY_SLOT_PENALTY = 1e9;

    private final Parameter queryWeight;
    private final Parameter queryBias;
    private final Parameter keyWeight;
    private final Parameter keyBias;
    private final Parameter valueWeight;
    private final Parameter valueBias;
    private final Parameter outputWeight;
    private final Parameter outputBias;
    private final int queryDim;
    private final int entryDim;
    private final int modelDim;
    private final int outputDim;
    private final int heads;
    private final int headDim;
    private final double scale;

    /**
     * Registers {@code name.query|key|value|output .weight/.bias}, each U(+-1/sqrt(fan_in)).
     *
     * @param queryDim  width of the query rows
     * @param entryDim  width of each entry in the block
     * @param modelDim  D, the width of queries, keys and values (a multiple of heads)
     * @param outputDim width of the output rows
     */
    public NeighbourAttention(Parameters parameters, String name, int queryDim, int entryDim, int modelDim,
                              int outputDim, int heads) {
        if (heads < 1 || modelDim % heads != 0) {
            throw new IllegalArgumentException(LAYER + ": model dimension " + modelDim
                    + " must be a positive multiple of the number of heads " + heads);
        }
        this.queryDim = queryDim;
        this.entryDim = entryDim;
        this.modelDim = modelDim;
        this.outputDim = outputDim;
        this.heads = heads;
        this.headDim = modelDim / heads;
        this.scale = 1.0 / Math.sqrt(headDim);
        Initialisation q = Initialisation.uniformFanIn(queryDim);
        Initialisation e = Initialisation.uniformFanIn(entryDim);
        Initialisation o = Initialisation.uniformFanIn(modelDim);
        this.queryWeight = parameters.add(name + ".query.weight", q, queryDim, modelDim);
        this.queryBias = parameters.add(name + ".query.bias", q, 1, modelDim);
        this.keyWeight = parameters.add(name + ".key.weight", e, entryDim, modelDim);
        this.keyBias = parameters.add(name + ".key.bias", e, 1, modelDim);
        this.valueWeight = parameters.add(name + ".value.weight", e, entryDim, modelDim);
        this.valueBias = parameters.add(name + ".value.bias", e, 1, modelDim);
        this.outputWeight = parameters.add(name + ".output.weight", o, modelDim, outputDim);
        this.outputBias = parameters.add(name + ".output.bias", o, 1, outputDim);
    }

    /**
     * What backward needs. Shapes: queries [rows, 1, H, d_h], keys and values [rows, K, H, d_h], weights (the
     * attention a) [rows, K, H], context [rows, D], anyValid [rows, 1] (1 if the row has a valid slot).
     */
    public record Forward(INDArray query, INDArray entries, INDArray queries, INDArray keys, INDArray values,
                          INDArray weights, INDArray context, INDArray anyValid, INDArray output) {
    }

    /** Gradients with respect to the query rows [rows, queryDim] and the entry block [rows, K, entryDim]. */
    public record InputGradients(INDArray query, INDArray entries) {
    }

    /**
     * @param query   [rows, queryDim]
     * @param entries [rows, K, entryDim], padded; the content of empty slots is ignored
     * @param mask    [rows, K], 1 for a valid slot and 0 for an empty one
     */
    public Forward forward(INDArray query, INDArray entries, INDArray mask) {
        RowBatches.requireRows(LAYER, "query", query, queryDim);
        RowBatches.requireType(LAYER, query, queryWeight);
        RowBatches.requireType(LAYER, entries, queryWeight);
        long rows = query.size(0);
        if (entries.rank() != 3 || entries.size(0) != rows || entries.size(2) != entryDim) {
            throw new IllegalArgumentException(LAYER + ": entries must have shape [" + rows + ", K, " + entryDim
                    + "], got " + Arrays.toString(entries.shape()));
        }
        long slots = entries.size(1);
        if (mask.rank() != 2 || mask.size(0) != rows || mask.size(1) != slots) {
            throw new IllegalArgumentException(LAYER + ": mask must have shape [" + rows + ", " + slots + "], got "
                    + Arrays.toString(mask.shape()));
        }
        INDArray typedMask = mask.dataType() == query.dataType() ? mask : mask.castTo(query.dataType());
        INDArray flatEntries = entries.dup('c').reshape('c', rows * slots, entryDim);

        INDArray queries = query.mmul(queryWeight.value()).addiRowVector(queryBias.value())
                .reshape('c', rows, 1, heads, headDim);
        INDArray keys = flatEntries.mmul(keyWeight.value()).addiRowVector(keyBias.value())
                .reshape('c', rows, slots, heads, headDim);
        INDArray values = flatEntries.mmul(valueWeight.value()).addiRowVector(valueBias.value())
                .reshape('c', rows, slots, heads, headDim);

        INDArray scores = keys.mul(queries).sum(3).muli(scale);                       // [rows, K, H]
        INDArray slotMask = typedMask.reshape('c', rows, slots, 1);
        scores.addi(slotMask.sub(1.0).muli(EMPTY_SLOT_PENALTY));
        INDArray weights = Transforms.exp(scores.subi(scores.max(true, 1)), false).muli(slotMask);
        INDArray anyValid = typedMask.max(true, 1);                                  // [rows, 1]
        // rows without a valid slot have all-zero weights; dividing by 1 instead of 0 keeps them zero, not NaN
        INDArray denominator = weights.sum(true, 1).addi(anyValid.rsub(1.0).reshape('c', rows, 1, 1));
        weights.divi(denominator);

        INDArray context = values.mul(weights.reshape('c', rows, slots, heads, 1)).sum(1)
                .reshape('c', rows, modelDim);
        INDArray output = context.mmul(outputWeight.value()).addiRowVector(outputBias.value())
                .muliColumnVector(anyValid);
        return new Forward(query, flatEntries, queries, keys, values, weights, context, anyValid, output);
    }

    /** Adds this batch's parameter gradients and returns dL/dquery and dL/dentries. */
    public InputGradients backward(Forward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, outputDim);
        long rows = dOut.size(0);
        long slots = f.weights().size(1);
        INDArray dOutput = dOut.mulColumnVector(f.anyValid());
        Nd4j.gemm(f.context(), dOutput, outputWeight.gradient(), true, false, 1.0, 1.0);
        outputBias.gradient().addi(dOutput.sum(true, 0));
        INDArray dContext = Nd4j.gemm(dOutput, outputWeight.value(), false, true)
                .reshape('c', rows, 1, heads, headDim);

        INDArray weights4 = f.weights().reshape('c', rows, slots, heads, 1);
        INDArray dWeights = f.values().mul(dContext).sum(3);                          // [rows, K, H]
        INDArray dValues = weights4.mul(dContext);                                    // [rows, K, H, d_h]
        INDArray dScores = dWeights.sub(f.weights().mul(dWeights).sum(true, 1)).muli(f.weights()).muli(scale);
        INDArray dScores4 = dScores.reshape('c', rows, slots, heads, 1);
        INDArray dQueries = f.keys().mul(dScores4).sum(1).reshape('c', rows, modelDim);
        INDArray dKeys = dScores4.mul(f.queries()).reshape('c', rows * slots, modelDim);
        INDArray dValuesFlat = dValues.reshape('c', rows * slots, modelDim);

        Nd4j.gemm(f.entries(), dKeys, keyWeight.gradient(), true, false, 1.0, 1.0);
        keyBias.gradient().addi(dKeys.sum(true, 0));
        Nd4j.gemm(f.entries(), dValuesFlat, valueWeight.gradient(), true, false, 1.0, 1.0);
        valueBias.gradient().addi(dValuesFlat.sum(true, 0));
        INDArray dEntries = Nd4j.gemm(dKeys, keyWeight.value(), false, true);
        Nd4j.gemm(dValuesFlat, valueWeight.value(), dEntries, false, true, 1.0, 1.0);

        Nd4j.gemm(f.query(), dQueries, queryWeight.gradient(), true, false, 1.0, 1.0);
        queryBias.gradient().addi(dQueries.sum(true, 0));
        INDArray dQuery = Nd4j.gemm(dQueries, queryWeight.value(), false, true);
        return new InputGradients(dQuery, dEntries.reshape('c', rows, slots, entryDim));
    }

    public int outputDim() { return outputDim; }

    public int heads() { return heads; }
}
