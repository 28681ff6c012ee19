package io.tgstream.model.nat;

import static io.tgstream.model.nat.NatStreams.node;
import static io.tgstream.model.nat.NatStreams.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.SmallStreams;
import io.tgstream.nn.GradientCheck;
import io.tgstream.nn.Parameters;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import io.tgstream.nn.Nd4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

class PairScorerTest {
    @BeforeAll
    static void oneNd4jThread() {
        // ND4J's default OpenMP threads spin against each other on a busy 2-core machine (STACK.md trap 4)
        Nd4jRuntime.configureDefault();
    }

    private static final long SEED = 11;
    private static final int D = 3;
    private static final int F = 2;
    private static final int EDGE_FEATURES = 2;

    private static INDArray random(long seed, long rows, long cols) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return Nd4j.createFromArray(v).reshape('c', rows, cols);
    }

    private static double weightedSum(INDArray out, INDArray upstream) {
        return out.mul(upstream).sumNumber().doubleValue();
    }

    /** Rows of a node-memory matrix [nodes, d] as row-major floats for the given nodes. */
    private static float[] rowsOf(INDArray memory, int[] nodes) {
        float[] all = memory.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int d = (int) memory.size(1);
        float[] out = new float[nodes.length * d];
        for (int i = 0; i < nodes.length; i++) System.arraycopy(all, nodes[i] * d, out, i * d, d);
        return out;
    }

    private static INDArray gather(INDArray memory, int[] nodes) {
        return Nd4j.create(rowsOf(memory, nodes), new long[] {nodes.length, memory.size(1)}, 'c')
                .castTo(memory.dataType());
    }

    @Test
    void wholeScorerAndValueRefreshGradientsMatchFiniteDifferences() {
        EdgeStream s = SmallStreams.random(300, 12, EDGE_FEATURES, 5);
        DictionaryConfig dc = new DictionaryConfig(4, 2, F, 0.9, SEED);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, dc);
        Parameters parameters = new Parameters(DataType.DOUBLE, SEED);
        ValueRefresh refresh = new ValueRefresh(parameters, "nat.refresh", D, EDGE_FEATURES, 2, F);
        PairScorer scorer = new PairScorer(parameters, "nat.scorer", new PairScorerConfig(D, F, 3, 2, 4, 2, 3, 5));
        INDArray memory = random(1, s.nodeCount(), D).muli(2);
        // five evaluated batches (values computed and stored at once), then one batch left pending
        for (int from = 0; from < 250; from += 50) {
            RefreshRequests r = d.applyBatch(s, range(from, from + 50));
            d.writeRefreshed(r, ValueRefresh.floats(refresh.forward(r, s, rowsOf(memory, r.neighbours()),
                    DataType.DOUBLE)));
        }
        RefreshRequests pending = d.applyBatch(s, range(250, 275));
        float[] pendingMemory = rowsOf(memory, pending.neighbours());
        int pairs = 25;
        int[] u = new int[pairs];
        int[] v = new int[pairs];
        long[] t = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            u[i] = s.src(275 + i);
            v[i] = i % 2 == 0 ? s.dst(275 + i) : (s.dst(275 + i) + 3) % s.nodeCount();
            t[i] = s.timestamp(275 + i);
        }
        JointNeighbourhood block = JointNeighbourhood.ofPairs(d, u, v, t);
        int pendingEntries = 0;
        for (int r = 0; r < pairs; r++) {
            for (int e = 0; e < block.count(r); e++) {
                if (block.pendingRows(r, e)[0] >= 0) pendingEntries++;
            }
        }
        assertThat(pendingEntries).as("entries reading fresh values").isGreaterThan(5);
        INDArray su = gather(memory, u);
        INDArray sv = gather(memory, v);
        INDArray upstream = random(2, pairs, 1);

        parameters.zeroGradients();
        ValueRefresh.Forward fr = refresh.forward(pending, s, pendingMemory, DataType.DOUBLE);
        PairScorer.Forward f = scorer.forward(su, sv, block, fr.output());
        PairScorer.InputGradients g = scorer.backward(f, upstream);
        refresh.backward(fr, g.fresh());
        DoubleSupplier loss = () -> weightedSum(scorer.forward(su, sv, block,
                refresh.forward(pending, s, pendingMemory, DataType.DOUBLE).output()).logits(), upstream);
        // step 1e-5: the refresh's time-encoding phases have gradients near 1e-9, below what a 1e-6 step resolves
        GradientCheck.checkParameters(parameters, loss, 1e-5, 1);
        GradientCheck.check("source memory", su, g.source(), loss);
        GradientCheck.check("destination memory", sv, g.destination(), loss);
        INDArray fresh = fr.output().dup();
        GradientCheck.check("fresh values", fresh, g.fresh(), () -> weightedSum(scorer.forward(su, sv, block, fresh).logits(),
                upstream));
        assertThat(parameters.get("nat.refresh.gru.weight_ih").gradient().amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void nodeEmbeddingGradientsMatchFiniteDifferences() {
        EdgeStream s = SmallStreams.random(200, 10, 0, 8);
        DictionaryConfig dc = new DictionaryConfig(4, 2, F, 0.9, SEED);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, dc);
        for (int from = 0; from < 160; from += 40) {
            // values of order 1: large ones saturate the softmax and bury its small gradients in rounding noise
            RefreshRequests r = d.applyBatch(s, range(from, from + 40));
            d.writeRefreshed(r, ValueRefresh.floats(new ValueRefresh.Forward(null, null,
                    random(from, r.size(), F))));
        }
        RefreshRequests pending = d.applyBatch(s, range(160, 200));
        Parameters parameters = new Parameters(DataType.DOUBLE, SEED);
        PairScorer scorer = new PairScorer(parameters, "nat", new PairScorerConfig(D, F, 3, 2, 4, 2, 3, 5));
        int[] nodes = {s.src(199), s.dst(199), s.src(150), s.dst(120)};
        long[] t = {1000, 1000, 1000, 1000};
        JointNeighbourhood own = JointNeighbourhood.ofNodes(d, nodes, t);
        // phases away from 0, where the slowest frequency's gradient (sin of about 0) drowns in rounding noise
        parameters.get("nat.time.bias").value().assign(random(9, 1, 2));
        INDArray memory = random(6, nodes.length, D);
        INDArray fresh = random(7, pending.size(), F);
        INDArray upstream = random(8, nodes.length, D + 3);
        PairScorer.EmbedForward f = scorer.embed(memory, own, fresh);
        PairScorer.EmbedGradients g = scorer.backwardEmbed(f, upstream);
        DoubleSupplier loss = () -> weightedSum(scorer.embed(memory, own, fresh).output(), upstream);
        // step 1e-5: the key weights of the slowest time frequency (a nearly constant input, which softmax cancels)
        // have gradients near 1e-9, where a 1e-6 step meets rounding noise
        GradientCheck.checkParameters(parameters, loss, 1e-5, 1);
        GradientCheck.check("memory", memory, g.memory(), loss);
        GradientCheck.check("fresh values", fresh, g.fresh(), loss);
        assertThat(parameters.get("nat.node_attention.key.weight").gradient().amaxNumber().doubleValue())
                .isPositive();
        assertThat(parameters.get("nat.attention.key.weight").gradient().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void emptyDictionariesAndPaddingGiveFiniteScores() {
        EdgeStream s = NatStreams.of(new Object[][] {{"a", "b", 1}, {"c", "d", 2}});
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        Parameters parameters = new Parameters(DataType.FLOAT, SEED);
        PairScorer scorer = new PairScorer(parameters, "nat", PairScorerConfig.defaults(100, d.config()));
        int[] u = {0, 2, 0};
        int[] v = {1, 3, 0};
        JointNeighbourhood block = JointNeighbourhood.ofPairs(d, u, v, new long[] {5, 5, 5});
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 3, 100);
        PairScorer.Forward f = scorer.forward(zeros, zeros, block, null);
        assertThat(BooleanIndexing.or(f.logits(), Conditions.isNan())).isFalse();
        assertThat(BooleanIndexing.or(f.logits(), Conditions.isInfinite())).isFalse();
        PairScorer.InputGradients g = scorer.backward(f, Nd4j.ones(DataType.FLOAT, 3, 1));
        assertThat(BooleanIndexing.or(parameters.flatGradients(), Conditions.isNan())).isFalse();
        assertThat(g.fresh()).isNull();
        // the first two pairs differ only in node keys, which the scorer never sees: same score
        assertThat(f.logits().getDouble(0)).isEqualTo(f.logits().getDouble(1));
        assertThat(f.logits().getDouble(2)).isNotEqualTo(f.logits().getDouble(0));
        // node embeddings: memory then pooled dictionary
        JointNeighbourhood own = JointNeighbourhood.ofNodes(d, new int[] {0, 1}, new long[] {5, 5});
        INDArray memory = Nd4j.rand(DataType.FLOAT, 2, 100);
        INDArray h = scorer.embed(memory, own, null).output();
        assertThat(h.shape()).containsExactly(2, 100 + PairScorerConfig.DEFAULT_OUTPUT_DIM);
        assertThat(h.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 100)).equals(memory)).isTrue();
        assertThat(BooleanIndexing.or(h, Conditions.isNan())).isFalse();
    }

    @Test
    void explainListsCommonNeighboursMostAttendedFirst() {
        EdgeStream s = NatStreams.of(new Object[][] {{"u", "x", 1}, {"y", "x", 1}, {"v", "y", 2}});
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NatStreams.applyAndWrite(d, s, range(0, 2), 1f);
        NatStreams.applyAndWrite(d, s, range(2, 3), 10f);
        Parameters parameters = new Parameters(DataType.DOUBLE, SEED);
        PairScorer scorer = new PairScorer(parameters, "nat", PairScorerConfig.defaults(8, d.config()));
        int[] u = {node(s, "u"), node(s, "u")};
        int[] v = {node(s, "v"), node(s, "x")};
        JointNeighbourhood block = JointNeighbourhood.ofPairs(d, u, v, new long[] {10, 10});
        PairScorer.Forward f = scorer.forward(random(3, 2, 8), random(4, 2, 8), block, null);

        List<CommonNeighbour> first = scorer.explain(f, 0);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).key()).isEqualTo(s.nodeKey(node(s, "x")));
        assertThat(first.get(0).code()).isEqualTo(2 + 32);
        assertThat(first.get(0).uHop()).isEqualTo(1);
        assertThat(first.get(0).vHop()).isEqualTo(2);

        List<CommonNeighbour> second = scorer.explain(f, 1);
        assertThat(second).extracting(CommonNeighbour::code).containsExactlyInAnyOrder(1 + 16, 2 + 8);
        assertThat(second.get(0).weight()).isGreaterThanOrEqualTo(second.get(1).weight());
        double total = 0;
        for (int j = 0; j < block.count(1); j++) {
            int at = f.attention().offsets()[1] + j;
            double w = (f.attention().weight(at, 0) + f.attention().weight(at, 1)) / 2;
            total += w;
            long key = block.key(1, j);
            if (HopCodes.common(block.code(1, j))) {
                CommonNeighbour c = second.stream().filter(n -> n.key() == key).findFirst().orElseThrow();
                assertThat(c.weight()).isEqualTo(w);
            }
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
