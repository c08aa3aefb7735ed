package io.retrainer.core.pipeline;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.Settings;
import io.retrainer.api.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in validate stage: checks fresh data before anything trains on it. Every problem
 * is collected so the stage's report lists them all.
 */
public final class DataValidation {

    /**
     * The outcome.
     *
     * @param problems what is wrong, one sentence each; empty when the data passes
     * @param missingFractions fraction of missing values per column
     * @param classes number of distinct label values for classification, 0 otherwise
     */
    public record Report(List<String> problems, Map<String, Double> missingFractions, int classes) {
        /** Whether the data passed. */
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private DataValidation() {
    }

    /**
     * Validates {@code data}.
     *
     * @param settings resolved {@link BuiltinStages#VALIDATE} settings
     * @param production the production model's training schema, or {@code null} if there is none
     */
    public static Report check(Dataset data, Settings settings, Schema production) {
        List<String> problems = new ArrayList<>();
        Schema schema = data.schema();
        long minRows = settings.integer("min_rows");
        if (data.rowCount() < minRows) {
            problems.add("only " + data.rowCount() + " rows; at least " + minRows + " are needed (validate.min_rows)");
        }
        if (production != null && settings.bool("check_schema")) {
            compareSchemas(production, schema, problems);
        }
        double maxMissing = settings.number("max_missing_fraction");
        Map<String, Double> missing = new LinkedHashMap<>();
        for (int c = 0; c < schema.columns().size(); c++) {
            int count = 0;
            for (int r = 0; r < data.rowCount(); r++) {
                if (data.isMissing(c, r)) {
                    count++;
                }
            }
            double fraction = data.rowCount() == 0 ? 0 : (double) count / data.rowCount();
            String name = schema.columns().get(c).name();
            missing.put(name, fraction);
            if (name.equals(schema.label())) {
                if (count > 0) {
                    problems.add("label column '" + name + "' has " + count + " missing values; every training row needs a label");
                }
            } else if (fraction > maxMissing) {
                problems.add(String.format("column '%s' is %.1f%% missing (limit %.1f%%, validate.max_missing_fraction)",
                        name, fraction * 100, maxMissing * 100));
            }
        }
        int classes = 0;
        if (schema.label() == null) {
            problems.add("the data has no label column");
        } else if (schema.task().orElseThrow() == Task.CLASSIFICATION) {
            Set<String> distinct = new HashSet<>();
            int li = data.labelIndex();
            for (int r = 0; r < data.rowCount(); r++) {
                String v = data.string(li, r);
                if (v != null) {
                    distinct.add(v);
                }
            }
            classes = distinct.size();
            long maxClasses = settings.integer("max_classes");
            if (classes < 2) {
                problems.add("label '" + schema.label() + "' has " + classes + " distinct value(s) " + distinct
                        + "; classification needs at least 2");
            } else if (classes > maxClasses) {
                problems.add("label '" + schema.label() + "' has " + classes + " classes, more than validate.max_classes = "
                        + maxClasses + " (is it an id or a numeric target?)");
            }
        }
        return new Report(problems, missing, classes);
    }

    private static void compareSchemas(Schema expected, Schema actual, List<String> problems) {
        for (Column c : expected.columns()) {
            var now = actual.column(c.name());
            if (now.isEmpty()) {
                problems.add("column '" + c.name() + "' (" + label(c.type()) + ") of the production model's training data is missing");
            } else if (now.get().type() != c.type()) {
                problems.add("column '" + c.name() + "' was " + label(c.type()) + " in the production model's training data, is now "
                        + label(now.get().type()));
            }
        }
        for (Column c : actual.columns()) {
            if (expected.column(c.name()).isEmpty()) {
                problems.add("column '" + c.name() + "' (" + label(c.type()) + ") is new: the production model was trained without it"
                        + " (set validate.check_schema: false to accept schema changes)");
            }
        }
        if (expected.label() != null && !expected.label().equals(actual.label())) {
            problems.add("label is '" + actual.label() + "', the production model was trained on label '" + expected.label() + "'");
        }
    }

    private static String label(ColumnType t) {
        return t.name().toLowerCase();
    }
}
