package io.tgstream.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.ModelParts;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The job refuses, before anything runs, a model whose parts the node state cannot carry yet (dictionaries). */
class StreamJobModelCheckTest {
    @Test
    void aModelWithDictionariesIsRefusedWithAMessage(@TempDir Path dir) throws Exception {
        MemoryModelConfig config = MemoryModelConfig.defaults(0, 10.0);
        MemoryModel model = new MemoryModel(config, ModelParts.withDictionaries(true, config.memoryDim(), 0),
                DataType.FLOAT);
        Path file = dir.resolve("nat.tgm");
        MemoryModelFile.save(model, file);
        JobConfig c = JobConfig.of("localhost:9", "in", "out", file.toString());
        assertThatThrownBy(() -> StreamJob.build(StreamExecutionEnvironment.getExecutionEnvironment(), c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory+dictionaries").hasMessageContaining("without --dictionaries");
    }
}
