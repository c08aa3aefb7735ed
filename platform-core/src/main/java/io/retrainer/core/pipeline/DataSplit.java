package io.retrainer.core.pipeline;

import io.retrainer.api.Dataset;
import io.retrainer.api.Settings;
import io.retrainer.api.Task;
import java.util.ArrayList;
import java.util.Collections;
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
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> testRows = new ArrayList<>();
        for (int r = 0; r < data.rowCount(); r++) {
            (test[r] ? testRows : trainRows).add(r);
        }
        if (trainRows.isEmpty() || testRows.isEmpty()) {
            throw new IllegalArgumentException("split of " + data.rowCount() + " rows with test_fraction " + fraction
                    + " leaves " + trainRows.size() + " training and " + testRows.size() + " holdout rows; both must be non-empty");
        }
        return new Parts(data.rows(toArray(trainRows)), data.rows(toArray(testRows)));
    }

    private static boolean[] holdout(Dataset data, double fraction, Random random) {
        Map<String, List<Integer>> strata = new LinkedHashMap<>();
        boolean classification = data.schema().task().orElse(Task.REGRESSION) == Task.CLASSIFICATION;
        for (int r = 0; r < data.rowCount(); r++) {
            String key = classification ? String.valueOf(data.labelString(r)) : "";
            strata.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        boolean[] test = new boolean[data.rowCount()];
        for (List<Integer> rows : strata.values()) {
            Collections.shuffle(rows, random);
            int n = (int) Math.round(rows.size() * fraction);
            if (n == 0 && rows.size() >= 2) {
                n = 1;
            }
            for (int i = 0; i < n; i++) {
                test[rows.get(i)] = true;
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

    private static int[] toArray(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }
}
