package io.retrainer.plugins.linreg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.Regressor;

/**
 * The stored form of a trained model: a header, the {@link FeatureEncoder}, how the target was
 * scaled, and the Tribuo model in Tribuo's protobuf format (stable across Tribuo versions, and
 * unable to instantiate arbitrary classes, unlike Java serialisation).
 *
 * @param encoder how input rows become features
 * @param targetMean subtracted from the target before training, added back to predictions
 * @param targetScale the target was divided by this before training; predictions are multiplied by it
 * @param model the Tribuo model, predicting the scaled target
 */
record ModelArtifact(FeatureEncoder encoder, double targetMean, double targetScale, Model<Regressor> model) {
    static final String FORMAT = "tribuo-linear-regression";
    private static final String MAGIC = "retrainer:" + FORMAT;
    private static final int VERSION = 1;

    /** A prediction of the model turned back into the target's units. */
    double unscale(double predicted) {
        return predicted * targetScale + targetMean;
    }

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeDouble(targetMean);
            out.writeDouble(targetScale);
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
            double mean = in.readDouble();
            double scale = in.readDouble();
            FeatureEncoder encoder = FeatureEncoder.read(in);
            byte[] tribuo = new byte[in.readInt()];
            in.readFully(tribuo);
            Model<?> model = Model.deserialize(ModelProto.parseFrom(tribuo));
            return new ModelArtifact(encoder, mean, scale, model.castModel(Regressor.class));
        } catch (IOException | RuntimeException e) {
            throw new IOException("the artifact is not a readable " + FORMAT + " model: " + e.getMessage(), e);
        }
    }
}
