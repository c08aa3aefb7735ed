package io.retrainer.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Trainer} produces.
 *
 * @param artifact the serialised model; a {@link ModelLoader} of {@code format} reads it back
 * @param format the artifact format id, for example {@code tribuo-logistic-regression}
 * @param hyperParameters the hyper-parameters actually used, after defaults, recorded as lineage
 * @param predictor the model ready to predict, so evaluation need not reload it
 */
public record TrainedModel(byte[] artifact, String format, Map<String, String> hyperParameters, Predictor predictor) {
    /** Checks presence and copies the parameters. */
    public TrainedModel {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(predictor, "predictor");
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    }
}
