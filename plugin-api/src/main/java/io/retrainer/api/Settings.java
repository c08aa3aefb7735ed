package io.retrainer.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's validated settings with defaults filled in, typed by its {@link ConfigSpec}:
 * strings as {@code String}, integers as {@code Long}, numbers as {@code Double}, durations as
 * {@link Duration}, lists as {@code List}.
 *
 * @param values setting name to typed value
 */
public record Settings(Map<String, Object> values) {
    /** Copies the map. */
    public Settings {
        values = Map.copyOf(values);
    }

    /** No settings. */
    public static Settings empty() {
        return new Settings(Map.of());
    }

    /** Whether {@code name} has a value (given or default). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A string setting, or empty. */
    public Optional<String> string(String name) {
        return Optional.ofNullable((String) values.get(name));
    }

    /** A string setting that must be present. */
    public String requireString(String name) {
        return string(name).orElseThrow(() -> missing(name));
    }

    /** An integer setting that must be present (given or defaulted). */
    public long integer(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw missing(name);
        }
        return ((Number) v).longValue();
    }

    /** A number setting that must be present. */
    public double number(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw missing(name);
        }
        return ((Number) v).doubleValue();
    }

    /** A boolean setting that must be present. */
    public boolean bool(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw missing(name);
        }
        return (Boolean) v;
    }

    /** A duration setting that must be present. */
    public Duration duration(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw missing(name);
        }
        return (Duration) v;
    }

    /** A list setting, or an empty list. */
    @SuppressWarnings("unchecked")
    public <T> List<T> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<T>) v;
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("setting '" + name + "' has no value and no default");
    }
}
