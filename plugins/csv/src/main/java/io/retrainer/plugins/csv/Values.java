package io.retrainer.plugins.csv;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/** How cell text becomes a value: missing-value tokens, numbers and timestamps. */
final class Values {
    private static final Set<String> MISSING = Set.of("", "na", "nan", "null", "?");

    private Values() {
    }

    /** Whether {@code raw} stands for a missing value (empty, NA, NaN, null or ?, any case). */
    static boolean isMissing(String raw) {
        return MISSING.contains(raw.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Parses a number, or returns {@code NaN} when {@code raw} is not one.
     * Java's own suffixes ({@code 5d}, {@code 2f}) are refused: in a CSV they are codes, not numbers.
     */
    static double parseNumber(String raw) {
        String s = raw.trim();
        if (s.isEmpty() || Character.isLetter(s.charAt(s.length() - 1)) && !s.endsWith("Infinity")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Parses epoch milliseconds, an ISO-8601 instant or offset date-time, a local date-time or a date
     * (the last two taken as UTC).
     *
     * @return epoch milliseconds
     * @throws IllegalArgumentException if {@code raw} is none of these
     */
    static double parseTimestamp(String raw) {
        String s = raw.trim();
        if (s.matches("-?\\d+")) {
            return Long.parseLong(s);
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + raw + "' is not a timestamp (expected ISO-8601 such as "
                            + Instant.EPOCH + ", 2024-05-01T12:00:00, 2024-05-01, or epoch milliseconds)");
                }
            }
        }
    }
}
