package io.tgstream.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One injected failure: in execution attempt {@code attempt} (the job's {@code attempt}-th restart), subtask
 * {@code subtask} of the node operator fails at the first score at or after its {@code afterScores}-th of that attempt
 * at which {@code point} holds.
 */
record ScheduledFault(int attempt, int subtask, FaultPoint point, int afterScores) implements Serializable {

    /**
     * A seeded schedule: first the failure before the first checkpoint (attempt 0), then {@code rounds} rounds of the
     * other three points in a seeded order, one fault per attempt, each after a seeded number of scores below
     * {@code maxScoresPerAttempt}, on a seeded subtask below {@code parallelism}.
     */
    static List<ScheduledFault> everyPoint(long seed, int parallelism, int maxScoresPerAttempt, int rounds) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ScheduledFault> faults = new ArrayList<>();
        faults.add(new ScheduledFault(0, r.nextInt(parallelism), FaultPoint.BEFORE_FIRST_CHECKPOINT, 1));
        for (int round = 0; round < rounds; round++) {
            List<FaultPoint> later = new ArrayList<>(List.of(FaultPoint.BETWEEN_CHECKPOINTS,
                    FaultPoint.CHECKPOINT_IN_FLIGHT, FaultPoint.MID_BATCH_CLOSE));
            for (int i = later.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                later.set(i, later.set(j, later.get(i)));
            }
            for (FaultPoint point : later) {
                faults.add(new ScheduledFault(faults.size(), r.nextInt(parallelism), point,
                        1 + r.nextInt(maxScoresPerAttempt)));
            }
        }
        return faults;
    }
}
