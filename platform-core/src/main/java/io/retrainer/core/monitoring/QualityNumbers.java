package io.retrainer.core.monitoring;

import java.time.Instant;
import java.util.Optional;

/**
 * Every live quality metric of one set of predictions over one window, as one SQL query
 * computes them. A metric is {@code null} when it does not apply or has no labelled prediction.
 *
 * @param classified labelled classification predictions
 * @param accuracy fraction of them predicted right
 * @param f1 macro F1 over the classes seen in predictions and labels
 * @param rocAuc ROC AUC of binary classifiers (ties count one half)
 * @param regressed labelled regression predictions
 * @param mae mean absolute error
 * @param rmse root mean squared error
 */
record QualityNumbers(long classified, Double accuracy, Double f1, Double rocAuc, long regressed, Double mae, Double rmse) {

    /** The labelled count behind {@code metric}. */
    long labelled(String metric) {
        return metric.equals("mae") || metric.equals("rmse") ? regressed : classified;
    }

    /** The value of {@code metric}, or {@code null}. */
    Double value(String metric) {
        return switch (metric) {
            case "accuracy" -> accuracy;
            case "f1" -> f1;
            case "roc_auc" -> rocAuc;
            case "mae" -> mae;
            case "rmse" -> rmse;
            default -> throw new IllegalArgumentException("unknown quality metric '" + metric + "'; known: " + LiveQuality.METRICS);
        };
    }

    /** {@code metric} as a reading over [from, to), empty if it has no value. */
    Optional<QualityReading> reading(String metric, Instant from, Instant to) {
        Double v = value(metric);
        long n = labelled(metric);
        return v == null || v.isNaN() || n == 0 ? Optional.empty() : Optional.of(new QualityReading(metric, v, n, from, to));
    }
}
