package io.retrainer.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a {@link Dataset} and which of them is the label.
 *
 * @param columns the columns in order, names unique
 * @param label the label column's name, or {@code null} for unlabelled data (for example inputs to a predictor)
 */
public record Schema(List<Column> columns, String label) {

    /** Copies the column list and checks names are unique and the label exists. */
    public Schema {
        columns = List.copyOf(columns);
        Map<String, Column> seen = new LinkedHashMap<>();
        for (Column c : columns) {
            if (seen.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate column name '" + c.name() + "'");
            }
        }
        if (label != null && !seen.containsKey(label)) {
            throw new IllegalArgumentException("label column '" + label + "' is not among the columns " + seen.keySet());
        }
    }

    /** The column called {@code name}, if any. */
    public Optional<Column> column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The position of column {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The columns other than the label: what a predictor takes as input. */
    public List<Column> features() {
        List<Column> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            if (!c.name().equals(label)) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The task implied by the label's type; empty for unlabelled data. */
    public Optional<Task> task() {
        if (label == null) {
            return Optional.empty();
        }
        ColumnType t = column(label).orElseThrow().type();
        return Optional.of(t == ColumnType.NUMERIC ? Task.REGRESSION : Task.CLASSIFICATION);
    }

    /** This schema without a label: the input schema of a model trained on it. */
    public Schema withoutLabel() {
        return new Schema(features(), null);
    }
}
