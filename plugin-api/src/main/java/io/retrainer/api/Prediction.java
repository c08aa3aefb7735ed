package io.retrainer.api;

import java.util.Map;

/**
 * One prediction.
 *
 * @param label the predicted class for classification, {@code null} for regression
 * @param value the predicted number for regression; for classification the predicted class's probability
 * @param probabilities class name to probability for classification (empty for regression)
 */
public record Prediction(String label, double value, Map<String, Double> probabilities) {
    /** Copies the probability map. */
    public Prediction {
        probabilities = probabilities == null ? Map.of() : Map.copyOf(probabilities);
    }

    /** A classification result. */
    public static Prediction ofClass(String label, Map<String, Double> probabilities) {
        return new Prediction(label, probabilities.getOrDefault(label, Double.NaN), probabilities);
    }

    /** A regression result. */
    public static Prediction ofValue(double value) {
        return new Prediction(null, value, Map.of());
    }
}
