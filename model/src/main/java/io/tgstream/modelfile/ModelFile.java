package io.tgstream.modelfile;

import io.tgstream.nn.Parameter;
import io.tgstream.nn.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes and reads tgstream model files: plain data, never Java serialization, nothing in it is executed.
 *
 * <p>Layout, all integers little-endian:
 * <pre>
 *   magic        8 bytes  "TGSMODEL"
 *   version      int32    {@link #FORMAT_VERSION}
 *   file length  int64    the whole file, checksum included
 *   seed         int64
 *   hash seed    int64
 *   config       int32 count, then count x (key, value)           strings: int32 byte length + UTF-8
 *   tensors      int32 count, then count x (name, int32 rank, rank x int64 dims, product(dims) x float32)
 *   checksum     int32    CRC32 of every byte before it
 * </pre>
 * A reader checks, in order: magic, version, length, checksum, then the structure; each failure names the file,
 * what is wrong and what to do.
 */
public final class ModelFile {
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final byte[] MAGIC = "TGSMODEL".getBytes(StandardCharsets.US_ASCII);
    /** Magic, version and length: what must be present before anything else can be said. */
    static final int PREAMBLE_BYTES = MAGIC.length + Integer.BYTES + Long.BYTES;
    static final int VERSION_OFFSET = MAGIC.length;
    private static final int CHECKSUM_BYTES = Integer.BYTES;

    private ModelFile() {
    }

    /** Writes the header and every parameter (as float32) to {@code path}, atomically (temp file, then move). */
    public static void write(Path path, ModelHeader header, Parameters parameters) throws IOException {
        byte[] bytes = encode(header, parameters);
        Path absolute = path.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path temp = Files.createTempFile(dir, absolute.getFileName().toString(), ".partial");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file's bytes for this header and these parameters (deterministic). */
    static byte[] encode(ModelHeader header, Parameters parameters) {
        Body body = new Body();
        body.raw(MAGIC);
        body.int32(FORMAT_VERSION);
        body.int64(0L); // length, patched below
        body.int64(header.seed());
        body.int64(header.hashSeed());
        body.int32(header.config().size());
        for (Map.Entry<String, String> e : header.config().entrySet()) {
            body.string(e.getKey());
            body.string(e.getValue());
        }
        body.int32(parameters.list().size());
        for (Parameter p : parameters.list()) {
            body.string(p.name());
            long[] shape = p.shape();
            body.int32(shape.length);
            for (long d : shape) {
                body.int64(d);
            }
            // copy first: a parameter's value is a reshaped view of the flat buffer, which ND4J cannot reshape again
            INDArray copy = p.value().castTo(DataType.FLOAT).dup('c');
            float[] values = copy.reshape('c', new long[] {copy.length()}).toFloatVector();
            ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            body.raw(buf.array());
        }
        byte[] bytes = java.util.Arrays.copyOf(body.toByteArray(), body.size() + CHECKSUM_BYTES);
        ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        view.putLong(VERSION_OFFSET + Integer.BYTES, bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        view.putInt(bytes.length - CHECKSUM_BYTES, (int) crc.getValue());
        return bytes;
    }

    /** Reads and verifies a model file. */
    public static StoredModel read(Path path) throws ModelFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(path, "does not exist", "Check the path.");
        } catch (IOException e) {
            throw new ModelFileException(path, "cannot be read (" + e.getMessage() + ")",
                    "Check that it is a readable file.");
        }
        return decode(path, bytes);
    }

    static StoredModel decode(Path path, byte[] bytes) throws ModelFileException {
        int prefix = Math.min(bytes.length, MAGIC.length);
        if (prefix == 0 || !java.util.Arrays.equals(bytes, 0, prefix, MAGIC, 0, prefix)) {
            throw new ModelFileException(path, "is not a tgstream model file (it starts with "
                    + describe(bytes, prefix) + ", a model file starts with \"TGSMODEL\")",
                    "Pass a file written by tgstream's trainer (ModelFile.write).");
        }
        if (bytes.length < PREAMBLE_BYTES) {
            throw new ModelFileException(path, "is truncated: only " + bytes.length + " bytes, not even a header",
                    "The copy or the write was cut short; copy or export the model again.");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(path, "has format version " + version + " but this tgstream reads version "
                    + FORMAT_VERSION, version > FORMAT_VERSION
                    ? "Use the newer tgstream release that wrote it, or re-export the model with this release."
                    : "Re-export the model with this release (retrain or convert it).");
        }
        long declared = in.getLong();
        if (declared != bytes.length && checksumMatchesWithLength(bytes, bytes.length)) {
            throw new ModelFileException(path, "is corrupt: its length field says " + declared + " bytes, the file has "
                    + bytes.length + " and its checksum matches that", "Copy or export the model again.");
        }
        if (declared > bytes.length) {
            throw new ModelFileException(path, "is truncated: " + bytes.length + " of its " + declared + " bytes are present",
                    "The copy or the write was cut short; copy or export the model again.");
        }
        if (declared < bytes.length) {
            throw new ModelFileException(path, "has " + (bytes.length - declared) + " bytes after its declared end ("
                    + declared + " bytes)", "The file was corrupted or appended to; copy or export the model again.");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        int stored = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new ModelFileException(path, String.format("is corrupt: its CRC32 checksum is %08x but its content"
                    + " gives %08x", stored, (int) crc.getValue()),
                    "The file was altered after it was written; copy or export the model again.");
        }
        try {
            in.limit(bytes.length - CHECKSUM_BYTES);
            long seed = in.getLong();
            long hashSeed = in.getLong();
            int configCount = count(in, path, "config entries");
            Map<String, String> config = new LinkedHashMap<>();
            for (int i = 0; i < configCount; i++) {
                String key = string(in, path);
                config.put(key, string(in, path));
            }
            int tensorCount = count(in, path, "tensors");
            LinkedHashMap<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < tensorCount; i++) {
                String name = string(in, path);
                int rank = count(in, path, "dimensions");
                long[] shape = new long[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.getLong();
                    if (shape[d] < 1 || shape[d] > in.remaining()) {
                        throw malformed(path, "tensor '" + name + "' has dimension " + shape[d]);
                    }
                    n *= shape[d];
                    if (n * Float.BYTES > in.remaining()) {
                        throw malformed(path, "tensor '" + name + "' needs more bytes than the file holds");
                    }
                }
                float[] values = new float[(int) n];
                in.asFloatBuffer().get(values);
                in.position(in.position() + values.length * Float.BYTES);
                if (tensors.put(name, new StoredTensor(shape, values)) != null) {
                    throw malformed(path, "tensor '" + name + "' appears twice");
                }
            }
            if (in.hasRemaining()) {
                throw malformed(path, in.remaining() + " unexplained bytes after the last tensor");
            }
            return new StoredModel(path.toString(), new ModelHeader(config, seed, hashSeed), tensors);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw malformed(path, "its structure ends early or is inconsistent (" + e.getMessage() + ")");
        }
    }

    /** Whether the stored checksum matches the content once the length field is set to {@code length}. */
    private static boolean checksumMatchesWithLength(byte[] bytes, long length) {
        if (bytes.length < PREAMBLE_BYTES + CHECKSUM_BYTES) {
            return false;
        }
        byte[] patched = bytes.clone();
        ByteBuffer view = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        view.putLong(VERSION_OFFSET + Integer.BYTES, length);
        CRC32 crc = new CRC32();
        crc.update(patched, 0, patched.length - CHECKSUM_BYTES);
        return view.getInt(patched.length - CHECKSUM_BYTES) == (int) crc.getValue();
    }

    private static int count(ByteBuffer in, Path path, String what) throws ModelFileException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw malformed(path, "it declares " + n + " " + what);
        }
        return n;
    }

    private static String string(ByteBuffer in, Path path) throws ModelFileException {
        int length = count(in, path, "bytes of text");
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ModelFileException malformed(Path path, String detail) {
        return new ModelFileException(path, "is malformed although its checksum matches: " + detail,
                "It was not written by this tgstream's ModelFile.write; export the model again.");
    }

    private static String describe(byte[] bytes, int n) {
        if (n == 0) {
            return "nothing (the file is empty)";
        }
        StringBuilder sb = new StringBuilder("bytes");
        for (int i = 0; i < n; i++) {
            sb.append(String.format(" %02x", bytes[i]));
        }
        return sb.toString();
    }

    /** A little-endian byte sink. */
    private static final class Body extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

        void raw(byte[] b) {
            write(b, 0, b.length);
        }

        void int32(int v) {
            scratch.clear();
            scratch.putInt(v);
            write(scratch.array(), 0, Integer.BYTES);
        }

        void int64(long v) {
            scratch.clear();
            scratch.putLong(v);
            write(scratch.array(), 0, Long.BYTES);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int32(b.length);
            raw(b);
        }
    }
}
