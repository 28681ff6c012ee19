package io.tgstream.model;

import io.tgstream.modelfile.ModelFile;
import io.tgstream.modelfile.ModelHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a model's file with one header entry set by hand, as an older or damaged writer would have left it. */
final class HeaderEdit {
    private HeaderEdit() {}

    static void writeWith(MemoryModel m, String key, String value, Path file) throws IOException {
        Map<String, String> header = new LinkedHashMap<>(m.config().toMap());
        header.put(MemoryModelFile.MODEL_KEY, MemoryModelFile.MODEL_NAME);
        header.put(key, value);
        ModelFile.write(file, new ModelHeader(header, m.config().seed(), MemoryModelFile.HASH_SEED), m.parameters());
    }
}
