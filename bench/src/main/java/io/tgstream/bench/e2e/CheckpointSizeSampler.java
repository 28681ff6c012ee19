package io.tgstream.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The largest completed checkpoint of a run: every {@value #PERIOD_MS} ms, the bytes under each {@code chk-N} folder
 * of the checkpoint directory (full RocksDB snapshots: one folder holds the whole state) are summed; the largest sum
 * is kept. Only folders with a {@code _metadata} file (completed checkpoints) count.
 */
final class CheckpointSizeSampler implements AutoCloseable {
    static final long PERIOD_MS = 200;
    private final Path root;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long largest;

    CheckpointSizeSampler(Path root) {
        this.root = root;
        thread = new Thread(this::loop, "bench-checkpoint-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> all = Files.walk(root, 2)) {
            all.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .forEach(p -> largest = Math.max(largest, size(p)));
        } catch (IOException | UncheckedIOException e) {
            // a checkpoint folder vanished while it was walked (subsumed): the next sample sees the newer one
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        sample();
    }

    long largestBytes() {
        return largest;
    }
}
