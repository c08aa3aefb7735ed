package io.retrainer.api;

/** The type of one setting in a {@link ConfigSpec}. */
public enum SettingType {
    /** Text. */
    STRING("string"),
    /** A whole number (long range). */
    INTEGER("integer"),
    /** A real number. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** A duration such as {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 2d}; a bare number is seconds. */
    DURATION("duration"),
    /** A list of strings. */
    STRING_LIST("list of strings"),
    /** A list of numbers. */
    NUMBER_LIST("list of numbers");

    private final String label;

    SettingType(String label) {
        this.label = label;
    }

    /** How the type is named in messages and in the console. */
    public String label() {
        return label;
    }
}
