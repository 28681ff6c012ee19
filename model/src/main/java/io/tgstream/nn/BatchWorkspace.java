package io.tgstream.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scratch memory of one batch: every array a layer creates inside {@code try (var ws = BatchWorkspace.open(id))}
 * comes from one reused native block instead of a fresh allocation.
 *
 * <p>Why: without it every op result is new off-heap memory that is only freed when the Java GC happens to collect
 * its small wrapper, so each op touches fresh pages; measured here (LayerTiming) that costs more than the arithmetic
 * at a few hundred rows. Contract: arrays created inside are invalid once the scope closes, so a batch's forward
 * caches must be used (backward) inside the same scope, and a result that outlives the batch (new memory written to
 * state, a score emitted) must be copied out with {@code INDArray#detach()}. Parameters, their gradients and the
 * Adam moments are always allocated outside workspaces, so updating them inside the scope is safe. Workspaces are
 * per thread; the block grows when a larger batch arrives (learned on the first batch, reallocated on spill).
 */
public final class BatchWorkspace {
    /** Head room over the learned size, so that slightly larger batches do not spill. */
    private static final double OVERALLOCATION = 0.3;
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(OVERALLOCATION)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private BatchWorkspace() {
    }

    /** Opens (and on first use creates) this thread's workspace named {@code id}; close it at the end of the batch. */
    public static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
    }
}
