package io.retrainer.plugins.linreg;

import io.retrainer.plugins.tribuo.ArtifactCodec;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

/**
 * The stored form of a trained model: after the {@link ArtifactCodec} header, how the target was
 * scaled (mean, then scale), the {@link FeatureEncoder} and the Tribuo model.
 *
 * @param encoder how input rows become features
 * @param targetMean subtracted from the target before training, added back to predictions
 * @param targetScale the target was divided by this before training; predictions are multiplied by it
 * @param model the Tribuo model, predicting the scaled target
 */
record ModelArtifact(FeatureEncoder encoder, double targetMean, double targetScale, Model<Regressor> model) {
    static final String FORMAT = "tribuo-linear-regression";
    private static final ArtifactCodec CODEC = new ArtifactCodec(FORMAT);

    /** A prediction of the model turned back into the target's units. */
    double unscale(double predicted) {
        return predicted * targetScale + targetMean;
    }

    byte[] toBytes() throws IOException {
        return CODEC.encode(out -> {
            out.writeDouble(targetMean);
            out.writeDouble(targetScale);
            encoder.write(out);
            ArtifactCodec.writeModel(out, model);
        });
    }

    /**
     * Reads an artifact written by {@link #toBytes()}.
     *
     * @throws IOException if the bytes are not such an artifact
     */
    static ModelArtifact fromBytes(byte[] artifact) throws IOException {
        return CODEC.decode(artifact, in -> {
            double mean = in.readDouble();
            double scale = in.readDouble();
            FeatureEncoder encoder = FeatureEncoder.read(in);
            return new ModelArtifact(encoder, mean, scale, ArtifactCodec.readModel(in).castModel(Regressor.class));
        });
    }
}
