package io.retrainer.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Named numbers, plus optional structured details (such as a confusion matrix) made of JSON-like
 * values: maps, lists, strings, numbers and booleans.
 *
 * @param values metric name to value, e.g. {@code accuracy -> 0.95}
 * @param details extra structured results, e.g. {@code confusion_matrix -> {labels, matrix}}
 */
public record Metrics(Map<String, Double> values, Map<String, Object> details) {
    /** Copies both maps, keeping insertion order. */
    public Metrics {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** No metrics. */
    public static Metrics empty() {
        return new Metrics(Map.of(), Map.of());
    }

    /** Metrics with values only. */
    public static Metrics of(Map<String, Double> values) {
        return new Metrics(values, Map.of());
    }

    /** The value of {@code name}, if present. */
    public Optional<Double> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** These metrics with {@code other}'s added (other wins on clashes). */
    public Metrics merge(Metrics other) {
        Map<String, Double> v = new LinkedHashMap<>(values);
        v.putAll(other.values);
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.putAll(other.details);
        return new Metrics(v, d);
    }
}
