package io.retrainer.core.drift;

import java.util.List;

/**
 * The reference distribution of one input column (or of the model's output) at registration.
 *
 * <p>Counts are laid out as the live counters are: for a numeric column, one count per bin of the
 * fine quantile grid {@code edges} ({@code edges.length + 1} right-closed bins), then missing; for
 * a categorical column, one count per frequent category, then "other" (seen in training but not
 * among the frequent ones), "unseen" (never seen in training: always 0 here) and missing.
 *
 * @param name the column name, or {@link DriftMonitor#PREDICTION}
 * @param kind {@link FeatureDrift#NUMERIC} or {@link FeatureDrift#CATEGORICAL}
 * @param edges numeric: distinct quantile values of the fine grid (KS); empty for categorical
 * @param psiEdges numeric: the decile subset of {@code edges} that bounds the PSI bins; empty for categorical
 * @param categories categorical: the most frequent categories, most frequent first; empty for numeric
 * @param otherCategories categorical: the remaining categories seen in training (capped); empty for numeric
 * @param counts reference counts in the layout above
 */
public record FeatureProfile(String name, String kind, double[] edges, double[] psiEdges, List<String> categories,
                             List<String> otherCategories, long[] counts) {
    /** Normalises absent lists to empty ones. */
    public FeatureProfile {
        edges = edges == null ? new double[0] : edges;
        psiEdges = psiEdges == null ? new double[0] : psiEdges;
        categories = categories == null ? List.of() : List.copyOf(categories);
        otherCategories = otherCategories == null ? List.of() : List.copyOf(otherCategories);
    }

    /** Whether this is a numeric column. */
    public boolean numeric() {
        return FeatureDrift.NUMERIC.equals(kind);
    }

    /** The number of counter slots (bins plus the special ones). */
    public int slots() {
        return counts.length;
    }

    /** The slot of missing values (the last one). */
    public int missingSlot() {
        return counts.length - 1;
    }

    /** Categorical: the slot of categories seen in training outside the frequent ones. */
    public int otherSlot() {
        return categories.size();
    }

    /** Categorical: the slot of categories never seen in training. */
    public int unseenSlot() {
        return categories.size() + 1;
    }
}
