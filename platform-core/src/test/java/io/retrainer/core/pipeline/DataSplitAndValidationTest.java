package io.retrainer.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSplitAndValidationTest {
    static final Schema SCHEMA = new Schema(List.of(new Column("t", ColumnType.TIMESTAMP), new Column("x", ColumnType.NUMERIC),
            new Column("y", ColumnType.CATEGORICAL)), "y");

    /** 100 rows: 80 of class a, 20 of class b, t = row index. */
    static Dataset data() {
        Dataset.Builder b = Dataset.builder(SCHEMA);
        for (int i = 0; i < 100; i++) {
            b.addRow((double) i, i % 10 == 0 ? null : (double) i, i < 80 ? "a" : "b");
        }
        return b.build();
    }

    static Settings split(Map<String, Object> raw) {
        return BuiltinStages.SPLIT.resolve(raw, "split");
    }

    @Test
    void holdoutIsStratifiedAndSeeded() {
        DataSplit.Parts p = DataSplit.split(data(), split(Map.of("test_fraction", 0.25)), 42);
        assertEquals(75, p.train().rowCount());
        assertEquals(25, p.holdout().rowCount());
        long bInHoldout = java.util.stream.IntStream.range(0, 25).filter(r -> p.holdout().labelString(r).equals("b")).count();
        assertEquals(5, bInHoldout, "20% of class b held out, like class a");
        DataSplit.Parts again = DataSplit.split(data(), split(Map.of("test_fraction", 0.25)), 42);
        assertEquals(p.holdout().number(0, 0), again.holdout().number(0, 0));
        DataSplit.Parts other = DataSplit.split(data(), split(Map.of("test_fraction", 0.25, "seed", 1)), 42);
        assertFalse(java.util.Arrays.equals(times(p.holdout()), times(other.holdout())));
    }

    @Test
    void timeSplitHoldsOutTheNewestRows() {
        DataSplit.Parts p = DataSplit.split(data(), split(Map.of("strategy", "time", "time_column", "t", "test_fraction", 0.1)), 42);
        assertEquals(10, p.holdout().rowCount());
        for (int r = 0; r < 10; r++) {
            assertTrue(p.holdout().number(0, r) >= 90);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                DataSplit.split(data(), split(Map.of("strategy", "time", "time_column", "y")), 42));
        assertEquals("split.time_column 'y' must be a timestamp or numeric column, it is categorical", e.getMessage());
    }

    @Test
    void validationReportsMissingValuesClassesAndSchemaDrift() {
        Settings strict = BuiltinStages.VALIDATE.resolve(Map.of("max_missing_fraction", 0.05), "validate");
        Schema production = new Schema(List.of(new Column("t", ColumnType.TIMESTAMP), new Column("x", ColumnType.CATEGORICAL),
                new Column("gone", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL)), "y");
        DataValidation.Report r = DataValidation.check(data(), strict, production);
        assertFalse(r.passed());
        assertEquals(List.of(
                "column 'x' was categorical in the production model's training data, is now numeric",
                "column 'gone' (numeric) of the production model's training data is missing",
                "column 'x' is 10.0% missing (limit 5.0%, validate.max_missing_fraction)"), r.problems());
        assertEquals(0.1, r.missingFractions().get("x"));
        assertEquals(2, r.classes());
        DataValidation.Report ok = DataValidation.check(data(), BuiltinStages.VALIDATE.resolve(Map.of(), "validate"), null);
        assertTrue(ok.passed(), ok.problems().toString());
    }

    private static double[] times(Dataset d) {
        double[] out = new double[d.rowCount()];
        for (int r = 0; r < out.length; r++) {
            out[r] = d.number(0, r);
        }
        return out;
    }
}
