package io.tgstream.operators.feedback;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tgstream.operators.debug.BatchTimeline;

/**
 * The keyed head of an exactly-once feedback loop over temporal batches; extend it with the
 * logic of one key (DESIGN.md §3.5).
 *
 * <p><b>Batches.</b> The Flink timestamp of every input record is its batch index {@code k}. The
 * loop's <em>feedback watermark</em> {@code F} is the highest marker that came back through the
 * loop: marker {@code m} proves that every feedback record any head emitted before it forwarded
 * watermark {@code m} has been processed here. The head guarantees:
 *
 * <ul>
 *   <li>{@link #processInput} for batch {@code k} runs only once {@code F >= k - 1}: inputs that
 *       arrive earlier wait on the heap (beyond {@link #MAX_HEAP_DEFERRED}, and at every
 *       checkpoint, in keyed state), so a read in batch {@code k}
 *       sees every update of batches {@code < k} that the user applied in {@link #onBatchEnd}.
 *   <li>The head forwards watermark {@code W_out = min(W_in, d - 1)} where {@code W_in} is the
 *       input watermark and {@code d} the oldest batch with waiting inputs: it never forwards
 *       {@code k} before it ran {@code processInput} for every input of batches {@code <= k}.
 *   <li>{@link #onBatchEnd}{@code (k)} runs under each key that called {@link #scheduleBatchEnd}
 *       {@code (k)}, once {@code F >= k}, before the waiting inputs of batch {@code k + 1} are
 *       released; then {@link #onFeedbackWatermark}{@code (F)} runs once per subtask.
 * </ul>
 *
 * <p>Feedback records emitted from {@code processInput} of batch {@code k} are therefore all
 * processed before batch {@code k} ends at their target. Records emitted from
 * {@code processFeedback} or {@code onBatchEnd} are only covered by a later marker.
 *
 * <p><b>Exactly once.</b> In {@code snapshotState(id)} the head, whose barrier has already gone
 * downstream, takes every element from its queue up to the tail's sentinel {@code id} (waiting
 * for it: the tail needs nothing from this head any more), logs the records and markers to raw
 * keyed state by key group ({@link InFlightFeedbackLog}) and applies them only afterwards, in a
 * mail: Flink snapshots the keyed backend after {@code snapshotState}, so applying them there
 * would count them twice on restore. After a restore the log is replayed in {@code open()},
 * before anything else is consumed. The input watermark is checkpointed too and re-emitted
 * (as the held output watermark) on restore: Flink does not resend watermarks, so a job whose
 * input was read to its end before a failure would otherwise never release its waiting batches.
 * Never block in the callbacks.
 *
 * @param <IN> forward input records, keyed like the feedback records
 * @param <T> records sent round the loop
 * @param <OUT> output records
 */
