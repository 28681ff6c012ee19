package io.tgstream.operators.feedback;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Collects the toy job's outputs by (node, batch) across restarts: a record emitted again after a
 * restore must carry the same value, otherwise it is a conflict (a lost or doubled feedback
 * record changed it). Together with comparing the final map to {@link ToyModel} this checks
 * every output record of a run that failed and recovered.
 */
final class ResultStore {

    private static final Map<String, Map<String, Long>> RESULTS = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> CONFLICTS = new ConcurrentHashMap<>();

    private ResultStore() {}

    static void clear(String run) {
        RESULTS.put(run, new ConcurrentHashMap<>());
        CONFLICTS.put(run, new CopyOnWriteArrayList<>());
    }

    static Map<String, Long> results(String run) {
        return RESULTS.get(run);
    }

    static List<String> conflicts(String run) {
        return CONFLICTS.get(run);
    }

    static Sink<ToyRecords.Result> sink(String run) {
        return new StoreSink(run);
    }

    private static final class StoreSink implements Sink<ToyRecords.Result> {
        private static final long serialVersionUID = 1L;
        private final String run;

        StoreSink(String run) {
            this.run = run;
        }

        @Override
        public SinkWriter<ToyRecords.Result> createWriter(WriterInitContext context) {
            Map<String, Long> results = RESULTS.get(run);
            List<String> conflicts = CONFLICTS.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(ToyRecords.Result r, Context context) {
                    Long before = results.putIfAbsent(r.key(), r.value);
                    if (before != null && before != r.value) {
                        conflicts.add(r.key() + ": " + before + " then " + r.value);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
