package io.retrainer.api;

import java.util.List;
import java.util.Objects;

/**
 * One setting an extension accepts.
 *
 * @param name the key in the pipeline's {@code config} map
 * @param type the value's type
 * @param defaultValue the value used when absent (already of the right type), or {@code null}
 * @param required whether a value must be given (a required setting has no default)
 * @param allowedValues the only values accepted, as strings; empty for any
 * @param help one sentence for the console form
 */
public record SettingSpec(String name, SettingType type, Object defaultValue, boolean required,
                          List<String> allowedValues, String help) {
    /** Checks presence and copies the allowed values. */
    public SettingSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        help = help == null ? "" : help;
    }
}
