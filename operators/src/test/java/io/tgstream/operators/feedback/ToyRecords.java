package io.tgstream.operators.feedback;

/** The records of the toy loop job used to test the feedback loop (Flink POJOs). */
final class ToyRecords {

    private ToyRecords() {}

    /** Input: an interaction of node {@code src} with node {@code dst} in batch {@code batch}. */
    public static final class Edge {
        public long seq;
        public long batch;
        public long src;
        public long dst;

        public Edge() {}

        Edge(long seq, long batch, long src, long dst) {
            this.seq = seq;
            this.batch = batch;
            this.src = src;
            this.dst = dst;
        }
    }

    /** Feedback: an amount that {@code target} adds to its value when {@code batch} ends. */
    public static final class Message {
        public long target;
        public long batch;
        public long amount;

        public Message() {}

        Message(long target, long batch, long amount) {
            this.target = target;
            this.batch = batch;
            this.amount = amount;
        }
    }

    /** Output: the value of {@code node} after batch {@code batch}. */
    public static final class Result {
        public long node;
        public long batch;
        public long value;

        public Result() {}

        Result(long node, long batch, long value) {
            this.node = node;
            this.batch = batch;
            this.value = value;
        }

        String key() {
            return node + "@" + batch;
        }
    }
}
