package io.retrainer.plugins.tribuo;

import io.retrainer.api.Column;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.StageLog;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * Turns rows of a {@link Dataset} into the named numeric features a Tribuo model takes, with the
 * statistics learnt from the training data. Every Tribuo plugin encodes the same way; plugins cannot
 * share classes at run time, so each carries its own copy of this class inside its jar:
 * <ul>
 *   <li>numeric columns: missing values become the training mean, then (optionally) standardised
 *       with the training mean and standard deviation;</li>
 *   <li>categorical columns: one-hot over the categories seen in training (at most
 *       {@link #MAX_CATEGORIES} per column); a missing or unseen
 *       category sets none of them;</li>
 *   <li>text and timestamp columns are not used.</li>
 * </ul>
 * Immutable, so one encoder serves any number of threads. {@link #write} and {@link #read} define
 * the encoder's part of the plugins' stored artifacts: changing them breaks models already stored.
 */
public final class FeatureEncoder {
    /**
     * Set on every row. Tribuo refuses to score a row in which it knows no feature, which would
     * happen for a model with only categorical inputs when every value is missing or unseen.
     */
    public static final String CONSTANT = "constant";
    /** The most categories one column contributes. */
    public static final int MAX_CATEGORIES = 1000;

    private final List<NumericFeature> numeric;
    private final List<CategoricalFeature> categorical;

    /** @param scale the divisor after centring: the standard deviation, or 1 when not standardising or constant */
    record NumericFeature(String column, double mean, double scale) {
        String featureName() {
            return "num:" + column;
        }
    }

    /** @param vocabulary the categories seen in training, sorted */
    record CategoricalFeature(String column, List<String> vocabulary, Set<String> known) {
        CategoricalFeature(String column, List<String> vocabulary) {
            this(column, List.copyOf(vocabulary), new HashSet<>(vocabulary));
        }

        String featureName(String category) {
            return "cat:" + column + "=" + category;
        }
    }

    private FeatureEncoder(List<NumericFeature> numeric, List<CategoricalFeature> categorical) {
        this.numeric = List.copyOf(numeric);
        this.categorical = List.copyOf(categorical);
    }

    /**
     * Learns the encoding from the feature columns of {@code training}.
     *
     * @param rows the rows to learn from (those with a label)
     * @param standardize whether numeric columns are centred and divided by their standard deviation
     * @param plugin the plugin's id, for messages
     * @param log where ignored and truncated columns are reported
     * @throws IllegalArgumentException if no feature column is usable
     */
    public static FeatureEncoder fit(Dataset training, int[] rows, boolean standardize, String plugin, StageLog log) {
        Schema schema = training.schema();
        List<NumericFeature> numeric = new ArrayList<>();
        List<CategoricalFeature> categorical = new ArrayList<>();
        for (Column column : schema.features()) {
            int c = schema.indexOf(column.name());
            switch (column.type()) {
                case NUMERIC -> numeric.add(fitNumeric(training, c, column.name(), rows, standardize));
                case CATEGORICAL -> categorical.add(fitCategorical(training, c, column.name(), rows, log));
                default -> log.warn("column '" + column.name() + "' is " + column.type().name().toLowerCase(Locale.ROOT)
                        + " and is ignored: " + plugin + " uses numeric and categorical columns only");
            }
        }
        if (numeric.isEmpty() && categorical.isEmpty()) {
            throw new IllegalArgumentException(plugin + " found no numeric or categorical feature column in "
                    + schema.features().stream().map(Column::name).toList());
        }
        return new FeatureEncoder(numeric, categorical);
    }

    /**
     * Keeps the {@link #MAX_CATEGORIES} most frequent categories: a column of near-unique values
     * (an id, free text) would otherwise add one weight per row and learn nothing general.
     */
    private static CategoricalFeature fitCategorical(Dataset data, int c, String name, int[] rows, StageLog log) {
        Map<String, Integer> counts = new HashMap<>();
        for (int r : rows) {
            String v = data.string(c, r);
            if (v != null) {
                counts.merge(v, 1, Integer::sum);
            }
        }
        List<String> kept = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_CATEGORIES)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (kept.size() < counts.size()) {
            log.warn("column '" + name + "' has " + counts.size() + " distinct values; only the " + MAX_CATEGORIES
                    + " most frequent are used, the others count as unseen");
        }
        return new CategoricalFeature(name, kept);
    }

    private static NumericFeature fitNumeric(Dataset data, int c, String name, int[] rows, boolean standardize) {
        double sum = 0;
        long n = 0;
        for (int r : rows) {
            double v = data.number(c, r);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double squares = 0;
        for (int r : rows) {
            double v = data.number(c, r);
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        double std = n == 0 ? 0 : Math.sqrt(squares / n);
        return new NumericFeature(name, mean, standardize && std > 0 ? std : 1);
    }

    /** How many features the encoding can produce, not counting the constant. */
    public int featureCount() {
        return numeric.size() + categorical.stream().mapToInt(f -> f.vocabulary().size()).sum();
    }

    /** The features of every row of {@code inputs}, whose columns are found by name. */
    public Bound bind(Schema inputs) {
        return new Bound(inputs);
    }

    /** This encoder tied to one input schema: column positions looked up once, not per row. */
    public final class Bound {
        private final int[] numericColumns;
        private final boolean[] numericAsText;
        private final int[] categoricalColumns;
        private final boolean[] categoricalAsNumber;

        private Bound(Schema inputs) {
            numericColumns = new int[numeric.size()];
            numericAsText = new boolean[numeric.size()];
            for (int i = 0; i < numericColumns.length; i++) {
                numericColumns[i] = inputs.indexOf(numeric.get(i).column());
                numericAsText[i] = numericColumns[i] >= 0 && !inputs.columns().get(numericColumns[i]).type().isNumericStorage();
            }
            categoricalColumns = new int[categorical.size()];
            categoricalAsNumber = new boolean[categorical.size()];
            for (int i = 0; i < categoricalColumns.length; i++) {
                categoricalColumns[i] = inputs.indexOf(categorical.get(i).column());
                categoricalAsNumber[i] = categoricalColumns[i] >= 0
                        && inputs.columns().get(categoricalColumns[i]).type().isNumericStorage();
            }
        }

        /** Row {@code r} of {@code data} as a Tribuo example with the given output (label or target). */
        public <T extends Output<T>> ArrayExample<T> example(Dataset data, int r, T output) {
            int size = numeric.size() + categorical.size() + 1;
            String[] names = new String[size];
            double[] values = new double[size];
            int k = 0;
            for (int i = 0; i < numericColumns.length; i++) {
                NumericFeature f = numeric.get(i);
                double v = numericValue(data, i, r);
                names[k] = f.featureName();
                values[k++] = Double.isNaN(v) ? 0 : (v - f.mean()) / f.scale();
            }
            for (int i = 0; i < categoricalColumns.length; i++) {
                CategoricalFeature f = categorical.get(i);
                String v = categoricalValue(data, i, r);
                if (v != null && f.known().contains(v)) {
                    names[k] = f.featureName(v);
                    values[k++] = 1;
                }
            }
            names[k] = CONSTANT;
            values[k++] = 1;
            return new ArrayExample<>(output, Arrays.copyOf(names, k), Arrays.copyOf(values, k));
        }

        /** A numeric feature's value, or NaN when absent; text input (e.g. from JSON) is parsed leniently. */
        private double numericValue(Dataset data, int i, int r) {
            int c = numericColumns[i];
            if (c < 0) {
                return Double.NaN;
            }
            if (!numericAsText[i]) {
                return data.number(c, r);
            }
            String s = data.string(c, r);
            try {
                return s == null ? Double.NaN : Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        /** A categorical feature's value, or null; numeric input is rendered as a CSV source would write it. */
        private String categoricalValue(Dataset data, int i, int r) {
            int c = categoricalColumns[i];
            if (c < 0) {
                return null;
            }
            if (!categoricalAsNumber[i]) {
                return data.string(c, r);
            }
            double v = data.number(c, r);
            if (Double.isNaN(v)) {
                return null;
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** Writes the learnt statistics in the layout {@link #read} reads. */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(numeric.size());
        for (NumericFeature f : numeric) {
            writeString(out, f.column());
            out.writeDouble(f.mean());
            out.writeDouble(f.scale());
        }
        out.writeInt(categorical.size());
        for (CategoricalFeature f : categorical) {
            writeString(out, f.column());
            out.writeInt(f.vocabulary().size());
            for (String category : f.vocabulary()) {
                writeString(out, category);
            }
        }
    }

    /** Length-prefixed UTF-8: {@code writeUTF} would fail on values over 64 KB. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads an encoder written by {@link #write}. */
    public static FeatureEncoder read(DataInputStream in) throws IOException {
        int numericCount = in.readInt();
        List<NumericFeature> numeric = new ArrayList<>(numericCount);
        for (int i = 0; i < numericCount; i++) {
            numeric.add(new NumericFeature(readString(in), in.readDouble(), in.readDouble()));
        }
        int categoricalCount = in.readInt();
        List<CategoricalFeature> categorical = new ArrayList<>(categoricalCount);
        for (int i = 0; i < categoricalCount; i++) {
            String column = readString(in);
            int size = in.readInt();
            List<String> vocabulary = new ArrayList<>(size);
            for (int j = 0; j < size; j++) {
                vocabulary.add(readString(in));
            }
            categorical.add(new CategoricalFeature(column, vocabulary));
        }
        return new FeatureEncoder(numeric, categorical);
    }
}
