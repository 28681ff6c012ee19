package io.tgstream.model;

import io.tgstream.modelfile.ModelFile;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.modelfile.ModelHeader;
import io.tgstream.modelfile.StoredModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Saves a {@link MemoryModel} to a tgstream model file and rebuilds it from one (config first, then the weights). The
 * header records the {@link ModelParts} switches; a file without them (part 1's) loads as the memory-only model.
 */
public final class MemoryModelFile {
    /** The header key that says which model family wrote the file. */
    public static final String MODEL_KEY = "model";
    public static final String MODEL_NAME = "memory";
    /** Node keys come from the fixed {@link io.tgstream.data.NodeKeys} hash, which has no seed. */
    public static final long HASH_SEED = 0;

    private MemoryModelFile() {}

    public static void save(MemoryModel model, Path path) throws IOException {
        Map<String, String> config = new LinkedHashMap<>(model.config().toMap());
        if (!model.parts().equals(ModelParts.MEMORY_ONLY)) {
            // a memory-only model keeps part 1's header, so that older readers still take it
            config.putAll(model.parts().toMap());
        }
        config.put(MODEL_KEY, MODEL_NAME);
        ModelFile.write(path, new ModelHeader(config, model.config().seed(), HASH_SEED), model.parameters());
    }

    /** Reads a model file written by {@link #save}; any other file fails with a message that says why. */
    public static MemoryModel load(Path path) throws ModelFileException {
        return load(path, DataType.FLOAT);
    }

    /** As {@link #load(Path)}, computing in {@code dtype} (FLOAT as trained, or DOUBLE for exact comparisons). */
    public static MemoryModel load(Path path, DataType dtype) throws ModelFileException {
        StoredModel stored = ModelFile.read(path);
        String family = stored.header().config().get(MODEL_KEY);
        if (!MODEL_NAME.equals(family)) {
            throw new ModelFileException(path, "it holds a '" + family + "' model, not a memory model",
                    "Train one with 'tgstream train'");
        }
        MemoryModel model;
        try {
            MemoryModelConfig config = MemoryModelConfig.fromMap(stored.header().config());
            ModelParts parts = ModelParts.fromMap(stored.header().config(), config.memoryDim());
            // inside the try: dimensions that no layer accepts are a bad file, not a crash
            model = new MemoryModel(config, parts, dtype);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFileException(path, e.getMessage(), "The file was written by another tgstream version");
        }
        try {
            stored.copyInto(model.parameters());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path, e.getMessage(), "The file was written by another tgstream version");
        }
        return model;
    }
}
