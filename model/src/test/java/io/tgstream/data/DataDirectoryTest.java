package io.tgstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @BeforeAll
    static void tmp() throws IOException {
        TestFixtures.ensureTmpDir();
    }

    @Test
    void optionBeatsEnvironmentBeatsProperty(@TempDir Path tmp) {
        Path opt = tmp.resolve("opt");
        Map<String, String> env = Map.of(DataDirectory.ENV, tmp.resolve("env").toString());
        assertThat(DataDirectory.resolve(opt, env, "/prop", null, tmp).candidates()).containsExactly(opt);
        assertThat(DataDirectory.resolve(null, env, "/prop", null, tmp).candidates()).containsExactly(tmp.resolve("env"));
        assertThat(DataDirectory.resolve(null, Map.of(), "/prop", null, tmp).candidates()).containsExactly(Path.of("/prop"));
        assertThat(DataDirectory.resolve(null, Map.of(), null, null, tmp).candidates())
                .containsExactly(tmp.resolve("data"), tmp.resolve("../shared/data").normalize());
    }

    @Test
    void defaultSearchTakesTheFirstDirectoryHoldingTheFile(@TempDir Path tmp) throws IOException {
        Path cwd = tmp.resolve("repo");
        Path shared = tmp.resolve("shared/data/enron");
        Files.createDirectories(shared);
        Files.writeString(shared.resolve("ml_enron.csv"), ",u,i,ts,label,idx\n0,1,2,0.0,0,1\n");
        Files.createDirectories(cwd.resolve("data/uci"));
        Files.writeString(cwd.resolve("data/uci/ml_uci.csv"), ",u,i,ts,label,idx\n0,1,2,0,0,1\n");
        DataDirectory dir = DataDirectory.resolve(null, Map.of(), null, null, cwd);
        assertThat(dir.find(NamedDataset.UCI)).contains(cwd.resolve("data/uci/ml_uci.csv"));
        assertThat(dir.find(NamedDataset.ENRON)).contains(shared.resolve("ml_enron.csv"));
        assertThat(dir.find(NamedDataset.WIKIPEDIA)).isEmpty();
    }

    @Test
    void missingDataSetSaysWhereItLookedAndWhereTheFileComesFrom(@TempDir Path tmp) {
        DataDirectory dir = DataDirectory.resolve(tmp, Map.of(), null, null, tmp);
        assertThatThrownBy(() -> dir.require(NamedDataset.WIKIPEDIA))
                .isInstanceOf(DatasetLookupException.class)
                .hasMessageContaining(tmp.resolve("wikipedia/wikipedia.csv").toString())
                .hasMessageContaining("--data-dir")
                .hasMessageContaining("snap.stanford.edu/jodie");
    }
}
