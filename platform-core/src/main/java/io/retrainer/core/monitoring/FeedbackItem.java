package io.retrainer.core.monitoring;

/**
 * One piece of ground truth for a logged prediction: a class label, or a number for regression.
 *
 * @param predictionId the id the inference response returned
 * @param label the true class, or {@code null}
 * @param value the true value (regression), or {@code null}
 */
public record FeedbackItem(String predictionId, String label, Double value) {
}
