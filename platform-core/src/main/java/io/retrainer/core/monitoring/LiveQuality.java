package io.retrainer.core.monitoring;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Live model quality, computed on demand from the prediction log and the feedback it received.
 * Windows are by <em>prediction</em> time: a label that arrives days later still counts for the
 * window in which the prediction was made, so a window's numbers can improve in coverage as late
 * labels arrive, but never move to another window. Only live (non-shadow) predictions count for
 * an endpoint; {@link #readVersion} also covers a version running as a shadow.
 *
 * <p>Metrics: {@code accuracy}, {@code f1} (macro over the classes seen in predictions and labels),
 * {@code roc_auc} (binary classification only) for classification; {@code mae}, {@code rmse} for
 * regression. A reading is empty when the window has no labelled prediction or the metric does
 * not apply (AUC on a multiclass model, MAE on a classifier).
 */
public interface LiveQuality {
    /** Metric names this service computes. */
    java.util.List<String> METRICS = java.util.List.of("accuracy", "f1", "roc_auc", "mae", "rmse");

    /**
     * {@code metric} over the live predictions of every version that served at {@code endpoint}
     * during the last {@code window}.
     *
     * @throws IllegalArgumentException (failed future) for an unknown metric name
     */
    Future<Optional<QualityReading>> read(String endpoint, String metric, Duration window);

    /**
     * {@code metric} over the predictions {@code model} version {@code version} made at
     * {@code endpoint} since {@code since} — live ones, or its shadow answers if it only ran as a
     * shadow (a version never answers both ways at once).
     */
    Future<Optional<QualityReading>> readVersion(String endpoint, String model, int version, String metric, Instant since);
}
