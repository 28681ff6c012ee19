package io.tgstream.bench.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochPhasesTest {
    private final Map<EpochPhases.Phase, Long> weights = new IdentityHashMap<>();

    /** A stack given root first, as one reads a call path; JFR lists it leaf first. */
    private void sample(long weight, String... rootFirst) {
        List<String> leafFirst = new ArrayList<>(List.of(rootFirst));
        Collections.reverse(leafFirst);
        EpochPhases.attribute(leafFirst, weight, weights);
    }

    private double share(List<EpochPhases.Row> rows, int depth, String label) {
        return rows.stream().filter(r -> r.depth() == depth && r.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " at depth " + depth + " in " + rows))
                .share();
    }

    @Test
    void countsEachSampleInEveryPhaseOnItsPathAndTheRestOfEachParent() {
        String[] epoch = {"Thread.run", "MemoryTrainer.train", "MemoryTrainer.trainEpoch"};
        sample(10, concat(epoch, "TrainingStep.forwardBackward", "TrainingStep.pairForwardBackward",
                "PairScorer.forward", "RaggedAttention.forward", "Nd4j.gemm"));
        sample(20, concat(epoch, "TrainingStep.forwardBackward", "TrainingStep.pairForwardBackward",
                "PairScorer.forward", "PairScorer.entries", "HostTimeEncoding.encode", "Trig.cosSin"));
        sample(10, concat(epoch, "Adam.step", "BaseNDArray.muli"));
        sample(10, concat(epoch, "TrainingStep.forwardBackward", "BceWithLogits.of"));
        // validation is outside the epoch's phases
        sample(50, "Thread.run", "MemoryTrainer.train", "MemoryTrainer.validate", "PairScorer.forward");

        List<EpochPhases.Row> rows = EpochPhases.breakdown(weights);
        assertThat(rows.get(0).label()).isEqualTo("training epoch");
        assertThat(rows.get(0).weight()).isEqualTo(50);
        assertThat(share(rows, 1, "forward and backward")).isEqualTo(0.8);
        assertThat(share(rows, 2, "pair scorer forward")).isEqualTo(0.6);
        assertThat(share(rows, 3, "attention")).isEqualTo(0.2);
        assertThat(share(rows, 4, "time encoding of the entries' ages")).isEqualTo(0.4);
        assertThat(share(rows, 2, "(rest)")).isEqualTo(0.2); // BceWithLogits under forward and backward
        assertThat(share(rows, 1, "Adam")).isEqualTo(0.2);
        assertThat(rows).noneMatch(r -> r.label().equals("gradient clipping"));
    }

    @Test
    void aPhaseIsEnteredOnlyBelowItsParent() {
        // attention called straight from the epoch is not "pair scorer forward > attention"
        sample(10, "MemoryTrainer.trainEpoch", "RaggedAttention.forward");
        List<EpochPhases.Row> rows = EpochPhases.breakdown(weights);
        assertThat(rows).extracting(EpochPhases.Row::label).containsExactly("training epoch", "(rest)");
        assertThat(share(rows, 1, "(rest)")).isEqualTo(1.0);
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
