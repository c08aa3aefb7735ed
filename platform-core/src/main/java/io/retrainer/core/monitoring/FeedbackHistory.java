package io.retrainer.core.monitoring;

import java.util.List;

/**
 * A prediction's feedback: what it is now and how it got there.
 *
 * @param predictionId the prediction
 * @param endpoint its endpoint
 * @param label the current true label, or {@code null} for regression
 * @param value the current true value, or {@code null} for classification
 * @param corrections how many times it changed after the first label
 * @param events every change, oldest first
 */
public record FeedbackHistory(String predictionId, String endpoint, String label, Double value, int corrections,
                              List<FeedbackEvent> events) {
    /** Copies the list. */
    public FeedbackHistory {
        events = List.copyOf(events);
    }
}
