package io.retrainer.plugins.regmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.testing.TestStageContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Expected numbers are worked out by hand in the comments (the first example is scikit-learn's). */
class RegressionMetricsEvaluatorTest {
    private final RegressionMetricsEvaluator evaluator = new RegressionMetricsEvaluator();

    /** A model whose answers are fixed in advance, one per holdout row. */
    private record FixedPredictor(Task task, double... answers) implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            assertEquals(answers.length, inputs.rowCount());
            return Arrays.stream(answers).mapToObj(Prediction::ofValue).toList();
        }

        @Override
        public List<String> classes() {
            return List.of();
        }
    }

    private static Predictor fixed(double... answers) {
        return new FixedPredictor(Task.REGRESSION, answers);
    }

    private static Dataset holdout(Double... truth) {
        Dataset.Builder b = Dataset.builder(new Schema(
                List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.NUMERIC)), "y"));
        for (Double y : truth) {
            b.addRow(1.0, y);
        }
        return b.build();
    }

    private Evaluation evaluate(Dataset holdout, Predictor candidate, Optional<Predictor> champion, TestStageContext context) {
        return evaluator.evaluate(new EvaluationInput(holdout, candidate, champion, null, null), context);
    }

    private static TestStageContext context() {
        return TestStageContext.of(ConfigSpec.empty(), Map.of());
    }

    @Test
    void metricsMatchHandComputation() {
        // y = [3, -0.5, 2, 7], ŷ = [2.5, 0, 2, 8]; errors 0.5, -0.5, 0, -1
        // mae = 2 / 4 = 0.5; mse = (0.25 + 0.25 + 0 + 1) / 4 = 0.375, rmse = √0.375
        // ȳ = 2.875, Σ(y − ȳ)² = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875, r2 = 1 − 1.5 / 29.1875
        // mape = (0.5/3 + 0.5/0.5 + 0/2 + 1/7) / 4 = 0.327380952...
        Evaluation e = evaluate(holdout(3.0, -0.5, 2.0, 7.0), fixed(2.5, 0.0, 2.0, 8.0), Optional.empty(), context());
        Map<String, Double> m = e.candidate().values();
        assertEquals(List.of("mae", "rmse", "r2", "mape"), List.copyOf(m.keySet()));
        assertEquals(0.5, m.get("mae"), 1e-12);
        assertEquals(Math.sqrt(0.375), m.get("rmse"), 1e-12);
        assertEquals(1 - 1.5 / 29.1875, m.get("r2"), 1e-12);
        assertEquals(0.948608137, m.get("r2"), 1e-9);
        assertEquals(0.327380952, m.get("mape"), 1e-9);
        assertTrue(e.champion().values().isEmpty());
        assertTrue(e.verdict().isEmpty());
    }

    @Test
    void zeroTargetsAreLeftOutOfMapeAndSaidSoAndMissingTargetsAreSkipped() {
        // As above plus (y 0, ŷ 1) and a row without a true value (ŷ 100, ignored).
        // mae = (2 + 1) / 5 = 0.6; rmse = √(2.5 / 5); ȳ = 11.5 / 5 = 2.3, Σ(y − ȳ)² = 35.8, r2 = 1 − 2.5 / 35.8
        // mape: the zero row is left out, so the same 0.32738... as above
        TestStageContext context = context();
        Evaluation e = evaluate(holdout(3.0, -0.5, 2.0, 7.0, 0.0, null), fixed(2.5, 0.0, 2.0, 8.0, 1.0, 100.0),
                Optional.empty(), context);
        Map<String, Double> m = e.candidate().values();
        assertEquals(0.6, m.get("mae"), 1e-12);
        assertEquals(Math.sqrt(0.5), m.get("rmse"), 1e-12);
        assertEquals(1 - 2.5 / 35.8, m.get("r2"), 1e-12);
        assertEquals(0.327380952, m.get("mape"), 1e-9);
        assertEquals(5L, e.candidate().details().get("rows"));
        assertEquals(4L, e.candidate().details().get("mape_rows"));
        assertTrue(context.logLines().contains("WARN 1 of 5 holdout rows have a true value of 0 and are left out of mape"),
                context.logLines().toString());
        assertTrue(context.logLines().contains("WARN 1 holdout rows have no true value and were not scored"));
    }

    @Test
    void undefinedMetricsAreLeftOutNotInvented() {
        TestStageContext context = context();
        Map<String, Double> m = evaluate(holdout(0.0, 0.0), fixed(1.0, -1.0), Optional.empty(), context).candidate().values();
        assertEquals(Map.of("mae", 1.0, "rmse", 1.0), m);
        assertTrue(context.logLines().contains("WARN every true value in the holdout is the same: r2 is undefined and not computed"));
        assertTrue(context.logLines().contains("WARN every true value in the holdout is 0: mape is undefined and not computed"));
    }

    @Test
    void championIsScoredOnTheSameRows() {
        Evaluation e = evaluate(holdout(1.0, 2.0, 3.0), fixed(1.0, 2.0, 3.0), Optional.of(fixed(2.0, 3.0, 4.0)), context());
        assertEquals(0.0, e.candidate().values().get("rmse"));
        assertEquals(1.0, e.candidate().values().get("r2"));
        // every prediction off by one: mae = rmse = 1, mape = (1 + 1/2 + 1/3) / 3, r2 = 1 − 3 / 2
        assertEquals(1.0, e.champion().values().get("mae"), 1e-12);
        assertEquals(1.0, e.champion().values().get("rmse"), 1e-12);
        assertEquals(-0.5, e.champion().values().get("r2"), 1e-12);
        assertEquals((1 + 0.5 + 1.0 / 3) / 3, e.champion().values().get("mape"), 1e-12);
    }

    @Test
    void classificationLabelsAndModelsAreRefusedWithWhatToUseInstead() {
        Dataset classes = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.CATEGORICAL)), "y")).addRow(1.0, "a").build();
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> evaluate(classes, fixed(1.0), Optional.empty(), context()));
        assertEquals("regression-metrics needs a numeric label; 'y' is categorical — use classification-metrics", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> evaluate(holdout(1.0),
                new FixedPredictor(Task.CLASSIFICATION, 1.0), Optional.empty(), context()));
        assertEquals("regression-metrics: the candidate model is a classification model; use classification-metrics for it",
                e.getMessage());
    }

    @Test
    void wrongPredictionCountIsAnError() {
        Exception e = assertThrows(IllegalStateException.class, () -> new RegressionScorer(context().log())
                .score(new double[] {1, 2}, List.of(Prediction.ofValue(1))));
        assertEquals("the model returned 1 predictions for 2 rows", e.getMessage());
    }
}
