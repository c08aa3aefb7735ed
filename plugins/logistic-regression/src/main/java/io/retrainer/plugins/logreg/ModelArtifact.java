package io.retrainer.plugins.logreg;

import io.retrainer.plugins.tribuo.ArtifactCodec;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The stored form of a trained model: after the {@link ArtifactCodec} header, the
 * {@link FeatureEncoder} and the Tribuo model.
 *
 * @param encoder how input rows become features
 * @param model the Tribuo model, whose output domain is the class list
 */
record ModelArtifact(FeatureEncoder encoder, Model<Label> model) {
    static final String FORMAT = "tribuo-logistic-regression";
    private static final ArtifactCodec CODEC = new ArtifactCodec(FORMAT);

    byte[] toBytes() throws IOException {
        return CODEC.encode(out -> {
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
            FeatureEncoder encoder = FeatureEncoder.read(in);
            return new ModelArtifact(encoder, ArtifactCodec.readModel(in).castModel(Label.class));
        });
    }
}
