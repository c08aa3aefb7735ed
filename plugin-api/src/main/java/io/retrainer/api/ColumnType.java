package io.retrainer.api;

/** The kind of values a column holds. */
public enum ColumnType {
    /** Real numbers; missing values are {@code NaN}. */
    NUMERIC,
    /** A small set of string values; missing values are {@code null}. */
    CATEGORICAL,
    /** Free text; missing values are {@code null}. */
    TEXT,
    /** Points in time, stored as epoch milliseconds in numeric storage; missing values are {@code NaN}. */
    TIMESTAMP;

    /** Whether values of this type are held as doubles (numeric and timestamp) rather than strings. */
    public boolean isNumericStorage() {
        return this == NUMERIC || this == TIMESTAMP;
    }
}
