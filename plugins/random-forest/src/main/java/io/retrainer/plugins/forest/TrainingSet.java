package io.retrainer.plugins.forest;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageLog;
import io.retrainer.api.Task;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * The training rows as a Tribuo data set: labels for a categorical label column, numbers for a
 * numeric one. Rows without a label are left out (with a warning).
 *
 * @param task what the label's type makes of the model
 * @param encoder the encoding learnt from the labelled rows
 * @param rows how many rows are used
 * @param classification the examples for classification, else {@code null}
 * @param regression the examples for regression, else {@code null}
 */
record TrainingSet(Task task, FeatureEncoder encoder, int rows, MutableDataset<Label> classification,
                   MutableDataset<Regressor> regression) {
    /** The name of the single output dimension inside a regression model. */
    static final String TARGET = "target";

    static TrainingSet of(Dataset training, String plugin, StageLog log) {
        String name = training.schema().label();
        if (name == null) {
            throw new IllegalArgumentException(plugin + " needs a label column; the training data has none");
        }
        Column labelColumn = training.schema().column(name).orElseThrow();
        if (labelColumn.type() != ColumnType.NUMERIC && labelColumn.type() != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(plugin + " needs a categorical (classification) or numeric (regression) label; '"
                    + name + "' is " + labelColumn.type().name().toLowerCase(Locale.ROOT));
        }
        int label = training.labelIndex();
        Task task = labelColumn.type() == ColumnType.NUMERIC ? Task.REGRESSION : Task.CLASSIFICATION;
        int[] rows = IntStream.range(0, training.rowCount()).filter(r -> !training.isMissing(label, r)).toArray();
        if (rows.length < training.rowCount()) {
            log.warn((training.rowCount() - rows.length) + " rows have no label and are not used");
        }
        if (rows.length < 2) {
            throw new IllegalArgumentException(plugin + " needs at least 2 labelled rows; found " + rows.length);
        }
        // Trees split on raw values; standardising would change nothing but the numbers in the splits.
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, false, plugin, log);
        FeatureEncoder.Bound bound = encoder.bind(training.schema());
        if (task == Task.CLASSIFICATION) {
            requireTwoClasses(training, label, rows, plugin);
            LabelFactory factory = new LabelFactory();
            MutableDataset<Label> examples = new MutableDataset<>(new SimpleDataSourceProvenance("retrainer training set", factory), factory);
            for (int r : rows) {
                examples.add(bound.example(training, r, new Label(training.string(label, r))));
            }
            return new TrainingSet(task, encoder, rows.length, examples, null);
        }
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> examples = new MutableDataset<>(new SimpleDataSourceProvenance("retrainer training set", factory), factory);
        for (int r : rows) {
            examples.add(bound.example(training, r, new Regressor(TARGET, training.number(label, r))));
        }
        return new TrainingSet(task, encoder, rows.length, null, examples);
    }

    private static void requireTwoClasses(Dataset training, int label, int[] rows, String plugin) {
        TreeSet<String> classes = new TreeSet<>();
        for (int r : rows) {
            classes.add(training.string(label, r));
            if (classes.size() > 1) {
                return;
            }
        }
        throw new IllegalArgumentException(plugin + " needs at least two classes to tell apart; label '"
                + training.schema().label() + "' has only " + classes);
    }
}
