package io.retrainer.plugins.csv;

import java.util.HashSet;
import java.util.Set;

/** What the first pass learns about one column's values, to choose its type. */
final class ColumnProfile {
    /** A numeric label with at most this many distinct whole numbers is taken as class codes. */
    static final int MAX_CLASS_CODES = 20;

    private boolean numeric = true;
    private boolean wholeNumbers = true;
    private final Set<Double> distinct = new HashSet<>();
    private String firstText;
    private long firstTextLine;
    private String firstTextFile;

    /** Takes one non-missing value of the current record of {@code rows}. */
    void observe(String raw, CsvRows rows) {
        if (!numeric) {
            return;
        }
        double v = Values.parseNumber(raw);
        if (Double.isNaN(v)) {
            numeric = false;
            firstText = raw;
            firstTextLine = rows.line();
            firstTextFile = rows.shownPath();
            return;
        }
        if (wholeNumbers && v != Math.rint(v)) {
            wholeNumbers = false;
        }
        if (wholeNumbers && distinct.size() <= MAX_CLASS_CODES) {
            distinct.add(v);
        }
    }

    /** Whether every non-missing value parsed as a number. */
    boolean numeric() {
        return numeric;
    }

    /** Whether the values look like class codes: numeric, whole, and few distinct ones. */
    boolean looksLikeClassCodes() {
        return numeric && wholeNumbers && distinct.size() <= MAX_CLASS_CODES;
    }

    /**
     * The first value that is not a number, with its line (and file, if {@code withFile}), for
     * messages; {@code null} if numeric.
     */
    String firstTextWithLine(boolean withFile) {
        if (firstText == null) {
            return null;
        }
        return "'" + firstText + "' on line " + firstTextLine + (withFile ? " of " + firstTextFile : "");
    }
}
