package io.tgstream.model.nat;

import io.tgstream.nn.CodeEmbedding;
import io.tgstream.nn.HostArrays;
import io.tgstream.nn.HostTimeEncoding;
import io.tgstream.nn.Linear;
import io.tgstream.nn.RaggedAttention;
import io.tgstream.nn.Parameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * NAT's pair scorer on a batch of pairs (u, v) and their joint neighbourhoods:
 * <pre>
 *   x_j   = [C[code_j] || value_j || phi(age_j)]                  (C: 64-row code embedding, phi: time encoding)
 *   value_j = stored part + sum of the fresh refresh rows of the entry (the value GRU's output in this graph)
 *   a     = Attn(q = [s_u || s_v], {x_j : mask_j = 1})              (2 heads; the query is projected inside)
 *   logit = relu([s_u || s_v || a] W1 + b1) W2 + b2
 * </pre>
 * Backward: the MLP as two {@link Linear} layers with dA = dH * 1[H > 0]; the attention, code embedding and time
 * encoding by their own backward; the entry values' gradient is scattered onto the fresh refresh rows
 * (dFresh[p] += dvalue_j for every entry j that read row p). Only the real entries of each pair are embedded and
 * attended ({@link RaggedAttention}), never the padding of the joint neighbourhood; x_j is never formed: the
 * attention takes the code part as a table lookup ({@link RaggedAttention.TableEntries}) and [value_j || phi(age_j)]
 * as the dense part, and phi runs in plain Java ({@link HostTimeEncoding}).
 *
 * <p>{@link #embed} gives a node embedding [s_u || Attn(s_u, u's own entries)] from the same code embedding, values
 * and time encoding, with its own attention.
 */
public final class PairScorer {
    private final PairScorerConfig config;
    private final DataType type;
    private final CodeEmbedding codes;
    private final HostTimeEncoding time;
    private final RaggedAttention attention;
    private final RaggedAttention nodeAttention;
    private final Linear hidden;
    private final Linear output;

    /** Registers {@code name.code}, {@code name.time}, {@code name.attention}, {@code name.node_attention},
     * {@code name.fc1}, {@code name.fc2}. */
    public PairScorer(Parameters parameters, String name, PairScorerConfig config) {
        this.config = config;
        this.type = parameters.dataType();
        int d = config.memoryDim();
        this.codes = new CodeEmbedding(parameters, name + ".code", HopCodes.CODES, config.codeDim());
        this.time = new HostTimeEncoding(parameters, name + ".time", config.timeDim());
        this.attention = new RaggedAttention(parameters, name + ".attention", 2 * d, config.entryDim(),
                config.attentionDim(), config.outputDim(), config.heads());
        this.nodeAttention = new RaggedAttention(parameters, name + ".node_attention", d, config.entryDim(),
                config.attentionDim(), config.outputDim(), config.heads());
        this.hidden = new Linear(parameters, name + ".fc1", 2 * d + config.outputDim(), config.hiddenDim());
        this.output = new Linear(parameters, name + ".fc2", config.hiddenDim(), 1);
    }

    /** What backward needs, and the logits [rows, 1]. */
    public record Forward(JointNeighbourhood block, int freshRows, Entries entries,
                          RaggedAttention.TableForward attention, Linear.Forward hidden, INDArray activation,
                          Linear.Forward output, INDArray logits) {
    }

    /** Gradients with respect to both memories [rows, d] and the fresh refresh rows [P, F] (null without them). */
    public record InputGradients(INDArray source, INDArray destination, INDArray fresh) {
    }

    /**
     * Logits of the pairs.
     *
     * @param source      s_u [rows, d], as read in the batch
     * @param destination s_v [rows, d]
     * @param block       the pairs' joint neighbourhoods
     * @param fresh       the refresh rows the block's pending entries point to, [P, F], or null if it has none
     */
    public Forward forward(INDArray source, INDArray destination, JointNeighbourhood block, INDArray fresh) {
        requireRows("source", source, block.rows());
        requireRows("destination", destination, block.rows());
        Entries x = entries(block, fresh);
        INDArray query = Nd4j.hstack(source, destination);
        RaggedAttention.TableForward att = attention.forward(query, x.table(), x.offsets());
        Linear.Forward h = hidden.forward(Nd4j.hstack(source, destination, att.output()));
        INDArray activation = Transforms.relu(h.output(), true);
        Linear.Forward o = output.forward(activation);
        return new Forward(block, fresh == null ? 0 : (int) fresh.size(0), x, att, h, activation, o,
                o.output());
    }

    /** Adds every parameter's gradient for dL/dlogits [rows, 1] and returns the input gradients. */
    public InputGradients backward(Forward f, INDArray dLogits) {
        long d = config.memoryDim();
        INDArray dActivation = output.backward(f.output(), dLogits);
        INDArray dPre = dActivation.muli(Transforms.sign(f.activation(), true));
        INDArray dX = hidden.backward(f.hidden(), dPre);
        INDArray dSource = columns(dX, 0, d).dup();
        INDArray dDestination = columns(dX, d, 2 * d).dup();
        RaggedAttention.TableGradients g = attention.backward(f.attention(), columns(dX, 2 * d, dX.size(1)).dup());
        dSource.addi(columns(g.query(), 0, d));
        dDestination.addi(columns(g.query(), d, 2 * d));
        INDArray fresh = entriesBackward(f.block(), f.freshRows(), f.entries(), g);
        return new InputGradients(dSource, dDestination, fresh);
    }

    // ------------------------------------------------------------------------------------------------ node embedding

    /** What the node embedding's backward needs, and the embeddings [n, d + outputDim]. */
    public record EmbedForward(JointNeighbourhood block, int freshRows, Entries entries,
                               RaggedAttention.TableForward attention, INDArray output) {
    }

    /** Gradients of the node embedding with respect to the memories [n, d] and the fresh refresh rows (or null). */
    public record EmbedGradients(INDArray memory, INDArray fresh) {
    }

    /**
     * Node embeddings [s_u || Attn(s_u, u's own entries)] for the rows of a {@link JointNeighbourhood#ofNodes} block.
     */
    public EmbedForward embed(INDArray memory, JointNeighbourhood ownBlock, INDArray fresh) {
        requireRows("memory", memory, ownBlock.rows());
        Entries x = entries(ownBlock, fresh);
        RaggedAttention.TableForward att = nodeAttention.forward(memory, x.table(), x.offsets());
        return new EmbedForward(ownBlock, fresh == null ? 0 : (int) fresh.size(0), x, att,
                Nd4j.hstack(memory, att.output()));
    }

    /** Adds the parameter gradients of the node embedding for dL/dembedding [n, d + outputDim]. */
    public EmbedGradients backwardEmbed(EmbedForward f, INDArray dOut) {
        long d = config.memoryDim();
        RaggedAttention.TableGradients g = nodeAttention.backward(f.attention(),
                columns(dOut, d, dOut.size(1)).dup());
        INDArray dMemory = columns(dOut, 0, d).add(g.query());
        return new EmbedGradients(dMemory, entriesBackward(f.block(), f.freshRows(), f.entries(), g));
    }

    // ----------------------------------------------------------------------------------------------------- explain

    /**
     * The common neighbours of pair {@code row} of a forward pass (entries with a bit on both sides), most attended
     * first (ties: by key), with their attention weight averaged over heads.
     */
    public List<CommonNeighbour> explain(Forward f, int row) {
        JointNeighbourhood block = f.block();
        RaggedAttention.TableForward weights = f.attention();
        int first = weights.offsets()[row];
        List<CommonNeighbour> out = new ArrayList<>();
        for (int j = 0; j < block.count(row); j++) {
            int code = block.code(row, j);
            if (!HopCodes.common(code)) {
                continue;
            }
            double w = 0;
            for (int h = 0; h < config.heads(); h++) {
                w += weights.weight(first + j, h);
            }
            out.add(new CommonNeighbour(block.key(row, j), code, HopCodes.nearestHop(code, 0),
                    HopCodes.nearestHop(code, 1), w / config.heads()));
        }
        out.sort(Comparator.comparingDouble(CommonNeighbour::weight).reversed()
                .thenComparingLong(CommonNeighbour::key));
        return out;
    }

    // --------------------------------------------------------------------------------------------------- internals

    /**
     * The real entries of every row back to back: their codes and dense parts [value_j || phi(age_j)] for the
     * attention, the runs' offsets, the ages, and -sin of the time encoding's arguments (for its backward; run by run,
     * column by column as the dense parts, offsets[r] * T for row r).
     */
    record Entries(RaggedAttention.TableEntries table, int[] offsets, float[] ages, double[] negSines) {
    }

    /** Row offsets of the real entries: offsets[r] = sum of count(r') for r' < r. */
    private static int[] offsets(JointNeighbourhood block) {
        int[] offsets = new int[block.rows() + 1];
        for (int r = 0; r < block.rows(); r++) {
            offsets[r + 1] = offsets[r] + block.count(r);
        }
        return offsets;
    }

    private Entries entries(JointNeighbourhood block, INDArray fresh) {
        int rows = block.rows();
        int k = block.slots();
        int f = config.valueDim();
        int z = f + config.timeDim();
        if (block.valueDim() != f) {
            throw new IllegalArgumentException("the joint neighbourhood has values of width " + block.valueDim()
                    + ", the scorer expects " + f);
        }
        int[] offsets = offsets(block);
        int n = offsets[rows];
        int[] codeRows = new int[n];
        float[] ages = new float[n];
        double[] dense = new double[n * z];
        float[] stored = block.values();
        int[] allCodes = block.codes();
        float[] allAges = block.ages();
        int[] a = block.pendingA();
        int[] b = block.pendingB();
        double[] freshValues = null;
        HostTimeEncoding.Snapshot phi = time.snapshot();
        double[] negSines = new double[n * config.timeDim()];
        for (int r = 0; r < rows; r++) {
            int len = block.count(r);
            int base = offsets[r] * z;
            for (int j = 0; j < len; j++) {
                int e = r * k + j;
                int c = offsets[r] + j;
                codeRows[c] = allCodes[e];
                ages[c] = allAges[e];
                for (int i = 0; i < f; i++) {
                    dense[base + i * len + j] = stored[e * f + i];
                }
                if (a[e] < 0) {
                    continue;
                }
                if (fresh == null) {
                    throw new IllegalArgumentException("the joint neighbourhood reads hop-1 values that wait for "
                            + "their refresh: pass the refresh rows (fresh) computed in this batch's graph");
                }
                if (freshValues == null) {
                    freshValues = HostArrays.doubles(fresh);
                }
                for (int p : new int[] {a[e], b[e]}) {
                    if (p >= 0) {
                        for (int i = 0; i < f; i++) {
                            dense[base + i * len + j] += freshValues[p * f + i];
                        }
                    }
                }
            }
            time.encode(phi, ages, offsets[r], offsets[r] + len, dense, base + f * len, len, negSines,
                    offsets[r] * config.timeDim());
        }
        double[] table = codes.tableValues();
        return new Entries(new RaggedAttention.TableEntries(table, codes.codes(), codeRows, dense), offsets, ages,
                negSines);
    }

    /** The code table's, the time encoding's and the fresh rows' gradients from the attention's entry gradients. */
    private INDArray entriesBackward(JointNeighbourhood block, int freshRows, Entries x,
                                     RaggedAttention.TableGradients g) {
        int rows = block.rows();
        int k = block.slots();
        int f = config.valueDim();
        int z = f + config.timeDim();
        int[] offsets = x.offsets();
        codes.addTableGradient(g.table());
        double[] dx = g.dense();
        double[] dw = new double[config.timeDim()];
        double[] db = new double[config.timeDim()];
        for (int r = 0; r < rows; r++) {
            int len = offsets[r + 1] - offsets[r];
            time.backward(x.ages(), offsets[r], offsets[r + 1], x.negSines(), offsets[r] * config.timeDim(), dx,
                    offsets[r] * z + f * len, len, dw, db);
        }
        time.addGradient(dw, db);
        if (freshRows == 0) {
            return null;
        }
        double[] dFresh = new double[freshRows * f];
        int[] a = block.pendingA();
        int[] b = block.pendingB();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < block.count(r); j++) {
                int e = r * k + j;
                if (a[e] < 0) {
                    continue;
                }
                int len = offsets[r + 1] - offsets[r];
                int from = offsets[r] * z + j;
                for (int p : new int[] {a[e], b[e]}) {
                    if (p >= 0) {
                        for (int i = 0; i < f; i++) {
                            dFresh[p * f + i] += dx[from + i * len];
                        }
                    }
                }
            }
        }
        return typed(dFresh, freshRows, f);
    }

    /** A [rows, cols] matrix of the parameters' type from row-major doubles. */
    private INDArray typed(double[] v, int rows, int cols) {
        return HostArrays.matrix(v, rows, cols, type);
    }

    private void requireRows(String what, INDArray m, int rows) {
        if (m.rank() != 2 || m.size(0) != rows || m.size(1) != config.memoryDim()) {
            throw new IllegalArgumentException("pair scorer: " + what + " must have shape [" + rows + ", "
                    + config.memoryDim() + "], got " + java.util.Arrays.toString(m.shape()));
        }
    }

    private static INDArray columns(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    public PairScorerConfig config() { return config; }
}
