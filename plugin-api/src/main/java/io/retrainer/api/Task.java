package io.retrainer.api;

/** What a model predicts, derived from the type of the label column. */
public enum Task {
    /** A categorical label: the model predicts a class and class probabilities. */
    CLASSIFICATION,
    /** A numeric label: the model predicts a number. */
    REGRESSION
}
