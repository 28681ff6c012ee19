package io.tgstream.model.nat;

import static io.tgstream.model.nat.NatStreams.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.SmallStreams;
import io.tgstream.nn.Parameters;
import java.util.SplittableRandom;
import io.tgstream.nn.Nd4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainer's protocol (a batch's refreshes computed in the next batch's graph and written at its end) gives the
 * same scores and the same dictionaries as the evaluator's (refreshes computed and written at the end of the batch).
 */
class RefreshProtocolTest {
    @BeforeAll
    static void oneNd4jThread() {
        // ND4J's default OpenMP threads spin against each other on a busy 2-core machine (STACK.md trap 4)
        Nd4jRuntime.configureDefault();
    }

    private static final int D = 6;
    private static final int B = 40;

    private static float[] rows(float[] memory, int[] nodes) {
        float[] out = new float[nodes.length * D];
        for (int i = 0; i < nodes.length; i++) System.arraycopy(memory, nodes[i] * D, out, i * D, D);
        return out;
    }

    @Test
    void deferredRefreshScoresAndStoresExactlyAsImmediateRefresh() {
        EdgeStream s = SmallStreams.random(600, 40, 3, 21);
        DictionaryConfig dc = new DictionaryConfig(8, 4, 3, 0.9, 5);
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        ValueRefresh refresh = new ValueRefresh(parameters, "refresh", D, 3, 4, dc.valueDim());
        PairScorer scorer = new PairScorer(parameters, "scorer", new PairScorerConfig(D, dc.valueDim(), 4, 4, 8, 2,
                6, 10));
        float[] memory = new float[s.nodeCount() * D];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < memory.length; i++) memory[i] = (float) random.nextDouble(-1, 1);

        NeighbourDictionaries immediate = NeighbourDictionaries.forStream(s, dc);
        NeighbourDictionaries deferred = NeighbourDictionaries.forStream(s, dc);
        RefreshRequests pending = null;
        int pendingEntriesSeen = 0;
        for (int from = 0; from < s.size(); from += B) {
            int[] events = range(from, Math.min(s.size(), from + B));
            int[] u = new int[events.length];
            int[] v = new int[events.length];
            long[] t = new long[events.length];
            for (int i = 0; i < events.length; i++) {
                u[i] = s.src(events[i]);
                v[i] = s.dst(events[i]);
                t[i] = s.timestamp(events[i]);
            }
            INDArray su = Nd4j.create(rows(memory, u), new long[] {u.length, D}, 'c').castTo(DataType.DOUBLE);
            INDArray sv = Nd4j.create(rows(memory, v), new long[] {v.length, D}, 'c').castTo(DataType.DOUBLE);

            // evaluator: every value stored
            INDArray expected = scorer.forward(su, sv, JointNeighbourhood.ofPairs(immediate, u, v, t), null).logits();
            RefreshRequests now = immediate.applyBatch(s, events);
            immediate.writeRefreshed(now, ValueRefresh.floats(refresh.forward(now, s, rows(memory, now.neighbours()),
                    DataType.DOUBLE)));

            // trainer: last batch's refreshes in this batch's graph
            INDArray fresh = pending == null ? null
                    : refresh.forward(pending, s, rows(memory, pending.neighbours()), DataType.DOUBLE).output();
            JointNeighbourhood block = JointNeighbourhood.ofPairs(deferred, u, v, t);
            for (int r = 0; r < block.rows(); r++) {
                for (int e = 0; e < block.count(r); e++) {
                    if (block.pendingRows(r, e)[0] >= 0) pendingEntriesSeen++;
                }
            }
            INDArray actual = scorer.forward(su, sv, block, fresh).logits();
            assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("batch from %d", from).isLessThan(1e-6);
            if (pending != null) {
                float[] values = new float[(int) fresh.length()];
                double[] fd = fresh.dup('c').data().asDouble();
                for (int i = 0; i < values.length; i++) values[i] = (float) fd[i];
                deferred.writeRefreshed(pending, values);
            }
            pending = deferred.applyBatch(s, events);
        }
        deferred.writeRefreshed(pending, ValueRefresh.floats(refresh.forward(pending, s,
                rows(memory, pending.neighbours()), DataType.DOUBLE)));
        assertThat(pendingEntriesSeen).as("scores that read fresh values").isGreaterThan(100);
        for (int x = 0; x < s.nodeCount(); x++) {
            assertThat(DictionaryCodec.encode(deferred, x)).as("node %d", x)
                    .isEqualTo(DictionaryCodec.encode(immediate, x));
        }
    }
}
