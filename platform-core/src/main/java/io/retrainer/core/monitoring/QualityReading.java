package io.retrainer.core.monitoring;

import java.time.Instant;

/**
 * A live quality metric computed from logged predictions and the feedback they received.
 *
 * @param metric the metric name ({@code accuracy}, {@code f1}, {@code roc_auc}, {@code mae}, {@code rmse})
 * @param value its value over the labelled predictions in the window
 * @param labelled how many labelled predictions it was computed from
 * @param from start of the window (prediction time, inclusive)
 * @param to end of the window (prediction time, exclusive)
 */
public record QualityReading(String metric, double value, long labelled, Instant from, Instant to) {
}
