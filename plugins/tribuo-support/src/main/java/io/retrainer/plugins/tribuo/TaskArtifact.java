package io.retrainer.plugins.tribuo;

import io.retrainer.api.Task;
import java.io.IOException;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * The stored form of a model that may be either task (the tree plugins): after the
 * {@link ArtifactCodec} header, the task's name ({@code writeUTF}), the {@link FeatureEncoder} and
 * the Tribuo model.
 *
 * @param task classification (a {@code Model<Label>}) or regression (a {@code Model<Regressor>})
 * @param encoder how input rows become features
 * @param model the Tribuo model
 */
public record TaskArtifact(Task task, FeatureEncoder encoder, Model<?> model) {
    /** Checks that the model's output type matches the task. */
    public TaskArtifact {
        if (task == Task.CLASSIFICATION) {
            model.castModel(Label.class);
        } else {
            model.castModel(Regressor.class);
        }
    }

    /** This artifact in {@code codec}'s format. */
    public byte[] toBytes(ArtifactCodec codec) throws IOException {
        return codec.encode(out -> {
            out.writeUTF(task.name());
            encoder.write(out);
            ArtifactCodec.writeModel(out, model);
        });
    }

    /**
     * Reads an artifact written by {@link #toBytes} with the same codec.
     *
     * @throws IOException if the bytes are not such an artifact
     */
    public static TaskArtifact fromBytes(ArtifactCodec codec, byte[] artifact) throws IOException {
        return codec.decode(artifact, in -> {
            Task task = Task.valueOf(in.readUTF());
            FeatureEncoder encoder = FeatureEncoder.read(in);
            return new TaskArtifact(task, encoder, ArtifactCodec.readModel(in));
        });
    }
}
