package io.retrainer.plugins.tribuo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

/**
 * The frame of a Tribuo plugin's stored model: the header {@code retrainer:<format>}
 * ({@code writeUTF}), the version {@value #VERSION} as an int, then the plugin's own body, which
 * ends with the Tribuo model in Tribuo's protobuf format (stable across Tribuo versions, and unable
 * to instantiate arbitrary classes, unlike Java serialisation). Models already stored depend on
 * this layout byte for byte.
 */
public final class ArtifactCodec {
    /** The only version written and read so far. */
    public static final int VERSION = 1;

    private final String format;
    private final String magic;

    /** Writes the body of an artifact after the header. */
    @FunctionalInterface
    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the body of an artifact after the header. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** @param format the artifact format id, for example {@code tribuo-decision-tree} */
    public ArtifactCodec(String format) {
        this.format = format;
        this.magic = "retrainer:" + format;
    }

    /** The artifact format id, as reported in {@code TrainedModel.format()} and by the model loader. */
    public String format() {
        return format;
    }

    /** The header followed by what {@code body} writes. */
    public byte[] encode(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(magic);
            out.writeInt(VERSION);
            body.write(out);
        }
        return bytes.toByteArray();
    }

    /**
     * Checks the header, then lets {@code body} read the rest.
     *
     * @throws IOException naming the format if the bytes are not such an artifact or {@code body} fails
     */
    public <T> T decode(byte[] artifact, Reader<T> body) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            String header = in.readUTF();
            int version = in.readInt();
            if (!magic.equals(header) || version != VERSION) {
                throw new IOException("not a " + format + " artifact of version " + VERSION);
            }
            return body.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("the artifact is not a readable " + format + " model: " + e.getMessage(), e);
        }
    }

    /** Writes {@code model} as length-prefixed Tribuo protobuf. */
    public static void writeModel(DataOutputStream out, Model<?> model) throws IOException {
        byte[] tribuo = model.serialize().toByteArray();
        out.writeInt(tribuo.length);
        out.write(tribuo);
    }

    /** Reads a model written by {@link #writeModel}. */
    public static Model<?> readModel(DataInputStream in) throws IOException {
        byte[] tribuo = new byte[in.readInt()];
        in.readFully(tribuo);
        return Model.deserialize(ModelProto.parseFrom(tribuo));
    }
}