public abstract class FeedbackHeadOperator<IN, T, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>,
                BoundedOneInput,
                Triggerable<Object, VoidNamespace> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackHeadOperator.class);

    /** Queue elements handled per mail, so that barriers and inputs are not starved. */
    private static final int MAX_ELEMENTS_PER_DRAIN = 4096;

    /**
     * Inputs of not yet open batches kept on the heap per subtask; beyond this they wait in keyed state with a timer
     * each, as all did before, so that an input far ahead of the loop (a backlog after a restart) cannot fill the heap.
     */
    static final int MAX_HEAP_DEFERRED = 32_768;

    private static final String DEFERRED_INPUTS_STATE = "feedback-deferred-inputs";
    private static final String DEFERRED_BATCHES_STATE = "feedback-deferred-batches";
    private static final String INPUT_WATERMARK_STATE = "feedback-input-watermark";
    private static final String TIMERS = "feedback-batch-timers";

    /**
     * Batch indices must lie within +-2^61: timers run on a doubled time axis, batch end of
     * {@code k} at {@code 2k} and release of the waiting inputs of {@code k} at {@code 2k - 1},
     * so that one timer queue fires every key's end of batch {@code k - 1} before any key's
     * inputs of batch {@code k} (a key-by-key scan of waiting inputs would instead cost a scan of
     * RocksDB per batch).
     */
    static final long MAX_BATCH = 1L << 61;

    private final FeedbackLoopSpec<T> spec;
    private final transient MailboxExecutor mailbox;

    private transient KeySelector<T, Object> feedbackKeys;
    private transient TypeSerializer<T> feedbackSerializer;
    private transient OutputTag<T> feedbackTag;
    private transient int maxParallelism;
    private transient KeyGroupRange keyGroupRange;

    private transient FeedbackChannelKey channelKey;
    private transient FeedbackChannel<T> channel;

    private transient ListStateDescriptor<IN> deferredInputs;
    private transient ListState<Long> deferredBatchesState;
    private transient ListState<Long> inputWatermarkState;
    private transient long restoredInputWatermark;
    private transient TreeSet<Long> deferredBatches;
    /**
     * Waiting inputs on the heap, per batch in arrival order: a keyed-state list append and a timer per input, then a
     * read, a clear and a timer firing per key, cost more than the rest of a request's way through the head. A
     * checkpoint writes them into the keyed state with their timers ({@link #spillHeapDeferred}), in the format of
     * the inputs that wait there, so restore and rescaling see no difference.
     */
    private transient TreeMap<Long, List<DeferredInput<IN>>> heapDeferred;
    private transient int heapDeferredCount;
    private transient InternalTimerService<VoidNamespace> timers;

    private transient long inputWatermark;
    private transient long emittedWatermark;
    private transient long feedbackWatermark;
    private transient boolean endOfFeedback;
    private transient long currentTimestamp;
    private transient StreamRecord<OUT> outputRecord;

    /** Elements taken from the queue during a snapshot, logged but not applied yet (FIFO). */
    private transient ArrayDeque<FeedbackElement<T>> unapplied;
    private transient boolean applyingLogged;
    private transient long sentinelTimeoutMillis;
    private transient List<RestoredRecord<T>> restoredRecords;
    private transient long restoredMarker;
    private transient boolean replaying;
    private transient long replayedRecords;
    private transient long lastCommittedCheckpointId;
    private transient long lastCommittedLogRecords;
    private transient int tlSubtask;
    private transient long tlLastIn = Long.MIN_VALUE;
    private transient long tlLastRelease = Long.MIN_VALUE;
    private transient long tlLastFeedback = Long.MIN_VALUE;

    protected FeedbackHeadOperator(FeedbackHeadParameters<T, OUT> parameters) {
        super(parameters.operatorParameters());
        this.spec = parameters.spec();
        this.mailbox = parameters.operatorParameters().getMailboxExecutor();
    }

    // ---------------------------------------------------------------------------------------
    //  User logic
    // ---------------------------------------------------------------------------------------

    /** Called once per subtask before anything is processed: create state handles here. */
    protected void onOpen() throws Exception {}

    /** An input record of {@code batch}, under its key, once batch {@code batch - 1} has ended. */
    protected abstract void processInput(IN input, long batch) throws Exception;

    /** A record that came round the loop, under its target key. */
    protected abstract void processFeedback(T record) throws Exception;

    /** Batch {@code batch} has ended for the current key (see {@link #scheduleBatchEnd}). */
    protected void onBatchEnd(long batch) throws Exception {}

    /** The feedback watermark of this subtask advanced to {@code watermark}; no current key. */
    protected void onFeedbackWatermark(long watermark) throws Exception {}

    /**
     * A checkpoint's synchronous snapshot is being taken: write what the user keeps on the heap into keyed state
     * now (Flink snapshots the keyed backend after this). May change the current key.
     */
    protected void onSnapshot(long checkpointId) throws Exception {}

    /** Asks for {@link #onBatchEnd}{@code (batch)} under the current key; repeated asks fire once. */
    protected final void scheduleBatchEnd(long batch) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 2 * checkBatch(batch));
    }

    /** Sends a record round the loop to the head subtask that owns its key. */
    protected final void emitFeedback(T record) {
        output.collect(feedbackTag, new StreamRecord<>(record, currentTimestamp));
    }

    /** Emits an output record, stamped with the batch being processed. */
    protected final void emit(OUT record) {
        output.collect(outputRecord.replace(record, currentTimestamp));
    }

    /** The highest marker that came back through the loop ({@link Long#MIN_VALUE} at first). */
    protected final long feedbackWatermark() {
        return feedbackWatermark;
    }

    /** True while the in-flight log of a restored checkpoint is being replayed. */
    protected final boolean isReplayingLog() {
        return replaying;
    }

    // ---------------------------------------------------------------------------------------
    //  Life cycle
    // ---------------------------------------------------------------------------------------

    @Override
    protected final boolean isUsingCustomRawKeyedState() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (FlinkInternalApi.snapshotsTimersToRawKeyedState(getKeyedStateBackend())) {
            throw new SuppressRestartsException(
                    new IllegalStateException(FlinkInternalApi.HEAP_TIMERS_REFUSAL));
        }
        feedbackKeys = (KeySelector<T, Object>) spec.keySelector();
        feedbackSerializer = spec.serializer().duplicate();
        feedbackTag = spec.outputTag();
        maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        keyGroupRange =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism,
                        getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());

        deferredBatches = new TreeSet<>();
        heapDeferred = new TreeMap<>();
        heapDeferredCount = 0;
        deferredBatchesState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        DEFERRED_BATCHES_STATE, LongSerializer.INSTANCE));
        inputWatermarkState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        INPUT_WATERMARK_STATE, LongSerializer.INSTANCE));
        restoredRecords = new ArrayList<>();
        restoredMarker = Long.MIN_VALUE;
        restoredInputWatermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            // Flink does not re-send watermarks after a restore: when the input was read to its
            // end before the failure, none would ever come again and the deferred batches would
            // wait forever. The heads saw the same watermarks before the aligned barrier; the
            // minimum is the safe choice after rescaling. Old snapshots have none (MIN_VALUE).
            long lowest = Long.MAX_VALUE;
            boolean any = false;
            for (Long watermark : inputWatermarkState.get()) {
                lowest = Math.min(lowest, watermark);
                any = true;
            }
            restoredInputWatermark = any ? lowest : Long.MIN_VALUE;
            // Union state: every subtask sees every subtask's waiting batches. Holding the
            // watermark back for a batch another subtask waits on only delays, never breaks.
            for (Long batch : deferredBatchesState.get()) {
                deferredBatches.add(batch);
            }
            if (spec.replayLogOnRestore()) {
                readLog(context);
            } else {
                LOG.warn(
                        "Feedback loop {}: restored checkpoint {} WITHOUT replaying its in-flight"
                                + " log (test control); records will be lost.",
                        spec.loopId(),
                        context.getRestoredCheckpointId());
            }
        }
    }

    private void readLog(StateInitializationContext context) throws Exception {
        int sections = 0;
        for (KeyGroupStatePartitionStreamProvider section : context.getRawKeyedStateInputs()) {
            long marker =
                    InFlightFeedbackLog.read(
                            section.getStream(),
                            feedbackSerializer,
                            (record, timestamp) ->
                                    restoredRecords.add(new RestoredRecord<>(record, timestamp)));
            restoredMarker = Math.max(restoredMarker, marker);
            sections++;
        }
        LOG.info(
                "Feedback loop {} subtask {}: restored {} in-flight records from {} key groups"
                        + " (marker {}) of checkpoint {}.",
                spec.loopId(),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                restoredRecords.size(),
                sections,
                restoredMarker,
                context.getRestoredCheckpointId());
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void open() throws Exception {
        super.open();
        String refusal =
                FlinkInternalApi.refusalFor(
                        getContainingTask().getEnvironment().getJobConfiguration());
        if (refusal == null) {
            refusal = spec.shape().refusalFor("head", getRuntimeContext().getTaskInfo());
        }
        if (refusal != null) {
            throw new SuppressRestartsException(new IllegalStateException(refusal));
        }
        tlSubtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        tlLastIn = tlLastRelease = tlLastFeedback = Long.MIN_VALUE;
        inputWatermark = restoredInputWatermark;
        emittedWatermark = Long.MIN_VALUE;
        feedbackWatermark = Long.MIN_VALUE;
        currentTimestamp = Long.MIN_VALUE;
        outputRecord = new StreamRecord<>(null);
        unapplied = new ArrayDeque<>();
        sentinelTimeoutMillis =
                getContainingTask()
                        .getEnvironment()
                        .getJobConfiguration()
                        .get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)
                        .toMillis();

        TypeSerializer<IN> inputSerializer =
                (TypeSerializer<IN>) config.getTypeSerializerIn(0, getUserCodeClassloader());
        deferredInputs = new ListStateDescriptor<>(DEFERRED_INPUTS_STATE, inputSerializer);
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);

        channelKey =
                new FeedbackChannelKey(
                        getRuntimeContext().getJobInfo().getJobId().toString(),
                        spec.loopId(),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        getRuntimeContext().getTaskInfo().getAttemptNumber());
        channel = FeedbackChannelBroker.get().acquire(channelKey);
        getMetricGroup().gauge("feedbackQueuePeakLength", channel::peakLength);

        onOpen();
        replayLog();
        advanceOutputWatermark();
        channel.connectConsumer(this::scheduleDrain);
    }

    private void replayLog() throws Exception {
        if (restoredRecords.isEmpty() && restoredMarker == Long.MIN_VALUE) {
            restoredRecords = null;
            return;
        }
        replaying = true;
        try {
            for (RestoredRecord<T> restored : restoredRecords) {
                applyFeedback(restored.record(), restored.timestamp());
                replayedRecords++;
            }
            // All logged data first, then the marker: a marker must follow the records of its
            // batches, while records of later batches may come before it (they do in normal runs).
            if (restoredMarker != Long.MIN_VALUE) {
                advanceFeedbackWatermark(restoredMarker);
            }
        } finally {
            replaying = false;
            restoredRecords = null;
        }
    }

    @Override
    public final void processElement(StreamRecord<IN> element) throws Exception {
        if (!element.hasTimestamp()) {
            throw new IllegalArgumentException(
                    "A record reached feedback loop '"
                            + spec.loopId()
                            + "' without a timestamp; the loop needs the batch index as the Flink"
                            + " timestamp: assign timestamps and watermarks before the loop.");
        }
        long batch = checkBatch(element.getTimestamp());
        if (BatchTimeline.ON && batch > tlLastIn) {
            tlLastIn = batch;
            BatchTimeline.mark("in_first", tlSubtask, batch);
            if (isBatchOpen(batch)) {
                BatchTimeline.mark("open_direct", tlSubtask, batch);
            }
        }
        if (isBatchOpen(batch)) {
            currentTimestamp = batch;
            processInput(element.getValue(), batch);
        } else {
            if (heapDeferredCount < MAX_HEAP_DEFERRED) {
                heapDeferred
                        .computeIfAbsent(batch, b -> new ArrayList<>())
                        .add(new DeferredInput<>(getCurrentKey(), element.getValue()));
                heapDeferredCount++;
            } else {
                deferToKeyedState(element.getValue(), batch);
            }
            deferredBatches.add(batch);
        }
    }

    /** Under the current key: the input waits in keyed state until the timer of its batch releases it. */
    private void deferToKeyedState(IN input, long batch) throws Exception {
        getPartitionedState(batch, LongSerializer.INSTANCE, deferredInputs).add(input);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 2 * batch - 1);
    }

    /**
     * Runs the heap-deferred inputs of the batches the feedback watermark opened, after the timers fired: those of
     * batch k after every end of batch k - 1 and after the inputs of k that waited in keyed state. No earlier batch
     * can wait on the heap: the head holds its output watermark below its oldest waiting batch, so a marker never
     * passes a batch with waiting inputs.
     */
    private void releaseHeapDeferred() throws Exception {
        while (!heapDeferred.isEmpty() && isBatchOpen(heapDeferred.firstKey())) {
            Map.Entry<Long, List<DeferredInput<IN>>> entry = heapDeferred.pollFirstEntry();
            long batch = entry.getKey();
            heapDeferredCount -= entry.getValue().size();
            if (BatchTimeline.ON && batch > tlLastRelease) {
                tlLastRelease = batch;
                BatchTimeline.mark("release", tlSubtask, batch);
            }
            for (DeferredInput<IN> waiting : entry.getValue()) {
                setCurrentKey(waiting.key());
                currentTimestamp = batch;
                processInput(waiting.input(), batch);
            }
        }
    }

    /** Moves the heap-deferred inputs into keyed state, with their timers, for a checkpoint. */
    private void spillHeapDeferred() throws Exception {
        for (Map.Entry<Long, List<DeferredInput<IN>>> entry : heapDeferred.entrySet()) {
            for (DeferredInput<IN> waiting : entry.getValue()) {
                setCurrentKey(waiting.key());
                deferToKeyedState(waiting.input(), entry.getKey());
            }
        }
        heapDeferred.clear();
        heapDeferredCount = 0;
    }

    private long checkBatch(long batch) {
        if (batch < -MAX_BATCH || batch > MAX_BATCH) {
            throw new IllegalArgumentException(
                    "Batch index "
                            + batch
                            + " in feedback loop '"
                            + spec.loopId()
                            + "' is outside +-2^61; timestamps entering the loop must be batch"
                            + " indices, not epoch times.");
        }
        return batch;
    }

    /** The timer-axis time up to which marker {@code watermark} lets timers fire. */
    private static long timerWatermark(long watermark) {
        if (watermark >= MAX_BATCH) {
            return Long.MAX_VALUE;
        }
        if (watermark <= -MAX_BATCH) {
            return Long.MIN_VALUE;
        }
        return 2 * watermark + 1;
    }

    private boolean isBatchOpen(long batch) {
        return feedbackWatermark == Long.MAX_VALUE || batch <= feedbackWatermark + 1;
    }

    @Override
    public final void processWatermark(Watermark mark) throws Exception {
        // Timers do not follow the input watermark: they follow the feedback markers.
        if (BatchTimeline.ON && mark.getTimestamp() > inputWatermark) {
            BatchTimeline.mark("in_wm", tlSubtask, mark.getTimestamp());
        }
        inputWatermark = Math.max(inputWatermark, mark.getTimestamp());
        advanceOutputWatermark();
    }

    @Override
    public final void endInput() throws Exception {
        // No more input: the final watermark goes round the loop as the END marker.
        inputWatermark = Long.MAX_VALUE;
        advanceOutputWatermark();
    }

    @Override
    public final void finish() throws Exception {
        // Never wait for EndOfData: yield to the mailbox (which runs the drains) until END.
        while (!endOfFeedback) {
            mailbox.yield();
        }
        super.finish();
    }

    private void advanceOutputWatermark() {
        long hold = deferredBatches.isEmpty() ? Long.MAX_VALUE : deferredBatches.first() - 1;
        long watermark = Math.min(inputWatermark, hold);
        if (watermark > emittedWatermark) {
            emittedWatermark = watermark;
            BatchTimeline.mark("out_wm", tlSubtask, watermark);
            output.emitWatermark(new Watermark(watermark));
        }
    }

    // ---------------------------------------------------------------------------------------
    //  The queue
    // ---------------------------------------------------------------------------------------

    private void scheduleDrain() {
        try {
            mailbox.execute(this::drain, "feedback loop %s drain", spec.loopId());
        } catch (RejectedExecutionException closing) {
            // The task is shutting down; what is still queued is covered by the last checkpoint.
            LOG.debug("Feedback drain rejected while the task closes", closing);
        }
    }

    private void drain() throws Exception {
        channel.beginDrain();
        applyingLogged = true;
        try {
            while (!unapplied.isEmpty()) {
                apply(unapplied.pollFirst());
            }
        } finally {
            applyingLogged = false;
        }
        for (int i = 0; i < MAX_ELEMENTS_PER_DRAIN; i++) {
            FeedbackElement<T> element = channel.poll();
            if (element == null) {
                return;
            }
            apply(element);
        }
        if (!channel.isEmpty()) {
            scheduleDrain();
        }
    }

    private void apply(FeedbackElement<T> element) throws Exception {
        switch (element.kind()) {
            case RECORD -> applyFeedback(element.record(), element.timestamp());
            case MARKER -> advanceFeedbackWatermark(element.watermark());
            case SENTINEL, ABORT -> {
                // Only a snapshot waits for these; one arriving here belongs to a checkpoint
                // this head did not take (declined or aborted before its barrier came).
            }
        }
    }

    private int ownedKeyGroup(Object key) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
        if (!keyGroupRange.contains(keyGroup)) {
            throw new IllegalStateException(
                    "Feedback record for key "
                            + key
                            + " (key group "
                            + keyGroup
                            + ") reached head subtask "
                            + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()
                            + " of loop '"
                            + spec.loopId()
                            + "', which owns key groups "
                            + keyGroupRange
                            + ": head and tail must have the same parallelism, max parallelism"
                            + " and key function, and the input must be keyed like the feedback.");
        }
        return keyGroup;
    }

    private void applyFeedback(T record, long timestamp) throws Exception {
        if (BatchTimeline.ON && timestamp > tlLastFeedback) {
            tlLastFeedback = timestamp;
            BatchTimeline.mark("fb_first", tlSubtask, timestamp);
        }
        Object key = feedbackKeys.getKey(record);
        ownedKeyGroup(key);
        setCurrentKey(key);
        currentTimestamp = timestamp;
        processFeedback(record);
    }

    private void advanceFeedbackWatermark(long watermark) throws Exception {
        if (watermark <= feedbackWatermark) {
            return; // markers are idempotent: replays and restarts may repeat them
        }
        feedbackWatermark = watermark;
        BatchTimeline.mark("marker", tlSubtask, watermark);
        // Fires, in time order: batch ends up to the marker, then the waiting inputs of the
        // batch after it (see MAX_BATCH).
        timeServiceManager.advanceWatermark(new Watermark(timerWatermark(watermark)));
        releaseHeapDeferred();
        while (!deferredBatches.isEmpty() && isBatchOpen(deferredBatches.first())) {
            deferredBatches.pollFirst();
        }
        onFeedbackWatermark(watermark);
        BatchTimeline.mark("marker_done", tlSubtask, watermark);
        if (watermark == Long.MAX_VALUE) {
            endOfFeedback = true;
        }
        advanceOutputWatermark();
    }

    @Override
    public final void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        long time = timer.getTimestamp();
        if ((time & 1) == 0) {
            currentTimestamp = time / 2;
            onBatchEnd(time / 2);
        } else {
            releaseDeferred((time + 1) / 2);
        }
    }

    @Override
    public final void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
        // The head registers event-time timers only.
    }

    private void releaseDeferred(long batch) throws Exception {
        if (BatchTimeline.ON && batch > tlLastRelease) {
            tlLastRelease = batch;
            BatchTimeline.mark("release", tlSubtask, batch);
        }
        ListState<IN> state = getPartitionedState(batch, LongSerializer.INSTANCE, deferredInputs);
        List<IN> inputs = new ArrayList<>();
        for (IN input : state.get()) {
            inputs.add(input);
        }
        state.clear();
        currentTimestamp = batch;
        for (IN input : inputs) {
            processInput(input, batch);
        }
    }

    // ---------------------------------------------------------------------------------------
    //  Checkpoints
    // ---------------------------------------------------------------------------------------

    @Override
    public final void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long checkpointId = context.getCheckpointId();
        BatchTimeline.mark("snap_start", tlSubtask, checkpointId);
        onSnapshot(checkpointId);
        spillHeapDeferred();
        InFlightFeedbackLog<T> log = new InFlightFeedbackLog<>(feedbackSerializer);
        // Taken in an earlier snapshot and still unapplied: still in flight for this one.
        for (FeedbackElement<T> element : unapplied) {
            addToLog(log, element);
        }
        try {
            takeUntilSentinel(checkpointId, log);
        } finally {
            if (!unapplied.isEmpty()) {
                scheduleDrain(); // applies them after Flink has snapshotted the keyed state
            }
        }
        BatchTimeline.mark("sentinel", tlSubtask, checkpointId);
        log.writeTo(context.getRawKeyedOperatorStateOutput(), keyGroupRange);
        deferredBatchesState.update(new ArrayList<>(deferredBatches));
        inputWatermarkState.update(List.of(inputWatermark));
        lastCommittedCheckpointId = checkpointId;
        lastCommittedLogRecords = log.recordCount();
        BatchTimeline.mark("snap_end", tlSubtask, checkpointId);
        LOG.debug(
                "Feedback loop {}: checkpoint {} logged {} in-flight records.",
                spec.loopId(),
                checkpointId,
                log.recordCount());
    }

    /**
     * Takes queue elements into the log (and the unapplied list) up to the sentinel of {@code
     * checkpointId}, or up to the tail's notice that the checkpoint was aborted (its incomplete
     * snapshot is then discarded by Flink). Waiting here cannot deadlock: this head's barrier is
     * already downstream and every other head sends its barrier before its own snapshot, so the
     * tail will align.
     */
    private void takeUntilSentinel(long checkpointId, InFlightFeedbackLog<T> log) throws Exception {
        long deadline = System.currentTimeMillis() + sentinelTimeoutMillis;
        while (true) {
            long remaining = deadline - System.currentTimeMillis();
            FeedbackElement<T> element = remaining > 0 ? channel.poll(remaining) : null;
            if (element == null) {
                throw new IllegalStateException(
                        "Feedback loop '"
                                + spec.loopId()
                                + "': the tail's sentinel of checkpoint "
                                + checkpointId
                                + " did not arrive within the checkpoint timeout; declining it.");
            }
            switch (element.kind()) {
                case RECORD, MARKER -> {
                    addToLog(log, element);
                    unapplied.addLast(element);
                }
                case SENTINEL -> {
                    if (element.checkpointId() == checkpointId) {
                        return;
                    }
                    // an older checkpoint's sentinel, one this head never snapshotted: skip
                }
                case ABORT -> {
                    if (element.checkpointId() == checkpointId) {
                        // An aborted checkpoint never completes, so its log is never restored: end the
                        // snapshot here rather than fail the task (a failed sync snapshot restarts the job).
                        LOG.info(
                                "Feedback loop {}: checkpoint {} was aborted before the tail aligned;"
                                        + " its snapshot here is incomplete and will be discarded.",
                                spec.loopId(),
                                checkpointId);
                        return;
                    }
                }
            }
        }
    }

    private void addToLog(InFlightFeedbackLog<T> log, FeedbackElement<T> element) throws Exception {
        if (element.kind() == FeedbackElement.Kind.RECORD) {
            int keyGroup = ownedKeyGroup(feedbackKeys.getKey(element.record()));
            log.addRecord(keyGroup, element.record(), element.timestamp());
        } else if (element.kind() == FeedbackElement.Kind.MARKER) {
            log.addMarker(element.watermark());
        }
    }

    /** Subclasses that override this must call {@code super.close()}. */
    @Override
    public void close() throws Exception {
        try {
            if (channel != null) {
                channel.disconnectConsumer();
            }
            if (channelKey != null) {
                FeedbackChannelBroker.get().release(channelKey);
                channelKey = null;
            }
        } finally {
            super.close();
        }
    }

    // Package-private views for the tests of this package.

    long replayedRecords() {
        return replayedRecords;
    }

    long lastCommittedCheckpointId() {
        return lastCommittedCheckpointId;
    }

    long lastCommittedLogRecords() {
        return lastCommittedLogRecords;
    }

    /** True while records logged by a checkpoint that may still be in flight are applied. */
    boolean isApplyingLoggedRecords() {
        return applyingLogged;
    }

    private record RestoredRecord<T>(T record, long timestamp) {}

    private record DeferredInput<IN>(Object key, IN input) {}
}
