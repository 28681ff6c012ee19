package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.modelfile.ModelFile;
import io.tgstream.modelfile.ModelHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The model file records the part switches; a file without them (part 1's) loads as the memory-only model. */
class MemoryModelFileTest {
    @TempDir
    Path dir;

    @Test
    void partsSurviveTheRoundTripAndScoresAreEqual() throws Exception {
        EdgeStream stream = SmallStreams.random(60, 8, 2, 5);
        for (boolean memory : new boolean[] {true, false}) {
            MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, true),
                    SmallStreams.tinyParts(memory), DataType.FLOAT);
            Path file = dir.resolve("m-" + memory + ".tgm");
            MemoryModelFile.save(model, file);
            MemoryModel loaded = MemoryModelFile.load(file);
            assertThat(loaded.parts()).isEqualTo(model.parts());
            assertThat(loaded.config()).isEqualTo(model.config());
            MemoryReplay a = new MemoryReplay(model, stream);
            MemoryReplay b = new MemoryReplay(loaded, stream);
            a.apply(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            b.apply(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            int[] src = {stream.src(10), stream.src(11)};
            int[] dst = {stream.dst(10), stream.dst(11)};
            long[] t = {stream.timestamp(10), stream.timestamp(11)};
            assertThat(b.score(src, dst, t)).containsExactly(a.score(src, dst, t));
        }
    }

    @Test
    void aFileWithoutPartKeysIsMemoryOnly() throws Exception {
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false),
                DataType.FLOAT);
        // written as part 1 wrote it: the memory config and the family, nothing else
        Map<String, String> header = new LinkedHashMap<>(model.config().toMap());
        header.put(MemoryModelFile.MODEL_KEY, MemoryModelFile.MODEL_NAME);
        Path file = dir.resolve("old.tgm");
        ModelFile.write(file, new ModelHeader(header, model.config().seed(), MemoryModelFile.HASH_SEED),
                model.parameters());
        MemoryModel loaded = MemoryModelFile.load(file);
        assertThat(loaded.parts()).isEqualTo(ModelParts.MEMORY_ONLY);
        assertThat(loaded.pairScorer()).isNull();
        // and a memory-only model is still written without the new keys
        Path again = dir.resolve("again.tgm");
        MemoryModelFile.save(loaded, again);
        assertThat(ModelFile.read(again).header().config()).isEqualTo(header);
        assertThat(Files.size(again)).isEqualTo(Files.size(file));
    }

    @Test
    void aLearnedPresGammaSurvivesTheRoundTrip() throws Exception {
        EdgeStream stream = SmallStreams.random(60, 8, 2, 5);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, true)
                .withPresGammaLearnable(true), DataType.FLOAT);
        model.parameters().get("memory.pres.gamma").value().putScalar(0, 0.25);
        Path file = dir.resolve("gamma.tgm");
        MemoryModelFile.save(model, file);
        assertThat(ModelFile.read(file).header().config()).containsEntry("pres_gamma_learnable", "true");
        MemoryModel loaded = MemoryModelFile.load(file);
        assertThat(loaded.config().presGammaLearnable()).isTrue();
        assertThat(loaded.presGamma()).isEqualTo(0.25);
        MemoryReplay a = new MemoryReplay(model, stream);
        MemoryReplay b = new MemoryReplay(loaded, stream);
        for (int k = 0; k < 3; k++) {
            int[] batch = {10 * k, 10 * k + 1, 10 * k + 2, 10 * k + 3, 10 * k + 4};
            a.apply(batch);
            b.apply(batch);
        }
        int[] src = {stream.src(40), stream.src(41)};
        int[] dst = {stream.dst(40), stream.dst(41)};
        long[] t = {stream.timestamp(40), stream.timestamp(41)};
        assertThat(b.score(src, dst, t)).containsExactly(a.score(src, dst, t));
        // a constant-gamma model's header has no such key, as before the option existed
        MemoryModel constant = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, true),
                DataType.FLOAT);
        Path other = dir.resolve("constant.tgm");
        MemoryModelFile.save(constant, other);
        assertThat(ModelFile.read(other).header().config()).doesNotContainKey("pres_gamma_learnable");
        assertThat(MemoryModelFile.load(other).config().presGammaLearnable()).isFalse();
    }
}
