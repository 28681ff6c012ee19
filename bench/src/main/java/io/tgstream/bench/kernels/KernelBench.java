package io.tgstream.bench.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.tgstream.bench.BenchEnvironment;
import io.tgstream.bench.ResultsFolderOption;
import io.tgstream.bench.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the JMH kernel benchmarks of this package and writes {@code bench-kernels.json} (JMH's own JSON, wrapped with
 * the machine's load) and {@code bench-kernels.md} (a table) to the results folder.
 */
@Command(name = "bench-kernels", mixinStandardHelpOptions = true,
        description = "JMH benchmarks of the model kernels and the node record serializer.")
public final class KernelBench implements Callable<Integer> {
    /** The result files' name (without extension). */
    public static final String RESULT_NAME = "bench-kernels";

    @Option(names = "--include", description = "Regex of benchmarks to run (default: all of this package).")
    String include = KernelBench.class.getPackageName() + ".*";

    @Option(names = "--forks", description = "JMH forks per benchmark (default: ${DEFAULT-VALUE}; 0 = in this JVM).")
    int forks = 1;

    @Option(names = "--warmup", description = "Warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--iterations", description = "Measured iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 5;

    @Option(names = "--seconds", description = "Seconds per iteration (default: ${DEFAULT-VALUE}).")
    double seconds = 1;

    @Option(names = "--batch", split = ",", description = "Batch sizes B (default: 200,2000).")
    String[] batch = {"200", "2000"};

    @CommandLine.Mixin
    ResultsFolderOption results;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new KernelBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = results.folder();
        Files.createDirectories(dir);
        Path raw = Files.createTempFile("jmh-", ".json");
        Map<String, Object> before = BenchEnvironment.describe();
        TimeValue iteration = TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1000)));
        ChainedOptionsBuilder o = new OptionsBuilder().include(include).forks(forks)
                .warmupIterations(warmup).warmupTime(iteration)
                .measurementIterations(iterations).measurementTime(iteration)
                .param("batch", batch)
                .jvmArgsAppend(forkJvmArgs())
                .resultFormat(ResultFormatType.JSON).result(raw.toString());
        new Runner(o.build()).run();
        JsonNode results = ResultFiles.json().readTree(raw.toFile());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", BenchEnvironment.command(KernelBench.class,
                spec.commandLine().getParseResult().originalArgs()));
        json.put("environmentAtStart", before);
        json.put("uptimeAtEnd", BenchEnvironment.uptime());
        json.put("jmh", results);
        Path written = ResultFiles.write(dir, RESULT_NAME, json,
                JmhMarkdown.table(results, before.get("uptime").toString(), BenchEnvironment.uptime()));
        Files.deleteIfExists(raw);
        System.out.println("wrote " + written + " and " + RESULT_NAME + ".md");
        return 0;
    }

    /** The forked JVMs get this JVM's temp and native-library folders (STACK.md trap 3) and heap. */
    private static String[] forkJvmArgs() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Djava.io.tmpdir") || a.startsWith("-Dorg.bytedeco")
                        || a.startsWith("-Xmx") || a.startsWith("-XX:+Use"))
                .toArray(String[]::new);
    }
}
