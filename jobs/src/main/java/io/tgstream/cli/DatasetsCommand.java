package io.tgstream.cli;

import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.LoadedEdges;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalSetting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tgstream datasets}: lists the named data sets and where each was found; {@code describe} details one. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the named data sets (events, nodes, time span, features, where found).",
        subcommands = DatasetsCommand.Describe.class)
final class DatasetsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where named data sets are looked up.")
    Path dataDir;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        DataDirectory dir = DataDirectory.resolve(dataDir);
        out.printf(Locale.ROOT, "%-14s %9s %7s  %-50s %8s  %s%n", "name", "events", "nodes", "time span", "features",
                "where");
        for (NamedDataset d : NamedDataset.values()) {
            Optional<Path> f = dir.find(d);
            if (f.isEmpty()) {
                out.printf(Locale.ROOT, "%-14s %9s %7s  %-50s %8s  missing: %s%n", d.cliName(), "-", "-", "-", "-",
                        d.origin());
                continue;
            }
            EdgeStream s = d.load(f.get(), false).stream();
            out.printf(Locale.ROOT, "%-14s %,9d %,7d  %-50s %8d  %s%n", d.cliName(), s.size(), s.nodeCount(),
                    TimeSpan.format(s.firstTimestamp(), s.lastTimestamp(), s.timeUnit()), s.featureDim(), f.get());
        }
        out.println("Looked in: " + dir.candidates() + " (from " + dir.configuredBy() + ")");
        out.flush();
    }

    /** {@code tgstream datasets describe NAME} (or {@code --data FILE ...}): the stream and its evaluation split. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe one data set: size, time, features, labels, signs and its DyGLib split.")
    static final class Describe implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A named data set.")
        String name;

        @CommandLine.Mixin
        DataSourceOptions source;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DataSourceOptions o = source;
            if (name != null) {
                if (o.dataset != null && !o.dataset.equals(name)) {
                    throw new UserInputException("give the data set once: as NAME or as --dataset");
                }
                o.dataset = name;
            }
            LoadedEdges le = o.load(err);
            EdgeStream s = le.stream();
            out.println("data set:     " + o.sourceName());
            out.println("file:         " + le.file().toAbsolutePath());
            if (o.dataset != null) out.println("origin:       " + NamedDataset.byName(o.dataset).origin());
            out.printf(Locale.ROOT, "events:       %,d%s%n", s.size(),
                    le.skippedRows() > 0 ? " (" + le.skippedRows() + " bad rows skipped)" : "");
            out.printf(Locale.ROOT, "nodes:        %,d%n", s.nodeCount());
            Set<Long> pairs = new HashSet<>();
            int selfLoops = 0;
            int labelled = 0;
            int negative = 0;
            for (int e = 0; e < s.size(); e++) {
                pairs.add(((long) s.src(e) << 32) | s.dst(e));
                if (s.src(e) == s.dst(e)) selfLoops++;
                if (s.label(e) != 0) labelled++;
                if (s.sign(e) < 0) negative++;
            }
            out.printf(Locale.ROOT, "unique pairs: %,d (self-loops: %,d events)%n", pairs.size(), selfLoops);
            out.println("time span:    " + TimeSpan.format(s.firstTimestamp(), s.lastTimestamp(), s.timeUnit()));
            out.println("features:     " + s.featureDim());
            out.printf(Locale.ROOT, "labels != 0:  %,d events%n", labelled);
            out.printf(Locale.ROOT, "sign -1:      %,d events%n", negative);
            ChronologicalSplit split = ChronologicalSplit.of(s);
            int val = split.firstTestEvent() - split.firstValidationEvent();
            int test = s.size() - split.firstTestEvent();
            out.printf(Locale.ROOT, "split:        train t <= %.1f: %,d events (%,d kept after masking %,d nodes);"
                            + " validation: %,d; test t > %.1f: %,d%n",
                    split.validationTime(), split.firstValidationEvent(), split.observedTrainingEvents(),
                    split.maskedNodeCount(), val, split.testTime(), test);
            out.printf(Locale.ROOT, "new-node:     validation %,d events, test %,d events%n",
                    split.scoredEvents(false, EvalSetting.INDUCTIVE).length,
                    split.scoredEvents(true, EvalSetting.INDUCTIVE).length);
            out.flush();
        }
    }
}
