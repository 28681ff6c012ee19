package io.tgstream.operators.debug;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Debug only: the wall-clock timeline of each batch through the job (sequenced, watermark at each head, halves out,
 * marker back, closed), written to the file named by the system property {@code tgstream.batch.timeline} at JVM exit.
 * Off (one static check per call) unless that property is set.
 */
public final class BatchTimeline {
    /** Whether the timeline is recorded in this JVM. */
    public static final boolean ON = System.getProperty("tgstream.batch.timeline") != null;
    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    static {
        if (ON) {
            Path file = Path.of(System.getProperty("tgstream.batch.timeline"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
                    LINES.forEach(w::println);
                } catch (IOException e) {
                    e.printStackTrace();
                }
            }));
        }
    }

    private BatchTimeline() {}

    /** Records {@code what} happened now at {@code subtask} for {@code batch} (or a checkpoint id). */
    public static void mark(String what, int subtask, long batch) {
        if (ON) {
            LINES.add(System.nanoTime() + " " + what + " " + subtask + " " + batch);
        }
    }
}
