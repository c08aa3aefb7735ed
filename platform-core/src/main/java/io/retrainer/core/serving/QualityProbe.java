package io.retrainer.core.serving;

import java.time.Instant;
import java.util.Optional;

/**
 * Live quality of one model version at an endpoint since a moment, from fed-back labels: what
 * the rollout gate compares between the old and the new slot. The monitoring package provides it.
 */
@FunctionalInterface
public interface QualityProbe {
    /**
     * Live quality reading.
     *
     * @return the metric's value and the number of labelled predictions behind it, or empty without labels
     */
    Optional<Reading> read(String endpoint, String model, int version, String metric, Instant since);

    /**
     * A reading.
     *
     * @param value the metric
     * @param labelled labelled predictions behind it
     */
    record Reading(double value, long labelled) {
    }

    /** A probe that never has labels (quality gates are then skipped). */
    static QualityProbe none() {
        return (e, m, v, metric, since) -> Optional.empty();
    }
}
