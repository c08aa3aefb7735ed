package io.retrainer.core.drift;

/**
 * How far one feature (or the model's output) has moved from its reference profile over a window.
 *
 * @param feature the input column's name, or {@value DriftMonitor#PREDICTION} for the model's output
 * @param kind {@code numeric}, {@code categorical} or {@code prediction}
 * @param psi population stability index of live against reference bin fractions; {@code NaN} when
 *            the window holds no live rows (so a threshold comparison is false)
 * @param ks Kolmogorov–Smirnov statistic (max |F_live − F_ref| over the reference quantile grid)
 *           for numeric features and numeric outputs; {@code null} for categorical ones or when
 *           there are no live values
 * @param liveCount live rows seen in the window (missing values included)
 */
public record FeatureDrift(String feature, String kind, double psi, Double ks, long liveCount) {
    /** {@link #kind} of a numeric input column. */
    public static final String NUMERIC = "numeric";
    /** {@link #kind} of a categorical input column. */
    public static final String CATEGORICAL = "categorical";
    /** {@link #kind} of the model's output distribution. */
    public static final String PREDICTION = "prediction";
}
