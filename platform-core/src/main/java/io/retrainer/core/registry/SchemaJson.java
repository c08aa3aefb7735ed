package io.retrainer.core.registry;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts a {@link Schema} to and from the JSON-like maps stored with model versions. */
public final class SchemaJson {
    private SchemaJson() {
    }

    /** {@code {"columns":[{"name":"x","type":"numeric"}],"label":"y"}}. */
    public static Map<String, Object> toMap(Schema schema) {
        List<Map<String, Object>> cols = new ArrayList<>();
        for (Column c : schema.columns()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("type", c.type().name().toLowerCase());
            cols.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", cols);
        out.put("label", schema.label());
        return out;
    }

    /** The inverse of {@link #toMap(Schema)}. */
    @SuppressWarnings("unchecked")
    public static Schema fromMap(Map<String, Object> map) {
        List<Column> cols = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) map.getOrDefault("columns", List.of())) {
            cols.add(new Column((String) c.get("name"), ColumnType.valueOf(((String) c.get("type")).toUpperCase())));
        }
        return new Schema(cols, (String) map.get("label"));
    }
}
