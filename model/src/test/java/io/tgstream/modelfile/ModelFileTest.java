package io.tgstream.modelfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.nn.GruCell;
import io.tgstream.nn.LinkDecoder;
import io.tgstream.nn.NeighbourAttention;
import io.tgstream.nn.Parameter;
import io.tgstream.nn.Parameters;
import io.tgstream.nn.TimeEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class ModelFileTest {
    @TempDir
    Path dir;

    private static final ModelHeader HEADER = new ModelHeader(
            Map.of("memory.dim", "8", "time.dim", "4", "name", "tgn-\u00e9t\u00e9"), 2020L, -77L);

    private static Parameters model(long seed, int memoryDim) {
        Parameters parameters = new Parameters(DataType.FLOAT, seed);
        new GruCell(parameters, "memory", 12, memoryDim);
        new TimeEncoding(parameters, "time", 4);
        new LinkDecoder(parameters, "decoder", memoryDim, 8);
        new NeighbourAttention(parameters, "attention", memoryDim, 6, 8, 8, 2);
        return parameters;
    }

    private static int[] bits(Parameters parameters) {
        float[] v = parameters.flatValues().toFloatVector();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    private Path written() throws IOException {
        Path file = dir.resolve("model.tgm");
        ModelFile.write(file, HEADER, model(1, 8));
        return file;
    }

    @Test
    void roundTripIsBitIdentical() throws IOException {
        Parameters original = model(1, 8);
        Path file = dir.resolve("sub/model.tgm");
        ModelFile.write(file, HEADER, original);
        StoredModel stored = ModelFile.read(file);
        assertThat(stored.header()).isEqualTo(HEADER);
        assertThat(stored.header().require("name")).isEqualTo("tgn-\u00e9t\u00e9");
        assertThat(stored.tensorNames()).containsExactlyElementsOf(
                original.list().stream().map(Parameter::name).toList());

        Parameters loaded = model(999, 8); // other seed: every value must come from the file
        assertThat(bits(loaded)).isNotEqualTo(bits(original));
        stored.copyInto(loaded);
        assertThat(bits(loaded)).isEqualTo(bits(original));

        // writing the loaded model again gives the same bytes
        Path again = dir.resolve("again.tgm");
        ModelFile.write(again, HEADER, loaded);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
        assertThat(Files.list(dir.resolve("sub")).toList()).containsExactly(file); // no temp file left behind
    }

    @Test
    void truncatedFileFails() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        for (int keep : new int[] {bytes.length - 1, bytes.length / 2, 12}) {
            Files.write(file, Arrays.copyOf(bytes, keep));
            assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("truncated")
                    .hasMessageContaining("copy or export the model again");
        }
    }

    @Test
    void flippedByteFailsTheChecksum() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        for (int at : new int[] {bytes.length / 2, bytes.length - 5, 30}) {
            byte[] corrupt = bytes.clone();
            corrupt[at] ^= 0x10;
            Files.write(file, corrupt);
            assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("is corrupt");
        }
        // a flipped bit in the length field is reported as corruption, not as truncation
        byte[] corrupt = bytes.clone();
        corrupt[ModelFile.VERSION_OFFSET + Integer.BYTES + 2] ^= 0x01;
        Files.write(file, corrupt);
        assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("is corrupt: its length field");
    }

    @Test
    void foreignFilesFailWithWrongMagic() throws IOException {
        Path text = dir.resolve("edges.csv");
        Files.writeString(text, "src,dst,t\n1,2,3\n");
        assertThatThrownBy(() -> ModelFile.read(text)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("is not a tgstream model file")
                .hasMessageContaining("73 72 63"); // "src"
        Path empty = dir.resolve("empty.tgm");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> ModelFile.read(empty)).hasMessageContaining("the file is empty");
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 'X';
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelFile.read(file)).hasMessageContaining("is not a tgstream model file");
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("absent.tgm"))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void otherVersionFails() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(ModelFile.VERSION_OFFSET, ModelFile.FORMAT_VERSION + 1);
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("format version " + (ModelFile.FORMAT_VERSION + 1))
                .hasMessageContaining("this tgstream reads version " + ModelFile.FORMAT_VERSION)
                .hasMessageContaining("newer tgstream release");
    }

    @Test
    void modelOfAnotherShapeIsRefusedWithTheTensorNamed() throws IOException {
        StoredModel stored = ModelFile.read(written());
        assertThatThrownBy(() -> stored.copyInto(model(1, 10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'memory.weight_ih' with shape [12, 24] but this model expects [12, 30]");
        Parameters smaller = new Parameters(DataType.FLOAT, 1);
        new GruCell(smaller, "memory", 12, 8);
        assertThatThrownBy(() -> stored.copyInto(smaller)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not have").hasMessageContaining("time.weight");
    }

    @Test
    void magicIsAsciiText() {
        assertThat(new String(ModelFile.MAGIC, StandardCharsets.US_ASCII)).isEqualTo("TGSMODEL");
    }
}
