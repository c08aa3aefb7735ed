package io.retrainer.web.serving;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to request JSON for the Open Inference Protocol, with messages naming the field. */
final class V2Json {
    private V2Json() {
    }

    @SuppressWarnings("unchecked")
    static JsonObject object(Object v, String path) {
        if (v instanceof JsonObject o) {
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            return new JsonObject((Map<String, Object>) m);
        }
        throw new IllegalArgumentException(path + ": expected an object, got " + show(v));
    }

    static JsonArray array(Object v, String path) {
        if (v instanceof JsonArray a) {
            return a;
        }
        if (v instanceof List<?> l) {
            return new JsonArray(new ArrayList<>(l));
        }
        throw new IllegalArgumentException(path + ": expected a list, got " + show(v));
    }

    static String string(Object v, String path) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(path + ": expected a string, got " + (v == null ? "nothing" : show(v)));
    }

    /** A value as a message shows it: strings quoted, containers named. */
    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
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
