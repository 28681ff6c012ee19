package io.tgstream.cli;

import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.data.NodeKeys;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.nat.CommonNeighbour;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream explain}: replays a data set through a model with neighbour dictionaries up to a time, scores one
 * pair there, and lists the neighbours both ends know, with their hop codes and attention weights, most influential
 * first.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain one pair's score: the common neighbours in its joint neighbourhood, with hop codes and"
                + " attention weights.")
final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "A model trained with 'tgstream train --dictionaries'.")
    Path modelFile;

    @Option(names = "--dataset", paramLabel = "NAME", required = true,
            description = "The named data set to replay: uci, enron, wikipedia, bitcoin-alpha, uslegis.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where named data sets are looked up.")
    Path dataDir;

    @Option(names = "--src", paramLabel = "U", required = true, description = "The source node's id in the data.")
    String src;

    @Option(names = "--dst", paramLabel = "V", required = true, description = "The destination node's id.")
    String dst;

    @Option(names = "--at", paramLabel = "T", required = true,
            description = "The query time: every event before T is replayed first.")
    long at;

    @Option(names = "--batch", paramLabel = "B", description = "Temporal batch size of the replay (default: "
            + TrainingConfig.DEFAULT_BATCH_SIZE + ").")
    Integer batch;

    @Option(names = "--top", paramLabel = "K", defaultValue = "20",
            description = "List at most K common neighbours (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int b = batch == null ? TrainingConfig.DEFAULT_BATCH_SIZE : batch;
        if (b < 1) throw new UserInputException("--batch must be >= 1, got " + b);
        if (top < 1) throw new UserInputException("--top must be >= 1, got " + top);
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        MemoryModel model;
        try {
            model = MemoryModelFile.load(modelFile);
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage());
        }
        if (!model.parts().hasDictionaries()) {
            throw new UserInputException(modelFile + " has no neighbour dictionaries to explain with: train one with"
                    + " 'tgstream train --dictionaries'");
        }
        NamedDataset d;
        try {
            d = NamedDataset.byName(dataset);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        EdgeStream stream = d.load(DataDirectory.resolve(dataDir).require(d), false).stream();
        if (model.config().edgeFeatureDim() != stream.featureDim()) {
            throw new UserInputException(modelFile + " was trained on " + model.config().edgeFeatureDim()
                    + " edge features, " + d.cliName() + " has " + stream.featureDim());
        }
        int u = node(stream, src, "--src");
        int v = node(stream, dst, "--dst");
        MemoryReplay replay = new MemoryReplay(model, stream);
        int end = stream.firstEventAtOrAfter(at);
        for (int from = 0; from < end; from += b) {
            int to = Math.min(end, from + b);
            int[] events = new int[to - from];
            final int first = from;
            Arrays.setAll(events, i -> first + i);
            replay.apply(events);
        }
        err.printf(Locale.ROOT, "tgstream: replayed %,d events of %s before t = %d in batches of %d%n", end,
                d.cliName(), at, b);
        err.flush();
        MemoryReplay.Explanation x = replay.explain(u, v, at);
        out.printf(Locale.ROOT, "pair (%s, %s) at t = %d: score %.4f; joint neighbourhood of %d entries, %d common"
                + " neighbours%n", src, dst, at, x.score(), x.jointEntries(), x.commonNeighbours().size());
        if (x.commonNeighbours().isEmpty()) {
            out.println("no neighbour is known to both ends: the score rests on the two nodes alone");
            return 0;
        }
        out.printf(Locale.ROOT, "%4s  %-20s %5s %5s %5s %8s%n", "rank", "neighbour", "code", "u-hop", "v-hop",
                "weight");
        int rank = 0;
        for (CommonNeighbour c : x.commonNeighbours()) {
            if (++rank > top) break;
            int n = stream.nodeIndexOfKey(c.key());
            String id = n >= 0 ? stream.nodeId(n) : String.format(Locale.ROOT, "key %016x", c.key());
            out.printf(Locale.ROOT, "%4d  %-20s %5d %5d %5d %8.4f%n", rank, id, c.code(), c.uHop(), c.vHop(),
                    c.weight());
        }
        return 0;
    }

    private static int node(EdgeStream stream, String id, String option) {
        int n = stream.nodeIndexOfKey(NodeKeys.of(id));
        if (n < 0) {
            throw new UserInputException(option + " " + id + " is not a node of " + stream.name()
                    + ": give a node id as it appears in the data");
        }
        return n;
    }
}
