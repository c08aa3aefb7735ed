package io.retrainer.core.pipeline;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The recent part of the loaded data a run trains on (top-level {@code window} key), applied right
 * after the source loads, before validation. One of:
 * <ul>
 *   <li>{@code { last_rows: 15000 }}: the last rows in the source's order (a stream appended to);</li>
 *   <li>{@code { column: t, newer_than: 7d }}: rows whose timestamp column is within that time of now;</li>
 *   <li>{@code { column: t, last: 15000 }}: the rows with the largest values of a numeric or timestamp column.</li>
 * </ul>
 * Kept rows stay in the source's order. Rows with a missing value in the column are dropped.
 *
 * @param lastRows for {@code last_rows}, else {@code null}
 * @param column the ordering column, or {@code null} for {@code last_rows}
 * @param newerThan for {@code newer_than}, else {@code null}
 * @param last for {@code last}, else {@code null}
 */
public record DataWindow(Integer lastRows, String column, Duration newerThan, Integer last) {

    /**
     * What applying a window did.
     *
     * @param data the kept rows, in the source's order
     * @param message what was kept, for the stage log
     */
    public record Applied(Dataset data, String message) {
    }

    /** The settings as written, for lineage and messages. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (lastRows != null) {
            m.put("last_rows", lastRows);
        } else {
            m.put("column", column);
            if (newerThan != null) {
                m.put("newer_than", TriggerSpec.formatDuration(newerThan));
            } else {
                m.put("last", last);
            }
        }
        return m;
    }

    /** "last_rows 15000", "column t newer than 7d", "the 15000 rows with the largest t". */
    public String describe() {
        if (lastRows != null) {
            return "last_rows " + lastRows;
        }
        return newerThan != null ? "rows with " + column + " newer than " + TriggerSpec.formatDuration(newerThan)
                : "the " + last + " rows with the largest " + column;
    }

    /**
     * Keeps the rows of {@code data} inside this window.
     *
     * @param now the time {@code newer_than} counts back from
     * @throws IllegalArgumentException when the column is missing or has the wrong type
     */
    public Applied apply(Dataset data, Instant now) {
        int n = data.rowCount();
        if (lastRows != null) {
            int keep = Math.min(lastRows, n);
            int[] rows = IntStream.range(n - keep, n).toArray();
            return new Applied(keep == n ? data : data.rows(rows), "window " + describe() + ": kept the last " + keep
                    + " of " + n + " rows");
        }
        int c = data.schema().indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("window.column: the data has no column '" + column + "' (columns: "
                    + String.join(", ", data.schema().columns().stream().map(Column::name).toList()) + ")");
        }
        ColumnType type = data.schema().columns().get(c).type();
        if (newerThan != null) {
            if (type != ColumnType.TIMESTAMP) {
                throw new IllegalArgumentException("window.column: '" + column + "' is " + type.name().toLowerCase()
                        + ", but newer_than needs a timestamp column (for csv, list it in timestamp_columns)");
            }
            double from = now.minus(newerThan).toEpochMilli();
            int[] rows = IntStream.range(0, n).filter(r -> data.number(c, r) > from).toArray();
            return new Applied(data.rows(rows), "window " + describe() + " (after " + Instant.ofEpochMilli((long) from)
                    + "): kept " + rows.length + " of " + n + " rows");
        }
        if (type != ColumnType.NUMERIC && type != ColumnType.TIMESTAMP) {
            throw new IllegalArgumentException("window.column: '" + column + "' is " + type.name().toLowerCase()
                    + ", but last needs a numeric or timestamp column");
        }
        // Newest first by value, later rows first among equal values; then back to source order.
        Integer[] order = IntStream.range(0, n).filter(r -> !Double.isNaN(data.number(c, r))).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> {
            int byValue = Double.compare(data.number(c, b), data.number(c, a));
            return byValue != 0 ? byValue : Integer.compare(b, a);
        });
        int[] rows = Arrays.stream(order, 0, Math.min(last, order.length)).mapToInt(Integer::intValue).sorted().toArray();
        String range = rows.length == 0 ? "" : " (" + column + " from " + TriggerSpec.formatNumber(data.number(c, order[rows.length - 1]))
                + " to " + TriggerSpec.formatNumber(data.number(c, order[0])) + ")";
        return new Applied(data.rows(rows), "window " + describe() + ": kept " + rows.length + " of " + n + " rows" + range);
    }

    /**
     * Applies the pipeline's window, if it has one, to freshly loaded data: logs what was kept and
     * records the window in the lineage settings.
     */
    static Dataset apply(DataWindow window, Dataset data, HostStageContext ctx, Map<String, Object> lineageSettings)
            throws StageFailure {
        if (window == null) {
            return data;
        }
        Applied applied;
        try {
            applied = window.apply(data, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new StageFailure(e.getMessage());
        }
        ctx.append("INFO", applied.message());
        lineageSettings.put("window", window.settings());
        return applied.data();
    }
}
