package io.retrainer.core.drift;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ReferenceProfile} from training data and the model's reference predictions.
 * Numeric columns get equal-frequency bins: a fine grid of {@value #FINE_QUANTILES}-quantiles
 * for KS, whose deciles bound the {@value #PSI_BINS} PSI bins (so live rows are binned once and
 * both statistics come from the same counters). Categorical columns keep the
 * {@value #TOP_CATEGORIES} most frequent categories; the rest fold into "other".
 */
public final class ProfileBuilder {
    /** Quantiles of the fine (KS) grid. */
    public static final int FINE_QUANTILES = 100;
    /** Equal-frequency bins for PSI (a divisor of {@link #FINE_QUANTILES}). */
    public static final int PSI_BINS = 10;
    /** Categories with a bin of their own; the rest count as "other". */
    public static final int TOP_CATEGORIES = 20;
    /** Classes of a classifier's output with a bin of their own. */
    public static final int TOP_CLASSES = 50;
    /** Categories remembered as "seen in training" beyond the top ones; more are not told apart from unseen ones. */
    public static final int MAX_KNOWN_CATEGORIES = 10_000;
    /** Quantiles are estimated from at most this many values (an even stride through the column); counts use every row. */
    public static final int QUANTILE_SAMPLE = 200_000;

    private ProfileBuilder() {
    }

    /**
     * Profiles {@code train}'s feature columns (the label is skipped) and the predictions.
     *
     * @param predictions the model's output on reference rows, or an empty list
     */
    public static ReferenceProfile build(String model, int version, Dataset train, List<Prediction> predictions) {
        List<FeatureProfile> features = new ArrayList<>();
        List<Column> columns = train.schema().columns();
        String label = train.schema().label();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            if (col.name().equals(label)) {
                continue;
            }
            if (col.type() == ColumnType.NUMERIC) {
                double[] values = new double[train.rowCount()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = train.number(c, r);
                }
                features.add(numeric(col.name(), values));
            } else if (col.type() == ColumnType.CATEGORICAL) {
                String[] values = new String[train.rowCount()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = train.string(c, r);
                }
                features.add(categorical(col.name(), values, TOP_CATEGORIES));
            }
        }
        return new ReferenceProfile(model, version, train.rowCount(), features, prediction(predictions), predictions.size());
    }

    /** The output profile: predicted classes for a classifier, binned predicted values otherwise; {@code null} if none. */
    static FeatureProfile prediction(List<Prediction> predictions) {
        if (predictions.isEmpty()) {
            return null;
        }
        if (predictions.get(0).label() != null) {
            String[] labels = new String[predictions.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = predictions.get(i).label();
            }
            return categorical(DriftMonitor.PREDICTION, labels, TOP_CLASSES);
        }
        double[] values = new double[predictions.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = predictions.get(i).value();
        }
        return numeric(DriftMonitor.PREDICTION, values);
    }

    /** A numeric profile of {@code values} ({@code NaN} is missing). */
    public static FeatureProfile numeric(String name, double[] values) {
        double[] present = presentSample(values);
        Arrays.sort(present);
        double[] edges = quantiles(present, FINE_QUANTILES, 1);
        double[] psiEdges = quantiles(present, FINE_QUANTILES, FINE_QUANTILES / PSI_BINS);
        long[] counts = new long[edges.length + 2];
        for (double v : values) {
            counts[Double.isNaN(v) ? edges.length + 1 : DriftMath.bin(edges, v)]++;
        }
        return new FeatureProfile(name, FeatureDrift.NUMERIC, edges, psiEdges, List.of(), List.of(), counts);
    }

    /** A categorical profile of {@code values} ({@code null} is missing) keeping the {@code top} most frequent. */
    public static FeatureProfile categorical(String name, String[] values, int top) {
        Map<String, long[]> freq = new HashMap<>();
        long missing = 0;
        for (String v : values) {
            if (v == null) {
                missing++;
            } else {
                freq.computeIfAbsent(v, k -> new long[1])[0]++;
            }
        }
        List<Map.Entry<String, long[]>> byCount = new ArrayList<>(freq.entrySet());
        // Most frequent first; ties by name, so the same data always gives the same profile.
        byCount.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()));
        int kept = Math.min(top, byCount.size());
        List<String> categories = new ArrayList<>(kept);
        List<String> others = new ArrayList<>();
        long[] counts = new long[kept + 3];
        for (int i = 0; i < byCount.size(); i++) {
            Map.Entry<String, long[]> e = byCount.get(i);
            if (i < kept) {
                categories.add(e.getKey());
                counts[i] = e.getValue()[0];
            } else {
                if (others.size() < MAX_KNOWN_CATEGORIES) {
                    others.add(e.getKey());
                }
                counts[kept] += e.getValue()[0];
            }
        }
        counts[kept + 2] = missing;
        return new FeatureProfile(name, FeatureDrift.CATEGORICAL, null, null, categories, others, counts);
    }

    /**
     * The distinct {@code j/q}-quantiles of sorted {@code values} for {@code j = step, 2·step, ..., q − step}:
     * the smallest value with at least {@code j/q} of the values at or below it, so each
     * right-closed bin holds about {@code step/q} of the values (ties merge bins).
     */
    static double[] quantiles(double[] sorted, int q, int step) {
        int n = sorted.length;
        if (n == 0) {
            return new double[0];
        }
        double[] out = new double[q / step];
        int k = 0;
        for (int j = step; j < q; j += step) {
            int idx = (int) Math.max(0, Math.min(n - 1, (long) Math.ceil((double) j * n / q) - 1));
            double v = sorted[idx] + 0.0;
            if (k == 0 || v > out[k - 1]) {
                out[k++] = v;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** The non-missing values, or an even stride through them when there are more than {@link #QUANTILE_SAMPLE}. */
    private static double[] presentSample(double[] values) {
        int present = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                present++;
            }
        }
        double[] all = new double[present];
        int k = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                all[k++] = v;
            }
        }
        if (present <= QUANTILE_SAMPLE) {
            return all;
        }
        double[] sample = new double[QUANTILE_SAMPLE];
        double stride = (double) present / QUANTILE_SAMPLE;
        for (int i = 0; i < QUANTILE_SAMPLE; i++) {
            sample[i] = all[(int) (i * stride)];
        }
        return sample;
    }
}
