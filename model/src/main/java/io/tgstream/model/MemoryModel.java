package io.tgstream.model;

import io.tgstream.nn.GruCell;
import io.tgstream.nn.Initialisation;
import io.tgstream.nn.LinkDecoder;
import io.tgstream.nn.NeighbourAttention;
import io.tgstream.nn.Parameter;
import io.tgstream.nn.Parameters;
import io.tgstream.nn.TimeEncoding;
import io.tgstream.nn.TimeProjectionEmbedding;
import io.tgstream.model.nat.PairScorer;
import io.tgstream.model.nat.ValueRefresh;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The memory model's forward and backward code on batches of rows: one forward, called unchanged by the trainer, the
 * offline evaluator and the streaming operator.
 *
 * <pre>
 *   memory update   m_u = [s_u || s_v || phi(t - t_u) || e]          (phi = {@link TimeEncoding})
 *                   g_u = GRU(m_u, s_u)
 *                   s_u' = g_u                                      (PRES off, or a node without history)
 *                   s_u' = g_u + gamma ((s_u + mu_u) - g_u)         (PRES on, {@link PresCorrection#FUSE}:
 *                                                                    mu_u = mean past change of s_u;
 *                                                                    gamma a constant or a trained scalar)
 *                   s_u' = g_u + gamma (m_u - 1) mu_u               (PRES on, {@link PresCorrection#DROPPED}:
 *                                                                    m_u = u's messages in the batch, mu_u = mean
 *                                                                    past GRU step g_u - s_u)
 *   embedding       h_u = s_u * (1 + w x_u + b)                     (time projection, JODIE; tau = time scale)
 *                   x_u = dt_u / tau, or sign(dt_u) log(1 + |dt_u| / tau) (log time projection: an idle node's
 *                                                                    embedding grows with the log of its idle time)
 *                   h_u += Attn(s_u, {[P s_j || phi(t - t_j)]})     (recent partners: j in u's list, P fixed random)
 *   score           logit(u, v) = MLP([h_u || h_v])
 *   loss            BCE(positives, 1) + BCE(negatives, 0) + lambda mean(1 - cos(s_u', s_u))   (coherence: PRES on)
 * </pre>
 * With the neighbour dictionaries on ({@link ModelParts}), the {@link PairScorer} replaces the decoder, with the
 * embeddings h_u, h_v as the pair's self representations (zero rows when the memory is off):
 * logit(u, v) = PairScorer(h_u, h_v, joint neighbourhood of (u, v)); dictionary values are refreshed by
 * {@link ValueRefresh} from the partner's memory as read in the batch.
 * Everything here reads only the rows it is given: which rows (the two endpoints of an event, as of the previous
 * batch) is the caller's business, and is what makes the locality rule hold.
 */
public final class MemoryModel {
    private final MemoryModelConfig config;
    private final DataType dataType;
    private final Parameters parameters;
    private final GruCell memoryUpdater;
    private final TimeEncoding timeEncoding;
    private final TimeProjectionEmbedding projection;
    private final NeighbourAttention partnerAttention;
    private final LinkDecoder decoder;
    private final float[] partnerProjection;
    private final ModelParts parts;
    private final ValueRefresh valueRefresh;
    private final PairScorer pairScorer;
    /** PRES's gamma as a trained [1, 1] parameter, or null when it is the config's constant. */
    private final Parameter presGamma;

    /** The memory-only model of part 1. */
    public MemoryModel(MemoryModelConfig config, DataType dataType) {
        this(config, ModelParts.MEMORY_ONLY, dataType);
    }

    /** The house model with the given parts on (the memory-only parts register exactly as without them). */
    public MemoryModel(MemoryModelConfig config, ModelParts parts, DataType dataType) {
        this.config = config;
        this.parts = parts;
        this.dataType = dataType;
        this.parameters = new Parameters(dataType, config.seed());
        int d = config.memoryDim();
        this.memoryUpdater = new GruCell(parameters, "memory.gru", config.messageDim(), d);
        this.timeEncoding = new TimeEncoding(parameters, "time", config.timeDim());
        this.projection = new TimeProjectionEmbedding(parameters, "embedding.projection", d);
        if (config.embedding() == EmbeddingKind.RECENT_PARTNERS) {
            this.partnerAttention = new NeighbourAttention(parameters, "embedding.partners", d,
                    config.partnerDim() + config.timeDim(), d, d, NeighbourAttention.DEFAULT_HEADS);
            this.partnerProjection = randomProjection(d, config.partnerDim(), config.seed());
        } else {
            this.partnerAttention = null;
            this.partnerProjection = null;
        }
        this.decoder = new LinkDecoder(parameters, "decoder", d, d);
        // registered after the part-1 layers, so a constant-gamma model keeps its parameter layout and initial values
        this.presGamma = config.pres() && config.presGammaLearnable()
                ? parameters.add("memory.pres.gamma", Initialisation.values(new double[] {config.presGamma()}), 1, 1)
                : null;
        if (parts.hasDictionaries()) {
            if (parts.scorer().memoryDim() != d) {
                throw new IllegalArgumentException("the pair scorer expects memories of width "
                        + parts.scorer().memoryDim() + ", the memory has " + d);
            }
            this.valueRefresh = new ValueRefresh(parameters, "nat.refresh", d, config.edgeFeatureDim(),
                    parts.scorer().timeDim(), parts.dictionaries().valueDim());
            this.pairScorer = new PairScorer(parameters, "nat.scorer", parts.scorer());
        } else {
            this.valueRefresh = null;
            this.pairScorer = null;
        }
    }

    /** Which parts are on. */
    public ModelParts parts() { return parts; }

    /** The value refresh of the dictionaries (null when they are off). */
    public ValueRefresh valueRefresh() { return valueRefresh; }

    /** The pair scorer that replaces the decoder when the dictionaries are on (else null). */
    public PairScorer pairScorer() { return pairScorer; }

    /** A fixed Gaussian projection [d, p] scaled by 1/sqrt(p) (Johnson-Lindenstrauss): not learned, so a stored entry
     * never goes stale when the weights change. */
    private static float[] randomProjection(int d, int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eed_9a27_1e55L);
        float[] w = new float[d * p];
        double scale = 1.0 / Math.sqrt(p);
        for (int i = 0; i < w.length; i += 2) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1)) * scale;
            w[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < w.length) {
                w[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return w;
    }

    public MemoryModelConfig config() { return config; }

    public Parameters parameters() { return parameters; }

    public DataType dataType() { return dataType; }

    /** A [rows, cols] matrix of this model's data type from row-major floats. */
    public INDArray matrix(float[] values, int rows, int cols) {
        INDArray m = Nd4j.create(values, new long[] {rows, cols}, 'c');
        return dataType == DataType.FLOAT ? m : m.castTo(dataType);
    }

    /** Row-major floats of a matrix (a copy). */
    public static float[] floats(INDArray m) {
        INDArray c = m.dataType() == DataType.FLOAT ? m : m.castTo(DataType.FLOAT);
        return c.dup('c').data().asFloat();
    }

    // ---------------------------------------------------------------------------------------------- memory update

    /** What the memory update's backward needs; {@code presDelta} is the correction before its factor gamma, w ((s +
     * mu) - g) or w mu (null with PRES off). */
    public record UpdateForward(GruCell.Forward gru, TimeEncoding.Forward time, INDArray presMask, INDArray presDelta,
                                double gamma, INDArray output) {
    }

    /** PRES's fusion weight gamma as it stands (the trained value when it is learnable). */
    public double presGamma() {
        return presGamma == null ? config.presGamma() : presGamma.value().getDouble(0);
    }

    /**
     * New memories for n nodes.
     *
     * @param own         s_u [n, d]
     * @param partner     s_v [n, d], the partner's memory as read in the same batch
     * @param timeDelta   t - t_u [n, 1]
     * @param features    e [n, F], or null when F = 0
     * @param presMean    mu_u [n, d] (PRES on), else null
     * @param presMask    [n, 1]: w, the correction's weight per node ({@link PresCorrection#weight}; PRES on), else null
     */
    public UpdateForward updateMemory(INDArray own, INDArray partner, INDArray timeDelta, INDArray features,
                                      INDArray presMean, INDArray presMask) {
        TimeEncoding.Forward phi = timeEncoding.forward(timeDelta);
        INDArray message = features == null || config.edgeFeatureDim() == 0
                ? Nd4j.hstack(own, partner, phi.output())
                : Nd4j.hstack(own, partner, phi.output(), features);
        GruCell.Forward gru = memoryUpdater.forward(message, own);
        INDArray out = gru.output();
        double gamma = presGamma();
        INDArray delta = null;
        if (config.pres() && presMean != null) {
            // FUSE: s' = g + gamma w ((s + mu) - g); DROPPED: s' = g + gamma w mu
            delta = config.presCorrection() == PresCorrection.DROPPED ? presMean.mulColumnVector(presMask)
                    : own.add(presMean).subi(out).muliColumnVector(presMask);
            out = out.add(delta.mul(gamma));
        }
        return new UpdateForward(gru, phi, config.pres() ? presMask : null, delta, gamma, out);
    }

    /**
     * The memories whose change from s PRES folds into mu, row-major, or null when that is the stored s' itself: with
     * {@link PresCorrection#DROPPED} mu must predict one GRU step (it multiplies the dropped messages), so it observes
     * g - s; were it to observe s' - s, which holds the correction, a node with m - 1 > 1 / gamma dropped messages in
     * batch after batch would feed mu back into itself and grow without bound.
     */
    public float[] presObserved(UpdateForward f) {
        return config.pres() && config.presCorrection() == PresCorrection.DROPPED ? floats(f.gru().output()) : null;
    }

    /** Adds the parameter gradients of the memory update for dL/ds'. The inputs are constants (stored state). */
    public void backwardUpdate(UpdateForward f, INDArray dOut) {
        INDArray dGru = dOut;
        if (f.presMask() != null) {
            // ds'/dg = 1 - gamma w (FUSE), 1 (DROPPED: the correction does not depend on g)
            dGru = config.presCorrection() == PresCorrection.DROPPED ? dOut
                    : dOut.mulColumnVector(f.presMask().mul(-f.gamma()).addi(1.0));
            if (presGamma != null && f.presDelta() != null) {
                // ds'/dgamma = the correction before gamma, elementwise; summed over rows and dimensions
                presGamma.gradient().addi(dOut.mul(f.presDelta()).sumNumber().doubleValue());
            }
        }
        GruCell.InputGradients g = memoryUpdater.backward(f.gru(), dGru);
        long d = config.memoryDim();
        INDArray dPhi = g.input().get(NDArrayIndex.all(), NDArrayIndex.interval(2 * d, 2 * d + config.timeDim()));
        timeEncoding.backward(f.time(), dPhi);
    }

    // -------------------------------------------------------------------------------------------------- embedding

    /** The partner entries of m nodes' recent-partner lists, ready for attention. */
    public record PartnerBlock(INDArray values, INDArray ages, INDArray mask, int slots) {
    }

    /** What the embedding's backward needs. */
    public record EmbedForward(TimeProjectionEmbedding.Forward projection, NeighbourAttention.Forward attention,
                               TimeEncoding.Forward ages, INDArray output) {
    }

    /**
     * Embeddings of m nodes.
     *
     * @param memory    s [m, d]
     * @param timeDelta t - t_u [m, 1] (raw; divided by the time scale here)
     * @param partners  the nodes' recent-partner entries (RECENT_PARTNERS), else null
     */
    public EmbedForward embed(INDArray memory, INDArray timeDelta, PartnerBlock partners) {
        TimeProjectionEmbedding.Forward proj = projection.forward(memory, projectionInput(timeDelta));
        if (partnerAttention == null) {
            return new EmbedForward(proj, null, null, proj.output());
        }
        long m = memory.size(0);
        int k = partners.slots();
        TimeEncoding.Forward ages = timeEncoding.forward(partners.ages());
        INDArray entries = Nd4j.hstack(partners.values(), ages.output())
                .reshape('c', m, k, config.partnerDim() + config.timeDim());
        NeighbourAttention.Forward att = partnerAttention.forward(memory, entries, partners.mask());
        return new EmbedForward(proj, att, ages, proj.output().add(att.output()));
    }

    /** x = dt / tau, or sign(dt) log(1 + |dt| / tau) with the log time projection (dt is data: no gradient). */
    private INDArray projectionInput(INDArray timeDelta) {
        INDArray x = timeDelta.div(config.timeScale());
        if (!config.logTimeProjection()) {
            return x;
        }
        INDArray sign = Transforms.sign(x, true);
        return Transforms.log1p(Transforms.abs(x, false), false).muli(sign);
    }

    /** Adds the parameter gradients of the embedding and returns dL/ds. */
    public INDArray backwardEmbed(EmbedForward f, INDArray dOut) {
        INDArray dMemory = projection.backward(f.projection(), dOut).memory();
        if (f.attention() != null) {
            NeighbourAttention.InputGradients g = partnerAttention.backward(f.attention(), dOut);
            dMemory = dMemory.add(g.query());
            long rows = f.ages().output().size(0);
            INDArray flat = g.entries().reshape('c', rows, config.partnerDim() + config.timeDim());
            timeEncoding.backward(f.ages(), flat.get(NDArrayIndex.all(),
                    NDArrayIndex.interval(config.partnerDim(), config.partnerDim() + config.timeDim())));
        }
        return dMemory;
    }

    /** P s for rows of memories [n * d] (row-major): the partner entries stored at an interaction, [n * p]. */
    public float[] projectPartners(float[] memories, int n) {
        int d = config.memoryDim();
        int p = config.partnerDim();
        float[] out = new float[n * p];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                float s = memories[r * d + i];
                if (s == 0f) continue;
                int w = i * p;
                int o = r * p;
                for (int j = 0; j < p; j++) {
                    out[o + j] += s * partnerProjection[w + j];
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- decoder

    public LinkDecoder.Forward decode(INDArray source, INDArray destination) {
        return decoder.forward(source, destination);
    }

    public LinkDecoder.InputGradients backwardDecode(LinkDecoder.Forward f, INDArray dLogits) {
        return decoder.backward(f, dLogits);
    }

    // ------------------------------------------------------------------------------------------------- coherence

    /** The memory-coherence loss lambda mean_rows(1 - cos(new_r, old_r)) and its gradient w.r.t. the new rows. */
    public record Coherence(double value, INDArray gradient) {
    }

    public Coherence coherence(INDArray updated, INDArray old) {
        long n = updated.size(0);
        double lambda = config.coherenceWeight();
        double eps = 1e-8;
        INDArray dot = updated.mul(old).sum(true, 1);                       // [n, 1]
        INDArray na = updated.norm2(true, 1).addi(eps);
        INDArray nb = old.norm2(true, 1).addi(eps);
        INDArray cos = dot.div(na.mul(nb));
        double value = lambda * (n - cos.sumNumber().doubleValue()) / n;
        // d(-cos)/da = -(b / (|a||b|) - cos a / |a|^2), scaled by lambda / n
        INDArray grad = old.divColumnVector(na.mul(nb))
                .subi(updated.mulColumnVector(cos.div(na.mul(na))))
                .muli(-lambda / n);
        return new Coherence(value, grad);
    }
}
