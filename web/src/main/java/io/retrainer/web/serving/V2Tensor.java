package io.retrainer.web.serving;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One input tensor of an Open Inference Protocol request, checked against the spec: a name, a
 * shape of non-negative sizes, a known datatype, and {@code data} (flat or nested row-major)
 * whose element count is the product of the shape and whose every element fits the datatype.
 * {@code null} elements are accepted as missing values (an extension: JSON has no NaN).
 *
 * @param name the tensor name
 * @param datatype the datatype (BOOL, UINT8-64, INT8-64, FP16, FP32, FP64, BYTES)
 * @param shape the shape
 * @param data the elements, flattened row-major: {@link Double}, {@link Long}, {@link Boolean}, {@link String} or {@code null}
 * @param path where the tensor sits in the request, for messages ({@code inputs[2]})
 */
record V2Tensor(String name, String datatype, long[] shape, List<Object> data, String path) {
    /** The datatypes of the protocol. */
    static final List<String> DATATYPES = List.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32",
            "INT64", "FP16", "FP32", "FP64", "BYTES");

    /**
     * Reads and checks {@code inputs[index]}.
     *
     * @param maxElements the most elements accepted (bounds the work a request can cause)
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static V2Tensor read(Object value, int index, long maxElements) {
        String path = "inputs[" + index + "]";
        JsonObject t = V2Json.object(value, path);
        String name = V2Json.string(t.getValue("name"), path + ".name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(path + ".name: must not be empty");
        }
        String datatype = V2Json.string(t.getValue("datatype"), path + ".datatype");
        if (!DATATYPES.contains(datatype)) {
            throw new IllegalArgumentException(path + ".datatype: unknown datatype \"" + datatype + "\" (known: "
                    + String.join(", ", DATATYPES) + ")");
        }
        JsonArray shapeJson = V2Json.array(t.getValue("shape"), path + ".shape");
        if (shapeJson.isEmpty()) {
            throw new IllegalArgumentException(path + ".shape: must have at least one dimension");
        }
        long[] shape = new long[shapeJson.size()];
        long expected = 1;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeJson.getValue(i);
            if (!(d instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                    || n.doubleValue() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(path + ".shape[" + i + "]: expected a non-negative whole number, got "
                        + V2Json.show(d));
            }
            shape[i] = n.longValue();
            empty |= shape[i] == 0;
            // Saturate instead of overflowing: anything above the limit is refused below anyway.
            expected = Math.min(expected * shape[i], maxElements + 1);
        }
        if (empty) {
            expected = 0;
        }
        if (expected > maxElements) {
            throw new IllegalArgumentException(path + ".shape: " + shapeText(shape) + " is more than the " + maxElements
                    + " values allowed in one request");
        }
        if (!t.containsKey("data")) {
            throw new IllegalArgumentException(path + ".data: missing");
        }
        List<Object> flat = new ArrayList<>((int) expected);
        flatten(t.getValue("data"), datatype, path + ".data", flat, maxElements);
        if (flat.size() != expected) {
            throw new IllegalArgumentException(path + ".data: expected " + expected + " values for shape " + shapeText(shape)
                    + ", got " + flat.size());
        }
        if (t.containsKey("parameters") && !(t.getValue("parameters") instanceof JsonObject)) {
            throw new IllegalArgumentException(path + ".parameters: expected an object, got " + V2Json.show(t.getValue("parameters")));
        }
        return new V2Tensor(name, datatype, shape, flat, path);
    }

    /** The shape as the protocol writes it: {@code [3,4]}. */
    static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return b.append(']').toString();
    }

    /** Whether the datatype holds numbers (integers or floating point). */
    boolean isNumeric() {
        return datatype.startsWith("FP") || datatype.startsWith("INT") || datatype.startsWith("UINT");
    }

    private static void flatten(Object v, String datatype, String path, List<Object> out, long maxElements) {
        if (v instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                flatten(a.getValue(i), datatype, path, out, maxElements);
            }
            return;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                flatten(o, datatype, path, out, maxElements);
            }
            return;
        }
        if (v instanceof JsonObject || v instanceof Map) {
            throw new IllegalArgumentException(path + "[" + out.size() + "]: expected " + datatype + " values, got an object");
        }
        if (out.size() >= maxElements) {
            throw new IllegalArgumentException(path + ": more than the " + maxElements + " values allowed in one request");
        }
        out.add(element(v, datatype, path + "[" + out.size() + "]"));
    }

    private static Object element(Object v, String datatype, String path) {
        if (v == null) {
            return null;
        }
        switch (datatype) {
            case "BOOL" -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw new IllegalArgumentException(path + ": expected BOOL (true or false), got " + V2Json.show(v));
            }
            case "BYTES" -> {
                if (v instanceof String) {
                    return v;
                }
                throw new IllegalArgumentException(path + ": expected BYTES (a string), got " + V2Json.show(v));
            }
            case "FP16", "FP32", "FP64" -> {
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
                throw new IllegalArgumentException(path + ": expected " + datatype + " (a number), got " + V2Json.show(v));
            }
            default -> {
                if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && inRange(n.doubleValue(), datatype)) {
                    return n.longValue();
                }
                throw new IllegalArgumentException(path + ": expected " + datatype + " (a whole number"
                        + (datatype.startsWith("U") ? " >= 0" : "") + " in range), got " + V2Json.show(v));
            }
        }
    }

    private static boolean inRange(double d, String datatype) {
        int bits = Integer.parseInt(datatype.replaceAll("\\D", ""));
        if (datatype.startsWith("U")) {
            return d >= 0 && d <= Math.pow(2, bits) - 1;
        }
        return d >= -Math.pow(2, bits - 1) && d <= Math.pow(2, bits - 1) - 1;
    }
}
