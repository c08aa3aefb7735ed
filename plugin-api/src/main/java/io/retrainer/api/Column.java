package io.retrainer.api;

import java.util.Objects;

/**
 * A named, typed column of a {@link Schema}.
 *
 * @param name the column name as in the source
 * @param type the kind of values it holds
 */
public record Column(String name, ColumnType type) {
    /** Checks the components are present. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
    }
}
