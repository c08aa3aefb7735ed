package io.retrainer.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable columnar table. Numeric and timestamp columns are held as {@code double[]}
 * ({@code NaN} is missing), categorical and text columns as {@code String[]} ({@code null} is
 * missing). Build one with {@link #builder(Schema)}.
 */
public final class Dataset {
    private final Schema schema;
    private final int rowCount;
    private final double[][] numbers;
    private final String[][] strings;
    private final String fingerprint;

    private Dataset(Schema schema, int rowCount, double[][] numbers, String[][] strings, String fingerprint) {
        this.schema = schema;
        this.rowCount = rowCount;
        this.numbers = numbers;
        this.strings = strings;
        this.fingerprint = fingerprint;
    }

    /** Starts a data set with the given schema. */
    public static Builder builder(Schema schema) {
        return new Builder(schema);
    }

    /** The columns and the label. */
    public Schema schema() {
        return schema;
    }

    /** The number of rows. */
    public int rowCount() {
        return rowCount;
    }

    /** A content fingerprint (for example a SHA-256 of the source bytes), or {@code ""} if unknown. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The value of numeric or timestamp column {@code column} in row {@code row}; {@code NaN} if missing. */
    public double number(int column, int row) {
        double[] values = numbers[column];
        if (values == null) {
            throw new IllegalArgumentException("column '" + schema.columns().get(column).name() + "' is not numeric");
        }
        return values[row];
    }

    /** The value of categorical or text column {@code column} in row {@code row}; {@code null} if missing. */
    public String string(int column, int row) {
        String[] values = strings[column];
        if (values == null) {
            throw new IllegalArgumentException("column '" + schema.columns().get(column).name() + "' is not categorical or text");
        }
        return values[row];
    }

    /** Whether the value in {@code row} of {@code column} is missing. */
    public boolean isMissing(int column, int row) {
        return numbers[column] != null ? Double.isNaN(numbers[column][row]) : strings[column][row] == null;
    }

    /** The value as an object: a {@code Double}, a {@code String} or {@code null} when missing. */
    public Object value(int column, int row) {
        if (numbers[column] != null) {
            double v = numbers[column][row];
            return Double.isNaN(v) ? null : v;
        }
        return strings[column][row];
    }

    /** The label of {@code row} rendered as a string (a class name, or a number for regression). */
    public String labelString(int row) {
        int idx = labelIndex();
        Object v = value(idx, row);
        if (v instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : d.toString();
        }
        return (String) v;
    }

    /** The position of the label column; fails for unlabelled data. */
    public int labelIndex() {
        if (schema.label() == null) {
            throw new IllegalStateException("this data set has no label column");
        }
        return schema.indexOf(schema.label());
    }

    /** A new data set with only the given rows, in that order (fingerprint is kept). */
    public Dataset rows(int[] rowIndexes) {
        int n = schema.columns().size();
        double[][] nums = new double[n][];
        String[][] strs = new String[n][];
        for (int c = 0; c < n; c++) {
            if (numbers[c] != null) {
                double[] src = numbers[c];
                double[] dst = new double[rowIndexes.length];
                for (int i = 0; i < rowIndexes.length; i++) {
                    dst[i] = src[rowIndexes[i]];
                }
                nums[c] = dst;
            } else {
                String[] src = strings[c];
                String[] dst = new String[rowIndexes.length];
                for (int i = 0; i < rowIndexes.length; i++) {
                    dst[i] = src[rowIndexes[i]];
                }
                strs[c] = dst;
            }
        }
        return new Dataset(schema, rowIndexes.length, nums, strs, fingerprint);
    }

    /** Builds a {@link Dataset} row by row; not thread-safe. */
    public static final class Builder {
        private final Schema schema;
        private final double[][] numbers;
        private final String[][] strings;
        private int size;
        private String fingerprint = "";

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            int n = schema.columns().size();
            numbers = new double[n][];
            strings = new String[n][];
            for (int c = 0; c < n; c++) {
                if (schema.columns().get(c).type().isNumericStorage()) {
                    numbers[c] = new double[16];
                } else {
                    strings[c] = new String[16];
                }
            }
        }

        /**
         * Appends a row. Values are positional, one per schema column: a {@code Number} (or
         * {@code null}) for numeric and timestamp columns, a {@code String} (or {@code null}) for the others.
         *
         * @throws IllegalArgumentException if the row has the wrong width or a value has the wrong type
         */
        public Builder addRow(Object... values) {
            List<Column> cols = schema.columns();
            if (values.length != cols.size()) {
                throw new IllegalArgumentException("row has " + values.length + " values, schema has " + cols.size() + " columns");
            }
            ensureCapacity(size + 1);
            for (int c = 0; c < values.length; c++) {
                Object v = values[c];
                if (numbers[c] != null) {
                    if (v == null) {
                        numbers[c][size] = Double.NaN;
                    } else if (v instanceof Number num) {
                        numbers[c][size] = num.doubleValue();
                    } else {
                        throw new IllegalArgumentException("column '" + cols.get(c).name() + "' expects a number, got " + describe(v));
                    }
                } else {
                    if (v == null || v instanceof String) {
                        strings[c][size] = (String) v;
                    } else {
                        throw new IllegalArgumentException("column '" + cols.get(c).name() + "' expects a string, got " + describe(v));
                    }
                }
            }
            size++;
            return this;
        }

        /** Sets the content fingerprint recorded as lineage. */
        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint == null ? "" : fingerprint;
            return this;
        }

        /** The number of rows added so far. */
        public int size() {
            return size;
        }

        /** Builds the immutable data set. */
        public Dataset build() {
            int n = schema.columns().size();
            double[][] nums = new double[n][];
            String[][] strs = new String[n][];
            for (int c = 0; c < n; c++) {
                if (numbers[c] != null) {
                    nums[c] = Arrays.copyOf(numbers[c], size);
                } else {
                    strs[c] = Arrays.copyOf(strings[c], size);
                }
            }
            return new Dataset(schema, size, nums, strs, fingerprint);
        }

        private void ensureCapacity(int wanted) {
            int cap = numbers.length > 0 ? capacity() : Integer.MAX_VALUE;
            if (wanted <= cap) {
                return;
            }
            int newCap = Math.max(wanted, cap * 2);
            for (int c = 0; c < numbers.length; c++) {
                if (numbers[c] != null) {
                    numbers[c] = Arrays.copyOf(numbers[c], newCap);
                } else {
                    strings[c] = Arrays.copyOf(strings[c], newCap);
                }
            }
        }

        private int capacity() {
            return numbers[0] != null ? numbers[0].length : strings[0].length;
        }

        private static String describe(Object v) {
            return v.getClass().getSimpleName() + " " + v;
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Column c : schema.columns()) {
            names.add(c.name() + ":" + c.type().name().toLowerCase());
        }
        return "Dataset[" + rowCount + " rows, " + names + ", label=" + schema.label() + "]";
    }
}
