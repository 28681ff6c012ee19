package io.tgstream.modelfile;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a model file says about the model besides its tensors: the configuration it was built from (key=value text,
 * kept sorted so that the file bytes are deterministic), the model seed and the node-key hash seed.
 */
public record ModelHeader(Map<String, String> config, long seed, long hashSeed) {

    public ModelHeader {
        Objects.requireNonNull(config, "config");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw new IllegalArgumentException("model config needs non-empty keys and non-null values, got "
                        + e.getKey() + "=" + e.getValue());
            }
            sorted.put(e.getKey(), e.getValue());
        }
        config = Collections.unmodifiableMap(sorted);
    }

    /** The value of a config key, or a clear error naming the key when it is absent. */
    public String require(String key) {
        String value = config.get(key);
        if (value == null) {
            throw new IllegalArgumentException("model config has no key '" + key + "'; it has " + config.keySet());
        }
        return value;
    }
}
