package io.tgstream.data;

import static io.tgstream.data.TestFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeListReaderTest {

    @BeforeAll
    static void tmp() throws IOException {
        TestFixtures.ensureTmpDir();
    }

    private static EdgeListFormat byName(String s, String d, String t) {
        return EdgeListFormat.of(ColumnRef.parse(s), ColumnRef.parse(d), ColumnRef.parse(t));
    }

    @Test
    void readsCrlfFileWithUnnamedIndexColumnAndDecimalTimestamps() throws IOException {
        Path f = fixture("ml_crlf.csv");
        assertThat(Files.readString(f)).contains("\r\n"); // the fixture really has CRLF endings
        LoadedEdges le = new EdgeListReader(byName("u", "i", "ts").withLabel(ColumnRef.named("label")), false)
                .read(f, "crlf");
        EdgeStream s = le.stream();
        assertThat(s.size()).isEqualTo(3);
        // ids are the u/i columns, not the unnamed index column, and carry no '\r'
        assertThat(s.nodeId(s.src(0))).isEqualTo("1");
        assertThat(s.nodeId(s.dst(0))).isEqualTo("2");
        assertThat(s.nodeId(s.dst(2))).isEqualTo("4");
        assertThat(s.timestamp(2)).isEqualTo(10L); // written as "10.0"
        assertThat(s.label(2)).isEqualTo(1);
        assertThat(le.skippedRows()).isZero();
    }

    @Test
    void sameFileByColumnIndexGivesSameStream() {
        Path f = fixture("ml_crlf.csv");
        EdgeStream named = new EdgeListReader(byName("u", "i", "ts"), false).read(f, "x").stream();
        EdgeStream indexed = new EdgeListReader(byName("1", "2", "3"), false).read(f, "x").stream();
        assertThat(indexed.size()).isEqualTo(named.size());
        for (int e = 0; e < named.size(); e++) {
            assertThat(indexed.event(e)).isEqualTo(named.event(e));
        }
    }

    @Test
    void sortsUnsortedRowsStablyAndDetectsTabs() {
        EdgeListFormat fmt = byName("0", "1", "3").withFeatures(List.of(ColumnRef.at(2))).withSign(ColumnRef.at(2));
        EdgeStream s = new EdgeListReader(fmt, false).read(fixture("unsorted.tsv"), "u").stream();
        // file rows: (5,6,-3,300) (7,5,2,100) (6,7,4,300) (5,7,-1,100); time ties keep file order
        assertThat(s.size()).isEqualTo(4);
        String[] expected = {"7>5@100", "5>7@100", "5>6@300", "6>7@300"};
        for (int e = 0; e < 4; e++) {
            assertThat(s.nodeId(s.src(e)) + ">" + s.nodeId(s.dst(e)) + "@" + s.timestamp(e)).isEqualTo(expected[e]);
        }
        assertThat(s.feature(1, 0)).isEqualTo(-1f);
        assertThat(s.sign(1)).isEqualTo(-1);
        assertThat(s.sign(0)).isEqualTo(1);
        assertThat(s.sign(2)).isEqualTo(-1);
        // header auto-detected: "time" is not a number
        assertThat(s.nodeId(0)).isEqualTo("7");
    }

    @Test
    void detectsWhitespaceDelimiterSkipsCommentsAndBlankLinesWithoutHeader() {
        EdgeStream s = new EdgeListReader(byName("0", "1", "2"), false).read(fixture("spaces.txt"), "sp").stream();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.nodeId(s.src(1))).isEqualTo("2");
        assertThat(s.nodeId(s.dst(1))).isEqualTo("3");
        assertThat(s.timestamp(2)).isEqualTo(7L);
    }

    @Test
    void delimiterDetectionPrefersTabThenComma() {
        assertThat(EdgeListReader.detectDelimiter("a\tb,c")).isEqualTo('\t');
        assertThat(EdgeListReader.detectDelimiter("a,b c")).isEqualTo(',');
        assertThat(EdgeListReader.detectDelimiter("a b  c")).isEqualTo(EdgeListFormat.WHITESPACE);
    }

    @Test
    void badRowStopsWithFileLineAndReason() {
        Path f = fixture("bad_rows.csv");
        assertThatThrownBy(() -> new EdgeListReader(byName("src", "dst", "ts"), false).read(f, "bad"))
                .isInstanceOfSatisfying(BadEdgeFileException.class, e -> {
                    assertThat(e.file()).isEqualTo(f);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).contains("timestamp 'x'").contains("--skip-bad");
                    assertThat(e.getMessage()).contains("bad_rows.csv").contains("line 3");
                });
    }

    @Test
    void featureProblemsAndShortRowsAreReportedWithTheirLines() {
        Path f = fixture("bad_rows.csv");
        EdgeListFormat fmt = byName("src", "dst", "ts").withFeatures(List.of(ColumnRef.named("w")));
        LoadedEdges le = new EdgeListReader(fmt, true).read(f, "bad");
        assertThat(le.skippedRows()).isEqualTo(4);
        assertThat(le.stream().size()).isEqualTo(2);
        assertThat(le.firstSkipReasons()).hasSize(4);
        assertThat(le.firstSkipReasons().get(0)).startsWith("line 3:");
        assertThat(le.firstSkipReasons().get(1)).startsWith("line 4:").contains("expected at least 4 fields, found 3");
        assertThat(le.firstSkipReasons().get(2)).startsWith("line 5:").contains("not finite");
        assertThat(le.firstSkipReasons().get(3)).startsWith("line 7:").contains("empty source id");
        assertThat(le.stream().feature(1, 0)).isEqualTo(2.5f);
    }

    @Test
    void skipBadWithoutFeaturesStillCountsEveryBadRow() {
        LoadedEdges le = new EdgeListReader(byName("src", "dst", "ts"), true).read(fixture("bad_rows.csv"), "bad");
        // without the feature column, the NaN row (line 5) and the 3-field row (line 4) are fine
        assertThat(le.skippedRows()).isEqualTo(2);
        assertThat(le.stream().size()).isEqualTo(4);
    }

    @Test
    void unknownColumnNameListsTheHeader() {
        assertThatThrownBy(() -> new EdgeListReader(byName("from", "dst", "ts"), false).read(fixture("bad_rows.csv"), "b"))
                .isInstanceOf(BadEdgeFileException.class)
                .hasMessageContaining("no column named 'from'")
                .hasMessageContaining("[src, dst, ts, w]");
    }

    @Test
    void namedColumnsWithoutHeaderIsAUsageError() {
        assertThatThrownBy(() -> byName("a", "b", "c").withHeader(false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0-based column indices");
    }

    @Test
    void missingFileSaysSoAndWhatExists(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("edges.csv"), "1,2,3\n");
        Path f = dir.resolve("edgse.csv");
        assertThatThrownBy(() -> new EdgeListReader(byName("0", "1", "2"), false).read(f, "n"))
                .isInstanceOf(BadEdgeFileException.class).hasMessageContaining("edgse.csv")
                .hasMessageContaining("no such file").hasMessageContaining("files in " + dir + ": edges.csv");
        Path deeper = dir.resolve("nowhere/edges.csv");
        assertThatThrownBy(() -> new EdgeListReader(byName("0", "1", "2"), false).read(deeper, "n"))
                .isInstanceOf(BadEdgeFileException.class).hasMessageContaining("does not exist either");
    }

    @Test
    void fractionalAndNegativeTimestampsAreBad(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "1,2,5\n1,2,5.5\n1,2,-3\n", StandardCharsets.UTF_8);
        LoadedEdges le = new EdgeListReader(byName("0", "1", "2"), true).read(f, "t");
        assertThat(le.skippedRows()).isEqualTo(2);
        assertThat(le.firstSkipReasons()).allMatch(r -> r.contains("whole non-negative number"));
    }

    @Test
    void headerOnlyFileIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, "a,b,c\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new EdgeListReader(byName("0", "1", "2"), false).read(f, "h"))
                .isInstanceOf(BadEdgeFileException.class).hasMessageContaining("no edge rows");
    }
}
