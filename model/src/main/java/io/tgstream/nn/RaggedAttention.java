package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product attention from one query row to its own run of entries, the runs stored back to
 * back (no padding): row r attends to entries offsets[r] .. offsets[r + 1] - 1. The same function as
 * {@link NeighbourAttention} on a padded block, but the projections are one matrix product over the real entries
 * only and the per-row softmax runs in plain loops, so neither empty slots nor [rows, K, H, d_h] temporaries cost.
 * <pre>
 *   Q = q W_q + b_q [rows, D];  K_j = e_j W_k + b_k,  V_j = e_j W_v + b_v [N, D]   (D = heads * d_h)
 *   s_hj = (Q_h . K_hj) / sqrt(d_h) for j in row r's run;  a_hj = softmax over the run of s_hj
 *   c_h = sum_j a_hj V_hj;  out = [c_1 || ... || c_heads] W_o + b_o      (a row with an empty run: out = 0)
 * </pre>
 * Backward: dc = dout W_o^T, da_hj = dc_h . V_hj, ds_hj = a_hj (da_hj - sum_k a_hk da_hk),
 * dQ_h = sum_j ds_hj K_hj / sqrt(d_h), dK_hj = ds_hj Q_h / sqrt(d_h), dV_hj = a_hj dc_h, then the four projections
 * as in {@link Linear}.
 */
