package io.retrainer.plugins.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retrainer.api.Column;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.StageLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns rows of a {@link Dataset} into XGBoost's feature vector, learnt from the training data:
 * <ul>
 *   <li>numeric columns: the value as a 32-bit float (what XGBoost compares), missing stays
 *       missing: XGBoost learns for every split which way a missing value goes;</li>
 *   <li>categorical columns: one indicator per category seen in training (at most
 *       {@link #MAX_CATEGORIES} per column), 1 for the row's category and <em>missing</em> for the
 *       others, as in XGBoost's classic sparse one-hot input; so a missing category and one not
 *       seen in training both leave every indicator missing and follow the learnt default
 *       directions;</li>
 *   <li>text and timestamp columns are not used.</li>
 * </ul>
 * Feature {@code i} of the vector is {@link #featureNames()}{@code [i]}: numeric columns first, in
 * schema order, then each categorical column's categories, sorted. Immutable, so one encoder
 * serves any number of threads.
 */
final class FeatureEncoder {
    /** The most categories one column contributes. */
    static final int MAX_CATEGORIES = 1000;

    private final List<String> numeric;
    private final List<CategoricalFeature> categorical;
    private final List<String> featureNames;

    /**
     * @param vocabulary the categories seen in training, sorted
     * @param offset the feature index of the first category
     * @param index category to feature index
     */
    record CategoricalFeature(String column, List<String> vocabulary, int offset, Map<String, Integer> index) {
        CategoricalFeature(String column, List<String> vocabulary, int offset) {
            this(column, List.copyOf(vocabulary), offset, indexOf(vocabulary, offset));
        }

        private static Map<String, Integer> indexOf(List<String> vocabulary, int offset) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < vocabulary.size(); i++) {
                index.put(vocabulary.get(i), offset + i);
            }
            return index;
        }
    }

    private FeatureEncoder(List<String> numeric, List<CategoricalFeature> categorical) {
        this.numeric = List.copyOf(numeric);
        this.categorical = List.copyOf(categorical);
        List<String> names = new ArrayList<>(numeric);
        for (CategoricalFeature f : categorical) {
            for (String category : f.vocabulary()) {
                names.add(f.column() + "=" + category);
            }
        }
        this.featureNames = List.copyOf(names);
    }

    /**
     * Learns the encoding from the feature columns of {@code training}.
     *
     * @param rows the rows to learn from (those with a label)
     * @throws IllegalArgumentException if no feature column is usable
     */
    static FeatureEncoder fit(Dataset training, int[] rows, StageLog log) {
        Schema schema = training.schema();
        List<String> numeric = new ArrayList<>();
        List<Column> categoricalColumns = new ArrayList<>();
        for (Column column : schema.features()) {
            switch (column.type()) {
                case NUMERIC -> numeric.add(column.name());
                case CATEGORICAL -> categoricalColumns.add(column);
                default -> log.warn("column '" + column.name() + "' is " + column.type().name().toLowerCase(Locale.ROOT)
                        + " and is ignored: xgboost uses numeric and categorical columns only");
            }
        }
        if (numeric.isEmpty() && categoricalColumns.isEmpty()) {
            throw new IllegalArgumentException(XgbTrainer.ID + " found no numeric or categorical feature column in "
                    + schema.features().stream().map(Column::name).toList());
        }
        List<CategoricalFeature> categorical = new ArrayList<>();
        int offset = numeric.size();
        for (Column column : categoricalColumns) {
            List<String> vocabulary = vocabulary(training, schema.indexOf(column.name()), column.name(), rows, log);
            categorical.add(new CategoricalFeature(column.name(), vocabulary, offset));
            offset += vocabulary.size();
        }
        return new FeatureEncoder(numeric, categorical);
    }

    /**
     * The {@link #MAX_CATEGORIES} most frequent categories, sorted: a column of near-unique values
     * (an id, free text) would otherwise add one feature per row and learn nothing general.
     */
    private static List<String> vocabulary(Dataset data, int c, String name, int[] rows, StageLog log) {
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
        return kept;
    }

    /** The name of every feature, in vector order: the column name, or {@code column=category}. */
    List<String> featureNames() {
        return featureNames;
    }

    /** The length of the feature vector. */
    int width() {
        return featureNames.size();
    }

    /** The most features one row can have present: each numeric column and one category per categorical column. */
    int maxPresent() {
        return numeric.size() + categorical.size();
    }

    /** This encoder tied to one input schema: column positions looked up once, not per row. */
    Bound bind(Schema inputs) {
        return new Bound(inputs);
    }

    /** This encoder tied to one input schema. Immutable and thread-safe. */
    final class Bound {
        private final int[] numericColumns;
        private final boolean[] numericAsText;
        private final int[] categoricalColumns;
        private final boolean[] categoricalAsNumber;

        private Bound(Schema inputs) {
            numericColumns = new int[numeric.size()];
            numericAsText = new boolean[numeric.size()];
            for (int i = 0; i < numericColumns.length; i++) {
                numericColumns[i] = inputs.indexOf(numeric.get(i));
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

        /** Writes row {@code r} into {@code x} (length {@link #width()}), NaN for every missing feature. */
        void dense(Dataset data, int r, float[] x) {
            Arrays.fill(x, Float.NaN);
            for (int i = 0; i < numericColumns.length; i++) {
                x[i] = (float) numericValue(data, i, r);
            }
            for (int i = 0; i < categoricalColumns.length; i++) {
                int feature = categoryFeature(data, i, r);
                if (feature >= 0) {
                    x[feature] = 1f;
                }
            }
        }

        /**
         * Writes the present features of row {@code r} as (index, value) pairs in ascending index
         * order, for a sparse matrix in which an absent entry is missing.
         *
         * @param indices room for {@link #maxPresent()} indices
         * @param values room for {@link #maxPresent()} values
         * @return how many pairs were written
         */
        int sparse(Dataset data, int r, int[] indices, float[] values) {
            int k = 0;
            for (int i = 0; i < numericColumns.length; i++) {
                double v = numericValue(data, i, r);
                if (!Double.isNaN(v)) {
                    indices[k] = i;
                    values[k++] = (float) v;
                }
            }
            for (int i = 0; i < categoricalColumns.length; i++) {
                int feature = categoryFeature(data, i, r);
                if (feature >= 0) {
                    indices[k] = feature;
                    values[k++] = 1f;
                }
            }
            return k;
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

        /** The indicator feature of the row's category, or -1 when missing or unseen. */
        private int categoryFeature(Dataset data, int i, int r) {
            int c = categoricalColumns[i];
            if (c < 0) {
                return -1;
            }
            String v;
            if (!categoricalAsNumber[i]) {
                v = data.string(c, r);
            } else {
                // numeric input is rendered as a CSV source would write it
                double d = data.number(c, r);
                v = Double.isNaN(d) ? null : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            }
            Integer feature = v == null ? null : categorical.get(i).index().get(v);
            return feature == null ? -1 : feature;
        }
    }

    /** The encoding as JSON, stored in the artifact next to the model. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode nums = json.putArray("numeric");
        numeric.forEach(nums::add);
        ArrayNode cats = json.putArray("categorical");
        for (CategoricalFeature f : categorical) {
            ObjectNode c = cats.addObject();
            c.put("column", f.column());
            ArrayNode vocabulary = c.putArray("categories");
            f.vocabulary().forEach(vocabulary::add);
        }
        return json;
    }

    /** Reads what {@link #toJson()} wrote. */
    static FeatureEncoder fromJson(JsonNode json) {
        List<String> numeric = new ArrayList<>();
        json.required("numeric").forEach(n -> numeric.add(n.textValue()));
        List<CategoricalFeature> categorical = new ArrayList<>();
        int offset = numeric.size();
        for (JsonNode c : json.required("categorical")) {
            List<String> vocabulary = new ArrayList<>();
            c.required("categories").forEach(v -> vocabulary.add(v.textValue()));
            categorical.add(new CategoricalFeature(c.required("column").textValue(), vocabulary, offset));
            offset += vocabulary.size();
        }
        return new FeatureEncoder(numeric, categorical);
    }
}
