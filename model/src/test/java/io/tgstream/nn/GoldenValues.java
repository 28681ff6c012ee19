package io.tgstream.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads a golden-value resource written by scripts/golden/make_golden.py (name TAB shape TAB values). */
final class GoldenValues {
    private final String resource;
    private final Map<String, INDArray> tensors;

    private GoldenValues(String resource, Map<String, INDArray> tensors) {
        this.resource = resource;
        this.tensors = tensors;
    }

    static GoldenValues load(String resource) {
        InputStream in = GoldenValues.class.getResourceAsStream("/golden/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource golden/" + resource
                    + ": regenerate it with scripts/golden/make_golden.py");
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t");
                String[] dims = parts[1].split(",");
                long[] shape = new long[dims.length];
                for (int i = 0; i < dims.length; i++) shape[i] = Long.parseLong(dims[i]);
                String[] values = parts[2].trim().split(" ");
                double[] v = new double[values.length];
                for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(values[i]);
                tensors.put(parts[0], Nd4j.createFromArray(v).reshape('c', shape));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden/" + resource, e);
        }
        return new GoldenValues(resource, tensors);
    }

    /** The tensor as DOUBLE (a fresh copy). */
    INDArray get(String name) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("golden/" + resource + " has no tensor '" + name + "'");
        }
        return t.dup();
    }

    /** The tensor cast to {@code type}. */
    INDArray get(String name, DataType type) {
        return get(name).castTo(type);
    }

    /** Copies golden values into a registered parameter. */
    void copyInto(Parameters parameters, String parameterName, String goldenName) {
        parameters.get(parameterName).value().assign(get(goldenName, parameters.dataType()));
    }

    /** The largest |a - b| over all elements, after checking that the shapes agree. */
    static double maxAbsDifference(INDArray expected, INDArray actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        return org.nd4j.linalg.ops.transforms.Transforms.abs(expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)), false)
                .maxNumber().doubleValue();
    }

    /** Asserts that every element of actual is within tolerance of the golden tensor {@code name}. */
    void assertClose(String name, INDArray actual, double tolerance) {
        double d = maxAbsDifference(get(name), actual);
        if (!(d <= tolerance)) {
            throw new AssertionError("golden/" + resource + " '" + name + "': max |difference| " + d + " > " + tolerance);
        }
    }

}
