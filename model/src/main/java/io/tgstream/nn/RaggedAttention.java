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
 *
 * <p>When every entry is [T[code_j] || z_j] with a small shared table T (NAT's code embedding), the same function
 * runs without forming the entries ({@link TableEntries}): the projections of the code part become per-batch table
 * lookups and everything else regroups per row, O(heads * |z|) work per entry instead of O(entryDim * D).
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

    // ------------------------------------------------------------------------------------- factored entries

    /**
     * Entries of the form e_j = [T[code_j] || z_j]: the first {@code tableDim} columns are row code_j of a small table
     * T shared by all entries (a code embedding), the other Z = entryDim - tableDim columns are a dense part z_j.
     * The dense parts are stored run by run, each run column by column: element k of entry j of the run of row r
     * (offsets[r] <= j < offsets[r + 1], n_r entries) is {@code dense[offsets[r] * Z + k * n_r + (j - offsets[r])]}, so
     * that the per-entry loops run over contiguous memory.
     *
     * @param table T [tableRows * tableDim], row-major
     * @param codes code_j of every entry [N], each in 0..tableRows-1
     * @param dense z [N * Z] in the layout above
     */
    public record TableEntries(double[] table, int tableRows, int[] codes, double[] dense) {
    }

    /**
     * What {@link #backward(TableForward, INDArray)} needs. queries [rows * D]; weights [H * N] (head-major);
     * keyTable and valueTable [tableRows * D] (T W_{k,v}[code rows] + b); queryDense [rows * H * Z]
     * (W_k[dense rows, head h] Q_h); denseMeans [rows * H * Z] (sum_j a_hj z_j).
     */
    public record TableForward(INDArray query, TableEntries entries, int[] offsets, int heads, double[] queries,
                               double[] weights, double[] keyTable, double[] valueTable, double[] queryDense,
                               double[] denseMeans, INDArray context, INDArray anyValid, INDArray output) {
        /** The attention weight of entry j (a global index into the runs) at head h. */
        public double weight(int j, int h) {
            return weights[h * (weights.length / heads) + j];
        }
    }

    /**
     * Gradients of the factored form: the query rows [rows, queryDim], the table [tableRows * tableDim] and z [N * Z]
     * (in the layout of {@link TableEntries#dense}).
     */
    public record TableGradients(INDArray query, double[] table, double[] dense) {
    }

    /**
     * The same function as {@link #forward(INDArray, INDArray, int[])} on entries [T[code_j] || z_j], without forming
     * them: K and V are linear in the entry, so K_j = (T W_k,code + b_k)[code_j] + z_j W_k,dense (the code part a
     * table row), and the score needs only (W_k,dense Q_h) . z_j per entry; likewise c_h = sum over codes of
     * (sum of a_hj with that code) (T W_v,code + b_v)[code] + (sum_j a_hj z_j) W_v,dense, since the weights sum to 1.
     * Per entry this is O(H Z) work instead of O(entryDim D).
     */
    public TableForward forward(INDArray query, TableEntries e, int[] offsets) {
        RowBatches.requireRows(LAYER, "query", query, queryDim);
        RowBatches.requireType(LAYER, query, queryWeight);
        int rows = (int) query.size(0);
        if (offsets.length != rows + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException(LAYER + ": expected " + (rows + 1) + " offsets from 0, got "
                    + offsets.length);
        }
        int n = offsets[rows];
        int codesCount = e.tableRows();
        int tableDim = e.table().length / Math.max(1, codesCount);
        int z = entryDim - tableDim;
        if (codesCount < 1 || e.table().length != codesCount * tableDim || z < 0 || e.codes().length != n
                || e.dense().length != n * z) {
            throw new IllegalArgumentException(LAYER + ": table entries do not fit: table " + e.table().length
                    + " values in " + codesCount + " rows, " + e.codes().length + " codes, " + e.dense().length
                    + " dense values, " + n + " entries of width " + entryDim);
        }
        double[] q = doubles(query.mmul(queryWeight.value()).addiRowVector(queryBias.value()));
        double[] wk = doubles(keyWeight.value());
        double[] wv = doubles(valueWeight.value());
        double[] keyTable = codeTable(e.table(), codesCount, tableDim, wk, doubles(keyBias.value()));
        double[] valueTable = codeTable(e.table(), codesCount, tableDim, wv, doubles(valueBias.value()));
        int[] codes = e.codes();
        double[] x = e.dense();
        double[] a = new double[heads * n];
        double[] c = new double[rows * modelDim];
        double[] qz = new double[rows * heads * z];
        double[] zMean = new double[rows * heads * z];
        double[] valid = new double[rows];
        int[] rowCodes = new int[codesCount];
        double[] codeScore = new double[codesCount * heads];
        double[] codeWeight = new double[codesCount * heads];
        CodeMarks marks = new CodeMarks(codesCount);
        for (int r = 0; r < rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            int len = to - from;
            if (len <= 0) {
                continue;
            }
            valid[r] = 1;
            int base = from * z;
            int distinct = marks.distinct(codes, from, to, r, rowCodes);
            for (int m = 0; m < distinct; m++) {
                int code = rowCodes[m];
                for (int h = 0; h < heads; h++) {
                    codeScore[code * heads + h] = dot(q, r * modelDim + h * headDim, keyTable,
                            code * modelDim + h * headDim, headDim);
                    codeWeight[code * heads + h] = 0;
                }
            }
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                int zo = (r * heads + h) * z;
                int ao = h * n + from;
                // W_k,dense (head h columns) Q_h: the dense part's share of every score of this row and head
                for (int k = 0; k < z; k++) {
                    qz[zo + k] = dot(wk, (tableDim + k) * modelDim + h * headDim, q, qo, headDim);
                }
                for (int j = 0; j < len; j++) {
                    a[ao + j] = codeScore[codes[from + j] * heads + h];
                }
            }
            // the scores of every head in one pass over each column of the run
            for (int k = 0; k < z; k++) {
                headsAxpy(qz, r * heads * z + k, z, x, base + k * len, a, from, n, len);
            }
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                int zo = (r * heads + h) * z;
                int ao = h * n + from;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    a[ao + j] *= scale;
                    max = Math.max(max, a[ao + j]);
                }
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    double ex = Math.exp(a[ao + j] - max);
                    a[ao + j] = ex;
                    sum += ex;
                }
                double inverse = 1.0 / sum;
                for (int j = 0; j < len; j++) {
                    double w = a[ao + j] * inverse;
                    a[ao + j] = w;
                    codeWeight[codes[from + j] * heads + h] += w;
                }
            }
            for (int k = 0; k < z; k++) {
                headsDot(a, from, n, x, base + k * len, len, zMean, r * heads * z + k, z);
            }
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                int zo = (r * heads + h) * z;
                for (int i = 0; i < headDim; i++) {
                    int col = h * headDim + i;
                    double ci = 0;
                    for (int m = 0; m < distinct; m++) {
                        int code = rowCodes[m];
                        ci += codeWeight[code * heads + h] * valueTable[code * modelDim + col];
                    }
                    for (int k = 0; k < z; k++) {
                        ci += zMean[zo + k] * wv[(tableDim + k) * modelDim + col];
                    }
                    c[qo + i] = ci;
                }
            }
        }
        INDArray context = typed(c, rows, modelDim);
        INDArray anyValid = typed(valid, rows, 1);
        INDArray output = context.mmul(outputWeight.value()).addiRowVector(outputBias.value())
                .muliColumnVector(anyValid);
        return new TableForward(query, e, offsets, heads, q, a, keyTable, valueTable, qz, zMean, context, anyValid,
                output);
    }

    /**
     * Adds this batch's parameter gradients for the factored form and returns dL/dquery, dL/dT and dL/dz. The
     * equations of {@link #backward(Forward, INDArray)} regrouped the same way: with ds_hj and a_hj summed per code and
     * weighted by z_j per row, dW_k,dense += (sum_j ds_hj z_j)^T Q_h, dW_k,code += T^T (per-code sums of ds_hj) Q_h,
     * dQ_h = sum_j ds_hj K_hj, and dz_j = sum_h a_hj W_v,dense dc_h + ds_hj W_k,dense Q_h.
     */
    public TableGradients backward(TableForward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, outputDim);
        int rows = (int) dOut.size(0);
        int[] offsets = f.offsets();
        TableEntries e = f.entries();
        int codesCount = e.tableRows();
        int tableDim = e.table().length / codesCount;
        int z = entryDim - tableDim;
        INDArray dOutput = dOut.mulColumnVector(f.anyValid());
        Nd4j.gemm(f.context(), dOutput, outputWeight.gradient(), true, false, 1.0, 1.0);
        outputBias.gradient().addi(dOutput.sum(true, 0));
        double[] dc = doubles(Nd4j.gemm(dOutput, outputWeight.value(), false, true));
        double[] q = f.queries();
        double[] a = f.weights();
        double[] qz = f.queryDense();
        double[] zMean = f.denseMeans();
        double[] keyTable = f.keyTable();
        double[] valueTable = f.valueTable();
        double[] wk = doubles(keyWeight.value());
        double[] wv = doubles(valueWeight.value());
        int[] codes = e.codes();
        double[] x = e.dense();
        int n = offsets[rows];
        double[] dq = new double[rows * modelDim];
        double[] dx = new double[n * z];
        double[] dKeyTable = new double[codesCount * modelDim];
        double[] dValueTable = new double[codesCount * modelDim];
        double[] dKeyDense = new double[z * modelDim];
        double[] dValueDense = new double[z * modelDim];
        int longest = 0;
        for (int r = 0; r < rows; r++) {
            longest = Math.max(longest, offsets[r + 1] - offsets[r]);
        }
        double[] da = new double[heads * longest];
        double[] ds = new double[heads * longest];
        double[] vz = new double[heads * z];
        double[] sz = new double[heads * z];
        int[] rowCodes = new int[codesCount];
        double[] codeGrad = new double[codesCount * heads];
        double[] codeDs = new double[codesCount * heads];
        double[] codeWeight = new double[codesCount * heads];
        CodeMarks marks = new CodeMarks(codesCount);
        for (int r = 0; r < rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            int len = to - from;
            if (len <= 0) {
                continue;
            }
            int base = from * z;
            int distinct = marks.distinct(codes, from, to, r, rowCodes);
            for (int m = 0; m < distinct; m++) {
                int code = rowCodes[m];
                for (int h = 0; h < heads; h++) {
                    // dc_h . valueTable_h[code]: the code part of da_hj
                    codeGrad[code * heads + h] = dot(dc, r * modelDim + h * headDim, valueTable,
                            code * modelDim + h * headDim, headDim);
                    codeDs[code * heads + h] = 0;
                    codeWeight[code * heads + h] = 0;
                }
            }
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                for (int k = 0; k < z; k++) {
                    vz[h * z + k] = dot(wv, (tableDim + k) * modelDim + h * headDim, dc, qo, headDim);
                }
                for (int j = 0; j < len; j++) {
                    da[h * longest + j] = codeGrad[codes[from + j] * heads + h];
                }
            }
            for (int k = 0; k < z; k++) {
                headsAxpy(vz, k, z, x, base + k * len, da, 0, longest, len);
            }
            for (int h = 0; h < heads; h++) {
                int ao = h * n + from;
                int go = h * longest;
                double weighted = dot(a, ao, da, go, len);
                for (int j = 0; j < len; j++) {
                    double w = a[ao + j];
                    double s = w * (da[go + j] - weighted) * scale;
                    ds[go + j] = s;
                    int code = codes[from + j];
                    codeDs[code * heads + h] += s;
                    codeWeight[code * heads + h] += w;
                }
            }
            for (int k = 0; k < z; k++) {
                int xo = base + k * len;
                headsDot(ds, 0, longest, x, xo, len, sz, k, z);
                // dz_j += sum over heads of a_hj (W_v,dense dc_h)_k + ds_hj (W_k,dense Q_h)_k
                denseGradient(a, from, n, ds, longest, vz, qz, r * heads * z, k, z, dx, xo, len);
            }
            for (int h = 0; h < heads; h++) {
                int qo = r * modelDim + h * headDim;
                int zo = (r * heads + h) * z;
                for (int i = 0; i < headDim; i++) {
                    int col = h * headDim + i;
                    double qi = q[qo + i];
                    double ci = dc[qo + i];
                    double g = 0;
                    for (int m = 0; m < distinct; m++) {
                        int code = rowCodes[m];
                        double s = codeDs[code * heads + h];
                        g += s * keyTable[code * modelDim + col];
                        dKeyTable[code * modelDim + col] += s * qi;
                        dValueTable[code * modelDim + col] += codeWeight[code * heads + h] * ci;
                    }
                    for (int k = 0; k < z; k++) {
                        g += sz[h * z + k] * wk[(tableDim + k) * modelDim + col];
                        dKeyDense[k * modelDim + col] += sz[h * z + k] * qi;
                        dValueDense[k * modelDim + col] += zMean[zo + k] * ci;
                    }
                    dq[qo + i] = g;
                }
            }
        }
        double[] dTable = new double[e.table().length];
        tableBackward(e.table(), codesCount, tableDim, wk, dKeyTable, dKeyDense, keyWeight, keyBias, dTable);
        tableBackward(e.table(), codesCount, tableDim, wv, dValueTable, dValueDense, valueWeight, valueBias, dTable);
        INDArray dQueries = typed(dq, rows, modelDim);
        Nd4j.gemm(f.query(), dQueries, queryWeight.gradient(), true, false, 1.0, 1.0);
        queryBias.gradient().addi(columnSums(dq, rows));
        INDArray dQuery = Nd4j.gemm(dQueries, queryWeight.value(), false, true);
        return new TableGradients(dQuery, dTable, dx);
    }

    /** Finds the distinct codes of a run (first-seen order) with one mark per code, reset by a new row number. */
    private static final class CodeMarks {
        private final int[] seen;

        CodeMarks(int codes) {
            this.seen = new int[codes];
        }

        int distinct(int[] codes, int from, int to, int row, int[] out) {
            int distinct = 0;
            for (int j = from; j < to; j++) {
                int code = codes[j];
                if (code < 0 || code >= seen.length) {
                    throw new IllegalArgumentException(LAYER + ": code " + code + " is outside 0.."
                            + (seen.length - 1));
                }
                if (seen[code] != row + 1) {
                    seen[code] = row + 1;
                    out[distinct++] = code;
                }
            }
            return distinct;
        }
    }

    /**
     * For every head h: y[h * yStride + yo ..] += c[co + h * cStride] x[xo ..] over n terms (both heads in one pass
     * when there are two, so that each x is loaded once).
     */
    private void headsAxpy(double[] c, int co, int cStride, double[] x, int xo, double[] y, int yo, int yStride,
                           int n) {
        if (heads == 2) {
            double c0 = c[co];
            double c1 = c[co + cStride];
            int y0 = yo;
            int y1 = yo + yStride;
            for (int i = 0; i < n; i++) {
                double xi = x[xo + i];
                y[y0 + i] += c0 * xi;
                y[y1 + i] += c1 * xi;
            }
            return;
        }
        for (int h = 0; h < heads; h++) {
            axpy(c[co + h * cStride], x, xo, y, yo + h * yStride, n);
        }
    }

    /** For every head h: out[oo + h * oStride] = w[h * wStride + wo ..] . x[xo ..] over n terms. */
    private void headsDot(double[] w, int wo, int wStride, double[] x, int xo, int n, double[] out, int oo,
                          int oStride) {
        if (heads == 2) {
            double s0 = 0;
            double t0 = 0;
            double s1 = 0;
            double t1 = 0;
            int w1 = wo + wStride;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                double x0 = x[xo + i];
                double x1 = x[xo + i + 1];
                s0 += w[wo + i] * x0;
                t0 += w[wo + i + 1] * x1;
                s1 += w[w1 + i] * x0;
                t1 += w[w1 + i + 1] * x1;
            }
            if (i < n) {
                s0 += w[wo + i] * x[xo + i];
                s1 += w[w1 + i] * x[xo + i];
            }
            out[oo] = s0 + t0;
            out[oo + oStride] = s1 + t1;
            return;
        }
        for (int h = 0; h < heads; h++) {
            out[oo + h * oStride] = dot(w, h * wStride + wo, x, xo, n);
        }
    }

    /**
     * dz[zo + j] += sum over heads h of a[h * aStride + ao + j] vz[h Z + k] + ds[h * dsStride + j] qz[qo + h Z + k],
     * j in 0..n-1: the entry gradient of column k of one run.
     */
    private void denseGradient(double[] a, int ao, int aStride, double[] ds, int dsStride, double[] vz, double[] qz,
                               int qo, int k, int z, double[] dz, int zo, int n) {
        if (heads == 2) {
            double v0 = vz[k];
            double v1 = vz[z + k];
            double q0 = qz[qo + k];
            double q1 = qz[qo + z + k];
            int a1 = ao + aStride;
            for (int j = 0; j < n; j++) {
                dz[zo + j] += a[ao + j] * v0 + ds[j] * q0 + a[a1 + j] * v1 + ds[dsStride + j] * q1;
            }
            return;
        }
        for (int h = 0; h < heads; h++) {
            double v = vz[h * z + k];
            double qk = qz[qo + h * z + k];
            int ah = ao + h * aStride;
            int dh = h * dsStride;
            for (int j = 0; j < n; j++) {
                dz[zo + j] += a[ah + j] * v + ds[dh + j] * qk;
            }
        }
    }

    /** y[yo ..] += alpha x[xo ..] over n terms. */
    private static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** (T W[code rows] + b) [codes * D]: the code part of every key (or value) with the bias folded in. */
    private double[] codeTable(double[] table, int codes, int tableDim, double[] w, double[] bias) {
        double[] out = new double[codes * modelDim];
        for (int c = 0; c < codes; c++) {
            int o = c * modelDim;
            System.arraycopy(bias, 0, out, o, modelDim);
            for (int i = 0; i < tableDim; i++) {
                double t = table[c * tableDim + i];
                int wo = i * modelDim;
                for (int col = 0; col < modelDim; col++) {
                    out[o + col] += t * w[wo + col];
                }
            }
        }
        return out;
    }

    /**
     * From the gradient of a code table (T W[code rows] + b) and of the dense rows of W: adds dW = [T^T dTable ||
     * dDense], db = the column sums of dTable, and dT += dTable W[code rows]^T.
     */
    private void tableBackward(double[] table, int codes, int tableDim, double[] w, double[] dTable, double[] dDense,
                               Parameter weight, Parameter bias, double[] dT) {
        double[] dw = new double[entryDim * modelDim];
        double[] db = new double[modelDim];
        System.arraycopy(dDense, 0, dw, tableDim * modelDim, dDense.length);
        for (int c = 0; c < codes; c++) {
            int o = c * modelDim;
            for (int col = 0; col < modelDim; col++) {
                db[col] += dTable[o + col];
            }
            for (int i = 0; i < tableDim; i++) {
                double t = table[c * tableDim + i];
                int wo = i * modelDim;
                double g = 0;
                for (int col = 0; col < modelDim; col++) {
                    dw[wo + col] += t * dTable[o + col];
                    g += dTable[o + col] * w[wo + col];
                }
                dT[c * tableDim + i] += g;
            }
        }
        weight.gradient().addi(typed(dw, entryDim, modelDim));
        bias.gradient().addi(typed(db, 1, modelDim));
    }

    /** x[xo ..] . y[yo ..] over n terms, in four interleaved partial sums (a chain of dependent adds is latency bound). */
    private static double dot(double[] x, int xo, double[] y, int yo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xo + i] * y[yo + i];
            s1 += x[xo + i + 1] * y[yo + i + 1];
            s2 += x[xo + i + 2] * y[yo + i + 2];
            s3 += x[xo + i + 3] * y[yo + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xo + i] * y[yo + i];
        }
        return (s0 + s1) + (s2 + s3);
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
