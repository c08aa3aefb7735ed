package io.retrainer.plugins.regmetrics;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Predictor;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * Scores a regression model on the holdout: MAE, RMSE, R² and MAPE (see {@link RegressionScorer}),
 * for the candidate and, when there is one, for the champion on the same rows. It gives no
 * verdict; a gate such as {@code champion-gate} decides on these numbers.
 */
@Extension
public final class RegressionMetricsEvaluator implements Evaluator {
    static final String ID = "regression-metrics";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "MAE, RMSE, R² and MAPE (rows with a zero target left out) on the holdout, for the candidate and the production model.";
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        Dataset holdout = input.holdout();
        double[] truth = trueValues(holdout);
        Metrics candidate = score("candidate", input.candidate(), holdout, truth, context);
        Metrics champion = input.champion().isPresent()
                ? score("champion", input.champion().get(), holdout, truth, context)
                : Metrics.empty();
        return Evaluation.of(candidate, champion);
    }

    private static Metrics score(String which, Predictor predictor, Dataset holdout, double[] truth, StageContext context) {
        if (predictor.task() != Task.REGRESSION) {
            throw new IllegalArgumentException(ID + ": the " + which + " model is a "
                    + predictor.task().name().toLowerCase(Locale.ROOT) + " model; use classification-metrics for it");
        }
        context.progress(which.equals("candidate") ? 0.0 : 0.5, "scoring the " + which);
        Metrics metrics = new RegressionScorer(context.log()).score(truth, predictor.predict(holdout));
        context.log().info(which + ": " + metrics.values());
        return metrics;
    }

    private static double[] trueValues(Dataset holdout) {
        Column label = holdout.schema().column(holdout.schema().label()).orElseThrow(
                () -> new IllegalArgumentException(ID + ": the holdout has no label column"));
        if (label.type() != ColumnType.NUMERIC) {
            throw new IllegalArgumentException(ID + " needs a numeric label; '" + label.name() + "' is "
                    + label.type().name().toLowerCase(Locale.ROOT) + " — use classification-metrics");
        }
        int column = holdout.labelIndex();
        double[] out = new double[holdout.rowCount()];
        for (int row = 0; row < out.length; row++) {
            out[row] = holdout.number(column, row);
        }
        return out;
    }
}
