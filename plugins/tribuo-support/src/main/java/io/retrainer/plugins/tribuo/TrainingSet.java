package io.retrainer.plugins.tribuo;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageLog;
import io.retrainer.api.Task;
import java.util.Locale;
import java.util.stream.IntStream;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * The training rows as a Tribuo data set for a plugin that learns either task (the tree plugins):
 * labels for a categorical label column, numbers for a numeric one. Rows without a label are left
 * out (with a warning). Numeric columns are not standardised: trees split on raw values, and
 * standardising would change nothing but the numbers in the splits.
 *
 * @param task what the label's type makes of the model
 * @param encoder the encoding learnt from the labelled rows
 * @param rows how many rows are used
 * @param classification the examples for classification, else {@code null}
 * @param regression the examples for regression, else {@code null}
 */
public record TrainingSet(Task task, FeatureEncoder encoder, int rows, MutableDataset<Label> classification,
                          MutableDataset<Regressor> regression) {
    /** The name of the single output dimension inside a regression model. */
    public static final String TARGET = "target";

    /**
     * Encodes the labelled rows of {@code training}.
     *
     * @param plugin the plugin's id, for messages
     * @throws IllegalArgumentException if the label is missing or neither categorical nor numeric,
     *     fewer than 2 rows have a label, or a categorical label has only one class
     */
    public static TrainingSet of(Dataset training, String plugin, StageLog log) {
        Column labelColumn = TrainingChecks.labelColumn(training, plugin);
        if (labelColumn.type() != ColumnType.NUMERIC && labelColumn.type() != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(plugin + " needs a categorical (classification) or numeric (regression) label; '"
                    + labelColumn.name() + "' is " + labelColumn.type().name().toLowerCase(Locale.ROOT));
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
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, false, plugin, log);
        FeatureEncoder.Bound bound = encoder.bind(training.schema());
        if (task == Task.CLASSIFICATION) {
            TrainingChecks.requireTwoClasses(training, label, rows, plugin);
            MutableDataset<Label> examples = newDataset(new LabelFactory());
            for (int r : rows) {
                examples.add(bound.example(training, r, new Label(training.string(label, r))));
            }
            return new TrainingSet(task, encoder, rows.length, examples, null);
        }
        MutableDataset<Regressor> examples = newDataset(new RegressionFactory());
        for (int r : rows) {
            examples.add(bound.example(training, r, new Regressor(TARGET, training.number(label, r))));
        }
        return new TrainingSet(task, encoder, rows.length, null, examples);
    }

    /** An empty data set for examples of the factory's output type. */
    public static <T extends Output<T>> MutableDataset<T> newDataset(OutputFactory<T> factory) {
        return new MutableDataset<>(new SimpleDataSourceProvenance("retrainer training set", factory), factory);
    }
}
