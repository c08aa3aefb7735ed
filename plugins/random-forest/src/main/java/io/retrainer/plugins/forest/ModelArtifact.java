package io.retrainer.plugins.forest;

import io.retrainer.api.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.Regressor;

/**
 * The stored form of a trained model: a header, the task, the {@link FeatureEncoder} and the
 * Tribuo model in Tribuo's protobuf format (stable across Tribuo versions, and unable to
 * instantiate arbitrary classes, unlike Java serialisation).
 *
 * @param task classification (a {@code Model<Label>}) or regression (a {@code Model<Regressor>})
 * @param encoder how input rows become features
 * @param model the Tribuo model
 */
record ModelArtifact(Task task, FeatureEncoder encoder, Model<?> model) {
    static final String FORMAT = "tribuo-random-forest";
    private static final String MAGIC = "retrainer:" + FORMAT;
    private static final int VERSION = 1;

    /** Checks that the model's output type matches the task. */
    ModelArtifact {
        if (task == Task.CLASSIFICATION) {
            model.castModel(Label.class);
        } else {
            model.castModel(Regressor.class);
        }
    }

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(task.name());
            encoder.write(out);
            byte[] tribuo = model.serialize().toByteArray();
            out.writeInt(tribuo.length);
            out.write(tribuo);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an artifact written by {@link #toBytes()}.
     *
     * @throws IOException if the bytes are not such an artifact
     */
    static ModelArtifact fromBytes(byte[] artifact) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || version != VERSION) {
                throw new IOException("not a " + FORMAT + " artifact of version " + VERSION);
            }
            Task task = Task.valueOf(in.readUTF());
            FeatureEncoder encoder = FeatureEncoder.read(in);
            byte[] tribuo = new byte[in.readInt()];
            in.readFully(tribuo);
            return new ModelArtifact(task, encoder, Model.deserialize(ModelProto.parseFrom(tribuo)));
        } catch (IOException | RuntimeException e) {
            throw new IOException("the artifact is not a readable " + FORMAT + " model: " + e.getMessage(), e);
        }
    }
}
