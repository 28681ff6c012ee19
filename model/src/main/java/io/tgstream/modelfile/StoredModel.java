package io.tgstream.modelfile;

import io.tgstream.nn.Parameter;
import io.tgstream.nn.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** The content of a model file once read and verified: its header and its named tensors in file order. */
public final class StoredModel {
    private final String source;
    private final ModelHeader header;
    private final Map<String, StoredTensor> tensors;

    StoredModel(String source, ModelHeader header, LinkedHashMap<String, StoredTensor> tensors) {
        this.source = source;
        this.header = header;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public ModelHeader header() { return header; }

    /** The tensor names in file order. */
    public List<String> tensorNames() {
        return new ArrayList<>(tensors.keySet());
    }

    public StoredTensor tensor(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + " has no tensor '" + name + "'");
        }
        return t;
    }

    /**
     * Sets every parameter of a model built from this file's config to the stored values. The names and shapes must
     * agree exactly; otherwise nothing useful can be loaded and the error says which tensor differs.
     */
    public void copyInto(Parameters parameters) {
        List<String> expected = new ArrayList<>();
        for (Parameter p : parameters.list()) {
            expected.add(p.name());
            StoredTensor t = tensors.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("model file " + source + " has no parameter '" + p.name()
                        + "' that this model needs: it was written by a model with another configuration or version");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("model file " + source + " holds '" + p.name() + "' with shape "
                        + Arrays.toString(t.shape()) + " but this model expects " + Arrays.toString(p.shape())
                        + ": build the model from the file's own config");
            }
        }
        List<String> extra = new ArrayList<>(tensors.keySet());
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("model file " + source + " holds parameters this model does not have: "
                    + extra + ": build the model from the file's own config");
        }
        for (Parameter p : parameters.list()) {
            StoredTensor t = tensors.get(p.name());
            p.value().assign(Nd4j.createFromArray(t.valuesUnsafe()).reshape('c', p.shape())
                    .castTo(parameters.dataType()));
        }
    }
}
