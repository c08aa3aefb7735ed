package io.retrainer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private final Schema schema = new Schema(List.of(
            new Column("x", ColumnType.NUMERIC), new Column("c", ColumnType.CATEGORICAL),
            new Column("y", ColumnType.CATEGORICAL)), "y");

    @Test
    void growsPastInitialCapacityAndSelectsRows() {
        Dataset.Builder b = Dataset.builder(schema);
        for (int i = 0; i < 100; i++) {
            b.addRow(i, i % 2 == 0 ? "even" : null, i < 50 ? "a" : "b");
        }
        Dataset d = b.fingerprint("f").build();
        assertEquals(100, d.rowCount());
        assertEquals(99.0, d.number(0, 99));
        assertNull(d.string(1, 1));
        assertTrue(d.isMissing(1, 1));
        Dataset sub = d.rows(new int[] {99, 0});
        assertEquals(2, sub.rowCount());
        assertEquals("b", sub.labelString(0));
        assertEquals("a", sub.labelString(1));
        assertEquals("f", sub.fingerprint());
    }

    @Test
    void refusesWrongTypesAndWidth() {
        Dataset.Builder b = Dataset.builder(schema);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.addRow("one", "x", "a"));
        assertEquals("column 'x' expects a number, got String one", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.addRow(1.0, "x"));
    }

    @Test
    void schemaDerivesTaskAndFeatures() {
        assertEquals(Task.CLASSIFICATION, schema.task().orElseThrow());
        assertEquals(List.of("x", "c"), schema.features().stream().map(Column::name).toList());
        assertThrows(IllegalArgumentException.class, () -> new Schema(List.of(new Column("a", ColumnType.NUMERIC)), "b"));
    }
}
