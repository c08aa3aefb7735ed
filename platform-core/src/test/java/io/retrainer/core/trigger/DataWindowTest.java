package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.core.pipeline.DataWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The recent-data window a retraining run uses. */
class DataWindowTest {
    static final Instant NOW = Instant.parse("2026-05-10T00:00:00Z");

    /** Rows i = 0..9: t = i (ordering number), at = NOW - (10 - i) days, label alternating. */
    static Dataset data() {
        Dataset.Builder b = Dataset.builder(new Schema(List.of(new Column("t", ColumnType.NUMERIC),
                new Column("at", ColumnType.TIMESTAMP), new Column("c", ColumnType.CATEGORICAL),
                new Column("y", ColumnType.CATEGORICAL)), "y"));
        // t is shuffled against the row order, so "largest t" differs from "last rows".
        double[] t = {5, 1, 9, 3, 7, 0, 8, 2, 6, 4};
        for (int i = 0; i < 10; i++) {
            b.addRow(t[i], (double) NOW.minus(Duration.ofDays(10 - i)).toEpochMilli(), "c" + i, i % 2 == 0 ? "a" : "b");
        }
        return b.fingerprint("fp").build();
    }

    static double[] column(Dataset d, int c) {
        return IntStream.range(0, d.rowCount()).mapToDouble(r -> d.number(c, r)).toArray();
    }

    @Test
    void lastRowsKeepsTheTailInOrder() {
        DataWindow.Applied a = new DataWindow(3, null, null, null).apply(data(), NOW);
        assertArrayEquals(new double[] {2, 6, 4}, column(a.data(), 0));
        assertEquals("c9", a.data().string(2, 2));
        assertEquals("fp", a.data().fingerprint());
        assertEquals("window last_rows 3: kept the last 3 of 10 rows", a.message());
        Dataset all = data();
        assertSame(all, new DataWindow(50, null, null, null).apply(all, NOW).data(), "a window wider than the data keeps it whole");
    }

    @Test
    void newerThanCountsBackFromNowOnATimestampColumn() {
        DataWindow.Applied a = new DataWindow(null, "at", Duration.ofDays(3), null).apply(data(), NOW);
        // Rows 8 and 9 are 2 and 1 days old; row 7 is exactly 3 days old and is not newer.
        assertArrayEquals(new double[] {6, 4}, column(a.data(), 0));
        assertEquals("window rows with at newer than 3d (after 2026-05-07T00:00:00Z): kept 2 of 10 rows", a.message());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataWindow(null, "t", Duration.ofDays(3), null).apply(data(), NOW));
        assertEquals("window.column: 't' is numeric, but newer_than needs a timestamp column (for csv, list it in timestamp_columns)",
                e.getMessage());
    }

    @Test
    void lastByColumnKeepsTheLargestValuesInSourceOrder() {
        DataWindow.Applied a = new DataWindow(null, "t", null, 4).apply(data(), NOW);
        assertArrayEquals(new double[] {9, 7, 8, 6}, column(a.data(), 0));
        assertEquals("window the 4 rows with the largest t: kept 4 of 10 rows (t from 6 to 9)", a.message());
        assertEquals("window.column: the data has no column 'when' (columns: t, at, c, y)",
                assertThrows(IllegalArgumentException.class, () -> new DataWindow(null, "when", null, 4).apply(data(), NOW)).getMessage());
        assertEquals("window.column: 'c' is categorical, but last needs a numeric or timestamp column",
                assertThrows(IllegalArgumentException.class, () -> new DataWindow(null, "c", null, 4).apply(data(), NOW)).getMessage());
    }
}
