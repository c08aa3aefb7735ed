package io.retrainer.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings an extension accepts. The console renders a form from it and the host validates
 * every pipeline against it before saving and before a run, reporting each problem by path.
 *
 * <pre>{@code
 * ConfigSpec.builder()
 *     .required("path", SettingType.STRING, "CSV file to read")
 *     .optional("delimiter", SettingType.STRING, ",", "Field separator")
 *     .choice("task", "auto", List.of("auto", "classification", "regression"), "What the label is")
 *     .build();
 * }</pre>
 *
 * @param settings the settings in display order
 */
public record ConfigSpec(List<SettingSpec> settings) {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    /** Copies the list. */
    public ConfigSpec {
        settings = List.copyOf(settings);
    }

    /** A spec with no settings. */
    public static ConfigSpec empty() {
        return new ConfigSpec(List.of());
    }

    /** Starts a spec. */
    public static Builder builder() {
        return new Builder();
    }

    /** The setting called {@code name}, if declared. */
    public Optional<SettingSpec> setting(String name) {
        return settings.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Checks raw values (as parsed from YAML or JSON) against this spec.
     *
     * @param raw the {@code config} map; {@code null} means empty
     * @param path where the map sits in the pipeline, e.g. {@code train.config}, used as message prefix
     * @return one message per problem, like {@code train.config.rounds: expected integer, got "ten"}; empty if valid
     */
    public List<String> validate(Map<String, ?> raw, String path) {
        List<String> problems = new ArrayList<>();
        Map<String, ?> values = raw == null ? Map.of() : raw;
        for (String key : values.keySet()) {
            if (setting(key).isEmpty()) {
                problems.add(path + "." + key + ": unknown setting" + knownNames());
            }
        }
        for (SettingSpec s : settings) {
            Object v = values.get(s.name());
            if (v == null) {
                if (s.required()) {
                    problems.add(path + "." + s.name() + ": required " + s.type().label() + " is missing");
                }
                continue;
            }
            try {
                Object converted = convert(s, v);
                if (!s.allowedValues().isEmpty() && !s.allowedValues().contains(String.valueOf(converted))) {
                    problems.add(path + "." + s.name() + ": " + quote(v) + " is not one of " + s.allowedValues());
                }
            } catch (IllegalArgumentException e) {
                problems.add(path + "." + s.name() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Turns raw values into typed {@link Settings}, defaults filled in.
     *
     * @throws IllegalArgumentException listing every problem if {@link #validate} finds any
     */
    public Settings resolve(Map<String, ?> raw, String path) {
        List<String> problems = validate(raw, path);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (SettingSpec s : settings) {
            Object v = raw == null ? null : raw.get(s.name());
            Object value = v == null ? s.defaultValue() : convert(s, v);
            if (value != null) {
                out.put(s.name(), value);
            }
        }
        return new Settings(out);
    }

    private String knownNames() {
        if (settings.isEmpty()) {
            return " (this plugin takes no settings)";
        }
        List<String> names = new ArrayList<>();
        settings.forEach(s -> names.add(s.name()));
        return " (known: " + String.join(", ", names) + ")";
    }

    /** Converts a raw value to the setting's Java type or throws with "expected X, got Y". */
    static Object convert(SettingSpec s, Object v) {
        switch (s.type()) {
            case STRING:
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    return String.valueOf(v);
                }
                throw expected(s.type(), v);
            case INTEGER:
                if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).longValue();
                }
                if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return n.longValue();
                }
                throw expected(s.type(), v);
            case NUMBER:
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
                throw expected(s.type(), v);
            case BOOLEAN:
                if (v instanceof Boolean) {
                    return v;
                }
                throw expected(s.type(), v);
            case DURATION:
                return parseDuration(v);
            case STRING_LIST:
                if (v instanceof List<?> list) {
                    List<String> out = new ArrayList<>();
                    for (Object o : list) {
                        if (!(o instanceof String || o instanceof Number || o instanceof Boolean)) {
                            throw expected(s.type(), v);
                        }
                        out.add(String.valueOf(o));
                    }
                    return Collections.unmodifiableList(out);
                }
                if (v instanceof String str) {
                    return Arrays.stream(str.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
                }
                throw expected(s.type(), v);
            case NUMBER_LIST:
                if (v instanceof List<?> list) {
                    List<Double> out = new ArrayList<>();
                    for (Object o : list) {
                        if (!(o instanceof Number n)) {
                            throw expected(s.type(), v);
                        }
                        out.add(n.doubleValue());
                    }
                    return Collections.unmodifiableList(out);
                }
                throw expected(s.type(), v);
            default:
                throw new IllegalStateException("unhandled type " + s.type());
        }
    }

    /** Parses {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 2d}, or a number of seconds. */
    public static Duration parseDuration(Object v) {
        if (v instanceof Number n) {
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        if (v instanceof String str) {
            Matcher m = DURATION.matcher(str.trim());
            if (m.matches()) {
                double amount = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double millis = switch (unit) {
                    case "ms" -> amount;
                    case "s" -> amount * 1000;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    default -> amount * 86_400_000;
                };
                return Duration.ofMillis(Math.round(millis));
            }
        }
        throw new IllegalArgumentException("expected duration (like 500ms, 60s, 5m, 1h, 2d), got " + quote(v));
    }

    private static IllegalArgumentException expected(SettingType t, Object v) {
        return new IllegalArgumentException("expected " + t.label() + ", got " + quote(v));
    }

    private static String quote(Object v) {
        if (v instanceof String) {
            return "\"" + v + "\"";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list " + v;
        }
        return String.valueOf(v);
    }

    /** Collects {@link SettingSpec}s. */
    public static final class Builder {
        private final List<SettingSpec> settings = new ArrayList<>();

        private Builder() {
        }

        /** A setting that must be given. */
        public Builder required(String name, SettingType type, String help) {
            settings.add(new SettingSpec(name, type, null, true, List.of(), help));
            return this;
        }

        /** A setting with a default ({@code null} for "absent unless given"). */
        public Builder optional(String name, SettingType type, Object defaultValue, String help) {
            Object def = defaultValue;
            if (defaultValue != null) {
                def = convert(new SettingSpec(name, type, null, false, List.of(), help), defaultValue);
            }
            settings.add(new SettingSpec(name, type, def, false, List.of(), help));
            return this;
        }

        /** A string setting restricted to {@code allowed}, with a default among them. */
        public Builder choice(String name, String defaultValue, List<String> allowed, String help) {
            settings.add(new SettingSpec(name, SettingType.STRING, defaultValue, false, allowed, help));
            return this;
        }

        /** Builds the spec. */
        public ConfigSpec build() {
            return new ConfigSpec(settings);
        }
    }
}
