package io.retrainer.plugins.logreg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

/**
 * The stored form of a trained model: a header, the {@link FeatureEncoder} and the Tribuo model
 * in Tribuo's protobuf format. Protobuf rather than Java serialisation because it is Tribuo's
 * stable format across versions and cannot be made to instantiate arbitrary classes.
 *
 * @param encoder how input rows become features
 * @param model the Tribuo model, whose output domain is the class list
 */
record ModelArtifact(FeatureEncoder encoder, Model<Label> model) {
    static final String FORMAT = "tribuo-logistic-regression";
    private static final String MAGIC = "retrainer:" + FORMAT;
    private static final int VERSION = 1;

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
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
            FeatureEncoder encoder = FeatureEncoder.read(in);
            byte[] tribuo = new byte[in.readInt()];
            in.readFully(tribuo);
            Model<?> model = Model.deserialize(ModelProto.parseFrom(tribuo));
            return new ModelArtifact(encoder, model.castModel(Label.class));
        } catch (IOException | RuntimeException e) {
            throw new IOException("the artifact is not a readable " + FORMAT + " model: " + e.getMessage(), e);
        }
    }
}