public final class RaggedAttention {
    private static final String LAYER = "RaggedAttention";
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
     * Registers {@code name.query|key|value|output .weight/.bias}, each U(+-1/sqrt(fan_in)) (the names and shapes of
     * {@link NeighbourAttention}, so the two initialise alike).
     */
    public RaggedAttention(Parameters parameters, String name, int queryDim, int entryDim, int modelDim,
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
     * What backward needs. queries [rows * D], keys and values [N * D], weights (the attention a) [N * H], context
     * [rows, D], anyValid [rows, 1]; the arrays are row-major doubles.
     */
    public record Forward(INDArray query, INDArray entries, int[] offsets, int heads, double[] queries,
                          double[] keys, double[] values, double[] weights, INDArray context, INDArray anyValid,
                          INDArray output) {
        /** The attention weight of entry j (a global index into the runs) at head h. */
        public double weight(int j, int h) {
            return weights[j * heads + h];
        }
    }

    /** Gradients with respect to the query rows [rows, queryDim] and the entries [N, entryDim]. */
    public record InputGradients(INDArray query, INDArray entries) {
    }

    /**
     * @param query   [rows, queryDim]
     * @param entries [N, entryDim], the runs of every row back to back
     * @param offsets rows + 1 ascending offsets, offsets[0] = 0 and offsets[rows] = N
     */
    public Forward forward(INDArray query, INDArray entries, int[] offsets) {
        RowBatches.requireRows(LAYER, "query", query, queryDim);
        RowBatches.requireType(LAYER, query, queryWeight);
        int rows = (int) query.size(0);
        int n = offsets[rows];
        if (offsets.length != rows + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException(LAYER + ": expected " + (rows + 1) + " offsets from 0, got "
                    + offsets.length);
        }
        if (n > 0) {
            RowBatches.requireRows(LAYER, "entries", entries, entryDim);
            RowBatches.requireType(LAYER, entries, queryWeight);
            if (entries.size(0) != n) {
                throw new IllegalArgumentException(LAYER + ": the offsets end at " + n + ", the entries have "
                        + entries.size(0) + " rows");
            }
        }
        double[] q = doubles(query.mmul(queryWeight.value()).addiRowVector(queryBias.value()));
        double[] k = n == 0 ? new double[0] : doubles(entries.mmul(keyWeight.value()).addiRowVector(keyBias.value()));
        double[] v = n == 0 ? new double[0]
                : doubles(entries.mmul(valueWeight.value()).addiRowVector(valueBias.value()));
        double[] a = new double[n * heads];
        double[] c = new double[rows * modelDim];
        double[] valid = new double[rows];
        for (int r = 0; r < rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            if (to <= from) {
                continue;
            }
            valid[r] = 1;
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = from; j < to; j++) {
                    int ko = j * modelDim + h * headDim;
                    double s = 0;
                    for (int i = 0; i < headDim; i++) {
                        s += q[qo + i] * k[ko + i];
                    }
                    s *= scale;
                    a[j * heads + h] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int j = from; j < to; j++) {
                    double e = Math.exp(a[j * heads + h] - max);
                    a[j * heads + h] = e;
                    sum += e;
                }
                for (int j = from; j < to; j++) {
                    double w = a[j * heads + h] / sum;
                    a[j * heads + h] = w;
                    int vo = j * modelDim + h * headDim;
                    for (int i = 0; i < headDim; i++) {
                        c[qo + i] += w * v[vo + i];
                    }
                }
            }
        }
        INDArray context = typed(c, rows, modelDim);
        INDArray anyValid = typed(valid, rows, 1);
        INDArray output = context.mmul(outputWeight.value()).addiRowVector(outputBias.value())
                .muliColumnVector(anyValid);
        return new Forward(query, entries, offsets, heads, q, k, v, a, context, anyValid, output);
    }

    /** Adds this batch's parameter gradients and returns dL/dquery and dL/dentries (null entries when N = 0). */
    public InputGradients backward(Forward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, outputDim);
        int rows = (int) dOut.size(0);
        int[] offsets = f.offsets();
        int n = offsets[rows];
        INDArray dOutput = dOut.mulColumnVector(f.anyValid());
        Nd4j.gemm(f.context(), dOutput, outputWeight.gradient(), true, false, 1.0, 1.0);
        outputBias.gradient().addi(dOutput.sum(true, 0));
        double[] dc = doubles(Nd4j.gemm(dOutput, outputWeight.value(), false, true));
        double[] q = f.queries();
        double[] k = f.keys();
        double[] v = f.values();
        double[] a = f.weights();
        double[] dq = new double[rows * modelDim];
        double[] dk = new double[n * modelDim];
        double[] dv = new double[n * modelDim];
        double[] da = new double[Math.max(0, n)];
        for (int r = 0; r < rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                double weighted = 0;
                for (int j = from; j < to; j++) {
                    int vo = j * modelDim + h * headDim;
                    double w = a[j * heads + h];
                    double g = 0;
                    for (int i = 0; i < headDim; i++) {
                        g += dc[qo + i] * v[vo + i];
                        dv[vo + i] = w * dc[qo + i];
                    }
                    da[j] = g;
                    weighted += w * g;
                }
                for (int j = from; j < to; j++) {
                    int ko = j * modelDim + h * headDim;
                    double ds = a[j * heads + h] * (da[j] - weighted) * scale;
                    for (int i = 0; i < headDim; i++) {
                        dq[qo + i] += ds * k[ko + i];
                        dk[ko + i] = ds * q[qo + i];
                    }
                }
            }
        }
        INDArray dEntries = null;
        if (n > 0) {
            INDArray dKeys = typed(dk, n, modelDim);
            INDArray dValues = typed(dv, n, modelDim);
            Nd4j.gemm(f.entries(), dKeys, keyWeight.gradient(), true, false, 1.0, 1.0);
            keyBias.gradient().addi(columnSums(dk, n));
            Nd4j.gemm(f.entries(), dValues, valueWeight.gradient(), true, false, 1.0, 1.0);
            valueBias.gradient().addi(columnSums(dv, n));
            dEntries = Nd4j.gemm(dKeys, keyWeight.value(), false, true);
            Nd4j.gemm(dValues, valueWeight.value(), dEntries, false, true, 1.0, 1.0);
        }
        INDArray dQueries = typed(dq, rows, modelDim);
        Nd4j.gemm(f.query(), dQueries, queryWeight.gradient(), true, false, 1.0, 1.0);
        queryBias.gradient().addi(columnSums(dq, rows));
        INDArray dQuery = Nd4j.gemm(dQueries, queryWeight.value(), false, true);
        return new InputGradients(dQuery, dEntries);
    }

    /** The column sums of a row-major [rows, D] array as a [1, D] matrix (a strided ND4J reduction costs more). */
    private INDArray columnSums(double[] m, int rows) {
        double[] sums = new double[modelDim];
        for (int r = 0; r < rows; r++) {
            int o = r * modelDim;
            for (int i = 0; i < modelDim; i++) {
                sums[i] += m[o + i];
            }
        }
        return typed(sums, 1, modelDim);
    }

    private static double[] doubles(INDArray m) {
        return HostArrays.doubles(m);
    }

    private INDArray typed(double[] values, int rows, int cols) {
        return HostArrays.matrix(values, rows, cols, queryWeight.value().dataType());
    }

    public int outputDim() { return outputDim; }

    public int heads() { return heads; }
}
