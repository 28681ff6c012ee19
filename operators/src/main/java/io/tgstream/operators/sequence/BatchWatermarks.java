package io.tgstream.operators.sequence;

import io.tgstream.operators.debug.BatchTimeline;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks that close batches: the first event of batch k closes batch k - 1 (the sequencer emits batches in
 * order), and so does an edge that ends its batch k, at once. The batch index is the record's timestamp.
 */
public final class BatchWatermarks implements WatermarkGenerator<SequencedEdge> {
    private long closed = Long.MIN_VALUE;

    /** The strategy for the sequencer's output: timestamp = batch, watermark = last closed batch. */
    public static WatermarkStrategy<SequencedEdge> strategy() {
        return WatermarkStrategy.<SequencedEdge>forGenerator(ctx -> new BatchWatermarks())
                .withTimestampAssigner((e, previous) -> e.batch);
    }

    @Override
    public void onEvent(SequencedEdge event, long timestamp, WatermarkOutput output) {
        long done = event.endsBatch ? event.batch : event.batch - 1;
        if (done > closed) {
            closed = done;
            BatchTimeline.mark("wm_gen", 0, closed);
            output.emitWatermark(new Watermark(closed));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // batches close on events only; the end of a bounded input closes the last one
    }
}
