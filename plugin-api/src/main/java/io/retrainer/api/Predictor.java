package io.retrainer.api;

import java.util.List;

/**
 * A loaded model. Implementations must be thread-safe: the serving runtime calls them from many
 * threads at once.
 */
public interface Predictor {

    /**
     * Predicts one result per row of {@code inputs}. Columns are found by name; extra columns,
     * including a label, are ignored. A missing value, or a category not seen in training, must
     * not fail the call.
     *
     * @param inputs rows to score
     * @return one prediction per row, in row order
     */
    List<Prediction> predict(Dataset inputs);

    /** The task this model performs. */
    Task task();

    /** For classification, the classes it can predict, in a stable order; empty for regression. */
    List<String> classes();
}
