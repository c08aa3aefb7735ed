package io.retrainer.core.pipeline;

import io.retrainer.api.Dataset;
import io.retrainer.api.Settings;
import io.retrainer.api.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The built-in split stage: a training part and a holdout the candidate and champion are both scored on. */
public final class DataSplit {

    /**
     * Train and holdout rows.
     *
     * @param train rows to train on
     * @param holdout rows to evaluate on
     */
    public record Parts(Dataset train, Dataset holdout) {
    }

    private DataSplit() {
    }

    /**
     * Splits {@code data}.
     *
     * @param settings resolved {@link BuiltinStages#SPLIT} settings
     * @param defaultSeed the pipeline seed, used when {@code split.seed} is not set
     * @throws IllegalArgumentException when a part would be empty or the time column is unusable
     */
    public static Parts split(Dataset data, Settings settings, long defaultSeed) {
        double fraction = settings.number("test_fraction");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split.test_fraction must be between 0 and 1, got " + fraction);
        }
        long seed = settings.has("seed") ? settings.integer("seed") : defaultSeed;
        boolean[] test = "time".equals(settings.requireString("strategy"))
                ? byTime(data, settings.requireString("time_column"), fraction)
                : holdout(data, fraction, new Random(seed));
        int holdoutRows = 0;
        for (boolean t : test) {
            if (t) {
                holdoutRows++;
            }
        }
        int[] trainRows = new int[data.rowCount() - holdoutRows];
        int[] testRows = new int[holdoutRows];
        for (int r = 0, a = 0, b = 0; r < data.rowCount(); r++) {
            if (test[r]) {
                testRows[b++] = r;
            } else {
                trainRows[a++] = r;
            }
        }
        if (trainRows.length == 0 || testRows.length == 0) {
            throw new IllegalArgumentException("split of " + data.rowCount() + " rows with test_fraction " + fraction
                    + " leaves " + trainRows.length + " training and " + testRows.length + " holdout rows; both must be non-empty");
        }
        return new Parts(data.rows(trainRows), data.rows(testRows));
    }

    private static boolean[] holdout(Dataset data, double fraction, Random random) {
        // Rows grouped by class (one group for regression), each group shuffled with the seeded
        // random source; primitive arrays because this runs over millions of rows.
        int n = data.rowCount();
        boolean classification = data.schema().task().orElse(Task.REGRESSION) == Task.CLASSIFICATION;
        Map<String, Integer> groupOf = new LinkedHashMap<>();
        int[] group = new int[n];
        int[] sizes = new int[16];
        for (int r = 0; r < n; r++) {
            String key = classification ? String.valueOf(data.labelString(r)) : "";
            int g = groupOf.computeIfAbsent(key, k -> groupOf.size());
            if (g >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            group[r] = g;
            sizes[g]++;
        }
        int[][] members = new int[groupOf.size()][];
        int[] filled = new int[groupOf.size()];
        for (int g = 0; g < members.length; g++) {
            members[g] = new int[sizes[g]];
        }
        for (int r = 0; r < n; r++) {
            members[group[r]][filled[group[r]]++] = r;
        }
        boolean[] test = new boolean[n];
        for (int[] rows : members) {
            for (int i = rows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            int k = (int) Math.round(rows.length * fraction);
            if (k == 0 && rows.length >= 2) {
                k = 1;
            }
            for (int i = 0; i < k; i++) {
                test[rows[i]] = true;
            }
        }
        return test;
    }

    private static boolean[] byTime(Dataset data, String column, double fraction) {
        int c = data.schema().indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("split.time_column '" + column + "' is not a column of the data");
        }
        if (!data.schema().columns().get(c).type().isNumericStorage()) {
            throw new IllegalArgumentException("split.time_column '" + column + "' must be a timestamp or numeric column, it is "
                    + data.schema().columns().get(c).type().name().toLowerCase());
        }
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < data.rowCount(); r++) {
            rows.add(r);
        }
        // Missing times sort first, so they train rather than pose as the newest rows.
        rows.sort(Comparator.comparingDouble(r -> Double.isNaN(data.number(c, r)) ? Double.NEGATIVE_INFINITY : data.number(c, r)));
        int n = (int) Math.ceil(rows.size() * fraction);
        boolean[] test = new boolean[data.rowCount()];
        for (int i = rows.size() - n; i < rows.size(); i++) {
            test[rows.get(i)] = true;
        }
        return test;
    }
}
