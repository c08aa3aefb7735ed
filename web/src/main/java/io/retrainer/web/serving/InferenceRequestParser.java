package io.retrainer.web.serving;

import io.retrainer.api.Column;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an MLflow-style scoring request ({@code dataframe_split}, {@code dataframe_records},
 * {@code instances} or {@code inputs}) into rows of the model's input schema. Every error names
 * the field: {@code dataframe_records[2].mean_radius: expected a number, got "abc"}.
 */
public final class InferenceRequestParser {
    /** Rows accepted in one request. */
    public static final int MAX_ROWS = 10_000;
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private final Schema schema;
    private final List<Column> columns;

    /** A parser for a model taking {@code inputSchema}. */
    public InferenceRequestParser(Schema inputSchema) {
        // Stored input schemas carry no label; copy only when one does (this runs per request).
        this.schema = inputSchema.label() == null ? inputSchema : new Schema(inputSchema.columns(), null);
        this.columns = schema.columns();
    }

    /**
     * Parses a request body.
     *
     * @throws IllegalArgumentException with a message naming the offending field
     */
    public Dataset parse(JsonObject body) {
        Set<String> keys = new HashSet<>(body.fieldNames());
        List<String> given = FORMATS.stream().filter(keys::contains).toList();
        keys.removeAll(FORMATS);
        keys.remove("params");
        if (given.size() != 1 || !keys.isEmpty()) {
            throw new IllegalArgumentException("request must have exactly one of " + String.join(", ", FORMATS)
                    + "; got " + (body.fieldNames().isEmpty() ? "an empty object" : body.fieldNames()));
        }
        String format = given.get(0);
        Object payload = body.getValue(format);
        Dataset.Builder rows = Dataset.builder(schema);
        switch (format) {
            case "dataframe_split" -> split(object(payload, format), rows);
            case "dataframe_records" -> records(array(payload, format), format, rows);
            default -> {
                if (payload instanceof JsonObject columnar) {
                    columnar(columnar, format, rows);
                } else {
                    JsonArray list = array(payload, format);
                    if (!list.isEmpty() && list.getValue(0) instanceof JsonArray) {
                        positional(list, format, rows);
                    } else {
                        records(list, format, rows);
                    }
                }
            }
        }
        if (rows.size() == 0) {
            throw new IllegalArgumentException(format + ": no rows to predict");
        }
        return rows.build();
    }

    private void split(JsonObject split, Dataset.Builder rows) {
        JsonArray cols = array(split.getValue("columns"), "dataframe_split.columns");
        JsonArray data = array(split.getValue("data"), "dataframe_split.data");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (!(cols.getValue(i) instanceof String s)) {
                throw new IllegalArgumentException("dataframe_split.columns[" + i + "]: expected a column name, got " + show(cols.getValue(i)));
            }
            names.add(s);
        }
        int[] positions = positions(names, "dataframe_split.columns");
        checkSize(data.size(), "dataframe_split.data");
        for (int r = 0; r < data.size(); r++) {
            String path = "dataframe_split.data[" + r + "]";
            JsonArray row = array(data.getValue(r), path);
            if (row.size() != names.size()) {
                throw new IllegalArgumentException(path + ": has " + row.size() + " values for " + names.size() + " columns");
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < names.size(); i++) {
                values[positions[i]] = convert(row.getValue(i), positions[i], path + "." + names.get(i));
            }
            rows.addRow(values);
        }
    }

    private void records(JsonArray list, String format, Dataset.Builder rows) {
        checkSize(list.size(), format);
        for (int r = 0; r < list.size(); r++) {
            String path = format + "[" + r + "]";
            JsonObject record = object(list.getValue(r), path);
            Object[] values = new Object[columns.size()];
            for (String field : record.fieldNames()) {
                if (schema.indexOf(field) < 0) {
                    throw unknownColumn(path + "." + field);
                }
            }
            for (int c = 0; c < columns.size(); c++) {
                String name = columns.get(c).name();
                if (!record.containsKey(name)) {
                    throw new IllegalArgumentException(path + ": missing column '" + name + "'");
                }
                values[c] = convert(record.getValue(name), c, path + "." + name);
            }
            rows.addRow(values);
        }
    }

    private void positional(JsonArray list, String format, Dataset.Builder rows) {
        checkSize(list.size(), format);
        for (int r = 0; r < list.size(); r++) {
            String path = format + "[" + r + "]";
            JsonArray row = array(list.getValue(r), path);
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException(path + ": has " + row.size() + " values; the model takes " + columns.size()
                        + " columns in this order: " + names());
            }
            Object[] values = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                values[c] = convert(row.getValue(c), c, path + "[" + c + "] (" + columns.get(c).name() + ")");
            }
            rows.addRow(values);
        }
    }

    private void columnar(JsonObject cols, String format, Dataset.Builder rows) {
        for (String field : cols.fieldNames()) {
            if (schema.indexOf(field) < 0) {
                throw unknownColumn(format + "." + field);
            }
        }
        int n = -1;
        JsonArray[] data = new JsonArray[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).name();
            if (!cols.containsKey(name)) {
                throw new IllegalArgumentException(format + ": missing column '" + name + "'");
            }
            data[c] = array(cols.getValue(name), format + "." + name);
            if (n >= 0 && data[c].size() != n) {
                throw new IllegalArgumentException(format + "." + name + ": has " + data[c].size() + " values, other columns have " + n);
            }
            n = data[c].size();
        }
        checkSize(Math.max(n, 0), format);
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                values[c] = convert(data[c].getValue(r), c, format + "." + columns.get(c).name() + "[" + r + "]");
            }
            rows.addRow(values);
        }
    }

    private Object convert(Object v, int column, String path) {
        if (v == null) {
            return null;
        }
        Column c = columns.get(column);
        if (c.type().isNumericStorage()) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException(path + ": expected a number, got " + show(v));
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw new IllegalArgumentException(path + ": expected a string, got " + show(v));
    }

    private int[] positions(List<String> names, String path) {
        int[] out = new int[names.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (!seen.add(n)) {
                throw new IllegalArgumentException(path + "[" + i + "]: column '" + n + "' appears twice");
            }
            int idx = schema.indexOf(n);
            if (idx < 0) {
                throw unknownColumn(path + "[" + i + "] '" + n + "'");
            }
            out[i] = idx;
        }
        for (Column c : columns) {
            if (!seen.contains(c.name())) {
                throw new IllegalArgumentException(path + ": missing column '" + c.name() + "'");
            }
        }
        return out;
    }

    private IllegalArgumentException unknownColumn(String path) {
        return new IllegalArgumentException(path + ": unknown column; the model takes " + names());
    }

    private String names() {
        return columns.stream().map(Column::name).toList().toString();
    }

    private static void checkSize(int n, String path) {
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException(path + ": " + n + " rows is more than the " + MAX_ROWS + " allowed in one request");
        }
    }

    private static JsonArray array(Object v, String path) {
        if (v instanceof JsonArray a) {
            return a;
        }
        if (v instanceof List<?> l) {
            return new JsonArray(new ArrayList<>(l));
        }
        throw new IllegalArgumentException(path + ": expected a list, got " + show(v));
    }

    @SuppressWarnings("unchecked")
    private static JsonObject object(Object v, String path) {
        if (v instanceof JsonObject o) {
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            return new JsonObject((Map<String, Object>) m);
        }
        throw new IllegalArgumentException(path + ": expected an object, got " + show(v));
    }

    private static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof JsonObject || v instanceof Map) {
            return "an object";
        }
        if (v instanceof JsonArray || v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }
}
