package io.tgstream.cli;

import io.tgstream.eval.NegativeKind;
import io.tgstream.jobs.replay.ReplayOutcome;
import io.tgstream.report.ReplayReport;
import io.tgstream.report.ReplayReportData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the HTML report of one stream replay (scores of the rnd negatives, throughput, latency). */
final class ReplayReportWriter {
    private ReplayReportWriter() {}

    /** Writes {@code html}; a failure to write is reported, not fatal: the table has been printed already. */
    static Path write(Path html, String title, String dataset, int batchSize, int parallelism, ReplayOutcome o) {
        ReplayReportData.Builder b = ReplayReportData.builder(title)
                .fact("data set", dataset)
                .fact("setting", o.plan().setting().cliName())
                .fact("batch size B", Integer.toString(batchSize))
                .fact("parallelism", Integer.toString(parallelism))
                .fact("records (edges + probes)", String.format(Locale.ROOT, "%,d", o.records()))
                .fact("records/s end to end", String.format(Locale.ROOT, "%,.0f", o.recordsPerSecond()))
                .fact("negatives shown", NegativeKind.RND.cliName())
                .fact("batches shown", "validation and test (the table's AP is the test split's)");
        for (float[][] pn : o.plan().batchScores(NegativeKind.RND, o)) {
            b.batch(pn[0], pn[1]);
        }
        b.scores(o.seenSeconds(), o.latenciesMillis());
        try {
            ReplayReport.write(html, b.build());
            return html;
        } catch (IOException e) {
            throw new UserInputException("cannot write the report " + html + ": " + e.getMessage());
        }
    }
}
