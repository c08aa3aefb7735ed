package io.retrainer.plugins.slicemetrics;

import io.retrainer.api.Column;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled holdout rows grouped by the value of one column: the {@code maxSlices} largest
 * groups, largest first (ties by value). A missing value is a slice of its own, {@value #MISSING}.
 */
final class Slices {
    static final String MISSING = "(missing)";

    /** @param value the column's value; @param rows positions in the holdout */
    record Slice(String value, int[] rows) {
    }

    private Slices() {
    }

    static List<Slice> of(Dataset holdout, String columnName, long maxSlices, StageLog log) {
        int column = holdout.schema().indexOf(columnName);
        if (column < 0 || columnName.equals(holdout.schema().label())) {
            throw new IllegalArgumentException(SliceMetricsEvaluator.ID + ": column '" + columnName
                    + "' is not a feature column of the holdout (columns: "
                    + String.join(", ", holdout.schema().features().stream().map(Column::name).toList()) + ")");
        }
        boolean numeric = holdout.schema().columns().get(column).type().isNumericStorage();
        int label = holdout.labelIndex();
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int r = 0; r < holdout.rowCount(); r++) {
            if (!holdout.isMissing(label, r)) {
                groups.computeIfAbsent(render(holdout, column, r, numeric), k -> new ArrayList<>()).add(r);
            }
        }
        List<Slice> all = groups.entrySet().stream()
                .sorted(Map.Entry.<String, List<Integer>>comparingByValue((a, b) -> Integer.compare(b.size(), a.size()))
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new Slice(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray()))
                .toList();
        if (all.size() > maxSlices) {
            int rows = all.subList((int) maxSlices, all.size()).stream().mapToInt(s -> s.rows().length).sum();
            log.warn("column '" + columnName + "' has " + all.size() + " values; the " + (all.size() - maxSlices)
                    + " smallest slices (" + rows + " rows) are beyond max_slices " + maxSlices + " and not reported");
            return all.subList(0, (int) maxSlices);
        }
        return all;
    }

    /** A value as the slice's name; whole numbers without a decimal point, as a CSV would write them. */
    private static String render(Dataset data, int column, int row, boolean numeric) {
        if (data.isMissing(column, row)) {
            return MISSING;
        }
        if (!numeric) {
            return data.string(column, row);
        }
        double v = data.number(column, row);
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
