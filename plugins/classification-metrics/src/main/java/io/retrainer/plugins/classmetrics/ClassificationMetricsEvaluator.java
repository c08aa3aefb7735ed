package io.retrainer.plugins.classmetrics;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Predictor;
import io.retrainer.api.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * Scores a classifier on the holdout: accuracy, macro precision/recall/F1, ROC AUC (binary only),
 * log loss and the confusion matrix, for the candidate and, when there is one, for the champion on
 * the same rows. It gives no verdict; a gate such as {@code champion-gate} decides on these numbers.
 */
@Extension
public final class ClassificationMetricsEvaluator implements Evaluator {
    static final String ID = "classification-metrics";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Accuracy, macro precision/recall/F1, ROC AUC (binary), log loss and confusion matrix on the holdout.";
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        Dataset holdout = input.holdout();
        String[] truth = trueLabels(holdout);
        Metrics candidate = score("candidate", input.candidate(), holdout, truth, context);
        Metrics champion = input.champion().isPresent()
                ? score("champion", input.champion().get(), holdout, truth, context)
                : Metrics.empty();
        return Evaluation.of(candidate, champion);
    }

    private static Metrics score(String which, Predictor predictor, Dataset holdout, String[] truth, StageContext context) {
        context.progress(which.equals("candidate") ? 0.0 : 0.5, "scoring the " + which);
        Metrics metrics = new ClassificationScorer(predictor.classes(), context.log())
                .score(truth, predictor.predict(holdout));
        context.log().info(which + ": " + metrics.values());
        return metrics;
    }

    private static String[] trueLabels(Dataset holdout) {
        Column label = holdout.schema().column(holdout.schema().label()).orElseThrow(
                () -> new IllegalArgumentException(ID + ": the holdout has no label column"));
        if (label.type() != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(ID + " needs a categorical label; '" + label.name() + "' is "
                    + label.type().name().toLowerCase(Locale.ROOT) + " — use a regression evaluator");
        }
        int column = holdout.labelIndex();
        List<String> out = new ArrayList<>(holdout.rowCount());
        for (int row = 0; row < holdout.rowCount(); row++) {
            out.add(holdout.string(column, row));
        }
        return out.toArray(String[]::new);
    }
}
