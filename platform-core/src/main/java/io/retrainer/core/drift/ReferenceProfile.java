package io.retrainer.core.drift;

import java.util.List;

/**
 * What a model version's inputs and outputs looked like when it was registered: the yardstick
 * live traffic is compared with.
 *
 * @param model the model name
 * @param version the version
 * @param rows training rows profiled
 * @param features one profile per numeric or categorical input column, in input order (text and
 *                 timestamp columns are not profiled: time always "drifts")
 * @param prediction the model's output on the reference rows (predicted classes, or binned
 *                   predicted values for regression); {@code null} if it could not be computed
 * @param predictionRows rows the output profile was computed on
 */
public record ReferenceProfile(String model, int version, int rows, List<FeatureProfile> features,
                               FeatureProfile prediction, int predictionRows) {
    /** Copies the list. */
    public ReferenceProfile {
        features = List.copyOf(features);
    }
}
