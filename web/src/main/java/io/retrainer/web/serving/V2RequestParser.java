package io.retrainer.web.serving;

import io.retrainer.api.Column;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol inference request into rows of the model's input schema.
 * Inputs are either one tensor per column (named after the column, shape {@code [rows]} or
 * {@code [rows, 1]}), or one 2-D tensor {@code [rows, columns]} with the columns in the model's
 * input order. Numeric columns take FP, INT and UINT tensors; categorical and text columns take
 * BYTES (or INT, UINT and BOOL tensors, as their text). Every error names the tensor and the field:
 * {@code inputs[2].data: expected 12 values for shape [3,4], got 11}.
 */
final class V2RequestParser {
    /**
     * A parsed request.
     *
     * @param id the request id to echo, or {@code null}
     * @param rows the rows to predict
     * @param outputs the outputs asked for by name, or {@code null} for all
     */
    record Request(String id, Dataset rows, Set<String> outputs) {
    }

    private final Schema schema;
    private final List<Column> columns;
    private final List<String> outputNames;

    /** A parser for a model taking {@code inputSchema} and offering {@code outputNames}. */
    V2RequestParser(Schema inputSchema, List<String> outputNames) {
        this.schema = new Schema(inputSchema.columns(), null);
        this.columns = schema.columns();
        this.outputNames = outputNames;
    }

    /** Parses a request body; throws {@link IllegalArgumentException} naming the offending field. */
    Request parse(JsonObject body) {
        Object rawId = body.getValue("id");
        if (rawId != null && !(rawId instanceof String)) {
            throw new IllegalArgumentException("id: expected a string, got " + V2Json.show(rawId));
        }
        if (body.containsKey("parameters") && !(body.getValue("parameters") instanceof JsonObject)) {
            throw new IllegalArgumentException("parameters: expected an object, got " + V2Json.show(body.getValue("parameters")));
        }
        if (!body.containsKey("inputs")) {
            throw new IllegalArgumentException("inputs: missing; send a list of tensors, one per column "
                    + names() + " or one 2-D tensor [rows, " + columns.size() + "]");
        }
        JsonArray inputs = V2Json.array(body.getValue("inputs"), "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: empty; send one tensor per column " + names()
                    + " or one 2-D tensor [rows, " + columns.size() + "]");
        }
        long maxElements = (long) InferenceRequestParser.MAX_ROWS * Math.max(1, columns.size());
        List<V2Tensor> tensors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            V2Tensor t = V2Tensor.read(inputs.getValue(i), i, maxElements);
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException(t.path() + ".name: tensor \"" + t.name() + "\" appears twice");
            }
            tensors.add(t);
        }
        Dataset rows = tensors.stream().allMatch(t -> schema.indexOf(t.name()) >= 0) ? byColumn(tensors) : matrix(tensors);
        return new Request((String) rawId, rows, requestedOutputs(body));
    }

    private Dataset byColumn(List<V2Tensor> tensors) {
        V2Tensor[] byColumn = new V2Tensor[columns.size()];
        long rowCount = -1;
        V2Tensor first = null;
        for (V2Tensor t : tensors) {
            long[] shape = t.shape();
            if (shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
                throw new IllegalArgumentException(t.path() + ".shape: a column tensor must be [rows] or [rows,1], got "
                        + V2Tensor.shapeText(shape));
            }
            if (first != null && shape[0] != rowCount) {
                throw new IllegalArgumentException(t.path() + ".shape: " + shape[0] + " rows, but " + first.path() + " ("
                        + first.name() + ") has " + rowCount);
            }
            first = first == null ? t : first;
            rowCount = shape[0];
            int c = schema.indexOf(t.name());
            checkFits(t, columns.get(c));
            byColumn[c] = t;
        }
        for (int c = 0; c < columns.size(); c++) {
            if (byColumn[c] == null) {
                throw new IllegalArgumentException("inputs: no tensor for column '" + columns.get(c).name() + "'; the model takes "
                        + names());
            }
        }
        int n = checkRows(rowCount);
        Dataset.Builder b = Dataset.builder(schema);
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                values[c] = convert(byColumn[c].data().get(r), columns.get(c));
            }
            b.addRow(values);
        }
        return b.build();
    }

    private Dataset matrix(List<V2Tensor> tensors) {
        V2Tensor unknown = tensors.stream().filter(t -> schema.indexOf(t.name()) < 0).findFirst().orElseThrow();
        if (tensors.size() > 1 || unknown.shape().length != 2) {
            throw new IllegalArgumentException(unknown.path() + ".name: unknown column \"" + unknown.name() + "\"; the model takes "
                    + names() + " (one tensor each, or a single 2-D tensor [rows, " + columns.size() + "] in that order)");
        }
        long[] shape = unknown.shape();
        if (shape[1] != columns.size()) {
            throw new IllegalArgumentException(unknown.path() + ".shape: " + V2Tensor.shapeText(shape) + " has " + shape[1]
                    + " values per row; the model takes " + columns.size() + " columns in this order: " + names());
        }
        for (Column c : columns) {
            checkFits(unknown, c);
        }
        int n = checkRows(shape[0]);
        Dataset.Builder b = Dataset.builder(schema);
        int width = columns.size();
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[width];
            for (int c = 0; c < width; c++) {
                values[c] = convert(unknown.data().get(r * width + c), columns.get(c));
            }
            b.addRow(values);
        }
        return b.build();
    }

    /** A tensor's datatype must suit the column it fills. */
    private static void checkFits(V2Tensor t, Column c) {
        if (c.type().isNumericStorage()) {
            if (!t.isNumeric()) {
                throw new IllegalArgumentException(t.path() + ".datatype: " + t.datatype() + " cannot fill numeric column '"
                        + c.name() + "'; send FP32 or FP64");
            }
        } else if (t.datatype().startsWith("FP")) {
            throw new IllegalArgumentException(t.path() + ".datatype: " + t.datatype() + " cannot fill "
                    + c.type().name().toLowerCase(java.util.Locale.ROOT) + " column '" + c.name() + "'; send BYTES"
                    + (t.shape().length == 2 && t.shape()[1] > 1 ? " in a tensor of its own" : ""));
        }
    }

    private static Object convert(Object v, Column c) {
        if (v == null) {
            return null;
        }
        if (c.type().isNumericStorage()) {
            return ((Number) v).doubleValue();
        }
        return String.valueOf(v);
    }

    private static int checkRows(long n) {
        if (n == 0) {
            throw new IllegalArgumentException("inputs: no rows to predict");
        }
        if (n > InferenceRequestParser.MAX_ROWS) {
            throw new IllegalArgumentException("inputs: " + n + " rows is more than the " + InferenceRequestParser.MAX_ROWS
                    + " allowed in one request");
        }
        return (int) n;
    }

    private Set<String> requestedOutputs(JsonObject body) {
        if (!body.containsKey("outputs")) {
            return null;
        }
        JsonArray outs = V2Json.array(body.getValue("outputs"), "outputs");
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < outs.size(); i++) {
            String name = V2Json.string(V2Json.object(outs.getValue(i), "outputs[" + i + "]").getValue("name"),
                    "outputs[" + i + "].name");
            if (!outputNames.contains(name)) {
                throw new IllegalArgumentException("outputs[" + i + "].name: unknown output \"" + name + "\"; this model has "
                        + outputNames);
            }
            names.add(name);
        }
        return names;
    }

    private String names() {
        return columns.stream().map(Column::name).toList().toString();
    }
}
