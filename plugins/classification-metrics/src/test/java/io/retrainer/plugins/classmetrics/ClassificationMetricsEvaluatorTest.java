package io.retrainer.plugins.classmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.testing.TestStageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Expected numbers are worked out by hand in the comments. */
class ClassificationMetricsEvaluatorTest {
    private final ClassificationMetricsEvaluator evaluator = new ClassificationMetricsEvaluator();

    /** A model whose answers are fixed in advance, one per holdout row. */
    private record FixedPredictor(List<String> classes, List<Prediction> answers) implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            assertEquals(answers.size(), inputs.rowCount());
            return answers;
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }
    }

    private static Dataset holdout(String... labels) {
        Dataset.Builder b = Dataset.builder(new Schema(
                List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL)), "y"));
        for (String label : labels) {
            b.addRow(1.0, label);
        }
        return b.build();
    }

    /** Binary predictor: {@code malignant} with probability p, predicted when p >= 0.5. */
    private static Predictor binary(double... pMalignant) {
        List<Prediction> answers = new ArrayList<>();
        for (double p : pMalignant) {
            Map<String, Double> probs = Map.of("benign", 1 - p, "malignant", p);
            answers.add(Prediction.ofClass(p >= 0.5 ? "malignant" : "benign", probs));
        }
        return new FixedPredictor(List.of("malignant", "benign"), answers);
    }

    private static Prediction multi(String label, double a, double b, double c, double d) {
        Map<String, Double> probs = new LinkedHashMap<>();
        probs.put("a", a);
        probs.put("b", b);
        probs.put("c", c);
        probs.put("d", d);
        return Prediction.ofClass(label, probs);
    }

    private Evaluation evaluate(Dataset holdout, Predictor candidate, Optional<Predictor> champion) {
        return evaluator.evaluate(new EvaluationInput(holdout, candidate, champion, null, null),
                TestStageContext.of(ConfigSpec.empty(), Map.of()));
    }

    @Test
    void binaryMetricsMatchHandComputation() {
        Dataset data = holdout("malignant", "malignant", "benign", "benign", "malignant", "benign", "malignant");
        Metrics m = evaluate(data, binary(0.9, 0.4, 0.4, 0.2, 0.6, 0.6, 0.1), Optional.empty()).candidate();

        // predicted: m b b b m m b; rows true (benign, malignant) x cols predicted: [[2,1],[2,2]]
        assertEquals(4.0 / 7, m.get("accuracy").orElseThrow(), 1e-12);
        // precision benign 2/4, malignant 2/3; recall benign 2/3, malignant 2/4; F1 both 4/7
        assertEquals(7.0 / 12, m.get("precision_macro").orElseThrow(), 1e-12);
        assertEquals(7.0 / 12, m.get("recall_macro").orElseThrow(), 1e-12);
        assertEquals(4.0 / 7, m.get("f1_macro").orElseThrow(), 1e-12);
        // malignant (second in sorted order) is positive; ties between 0.4/0.4 and 0.6/0.6: 7 of 12 pairs
        assertEquals(7.0 / 12, m.get("roc_auc").orElseThrow(), 1e-12);
        double logLoss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.6) + Math.log(0.8)
                + Math.log(0.6) + Math.log(0.4) + Math.log(0.1)) / 7;
        assertEquals(logLoss, m.get("log_loss").orElseThrow(), 1e-12);
        assertEquals(Map.of("labels", List.of("benign", "malignant"), "matrix", List.of(List.of(2L, 1L), List.of(2L, 2L))),
                m.details().get("confusion_matrix"));
    }

    @Test
    void multiclassMacroAveragesIncludePredictedOnlyLabelsButNotUnusedClasses() {
        Dataset data = holdout("a", "a", "b", "c", "c", "c");
        Predictor model = new FixedPredictor(List.of("a", "b", "c", "d", "e"), List.of(
                multi("a", 0.7, 0.2, 0.1, 0), multi("b", 0.4, 0.5, 0.1, 0), multi("b", 0.1, 0.8, 0.1, 0),
                multi("c", 0.1, 0.1, 0.8, 0), multi("a", 0.5, 0.2, 0.3, 0), multi("d", 0.2, 0, 0.3, 0.5)));
        Metrics m = evaluate(data, model, Optional.empty()).candidate();

        // labels a, b, c, d (e is neither true nor predicted); rows: a [1,1,0,0], b [0,1,0,0], c [1,0,1,1], d [0,0,0,0]
        assertEquals(0.5, m.get("accuracy").orElseThrow(), 1e-12);
        assertEquals((0.5 + 0.5 + 1 + 0) / 4, m.get("precision_macro").orElseThrow(), 1e-12);
        assertEquals((0.5 + 1 + 1.0 / 3 + 0) / 4, m.get("recall_macro").orElseThrow(), 1e-12);
        assertEquals((0.5 + 2.0 / 3 + 0.5 + 0) / 4, m.get("f1_macro").orElseThrow(), 1e-12);
        assertFalse(m.values().containsKey("roc_auc"), "roc_auc is binary only");
        double logLoss = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.8) + Math.log(0.3) + Math.log(0.3)) / 6;
        assertEquals(logLoss, m.get("log_loss").orElseThrow(), 1e-12);
        assertEquals(List.of("a", "b", "c", "d"), ((Map<?, ?>) m.details().get("confusion_matrix")).get("labels"));
        assertEquals(List.of(List.of(1L, 1L, 0L, 0L), List.of(0L, 1L, 0L, 0L), List.of(1L, 0L, 1L, 1L), List.of(0L, 0L, 0L, 0L)),
                ((Map<?, ?>) m.details().get("confusion_matrix")).get("matrix"));
    }

    @Test
    void zeroProbabilityForTheTrueClassIsClipped() {
        Metrics m = evaluate(holdout("malignant", "benign"), binary(0.0, 0.0), Optional.empty()).candidate();
        assertEquals(-Math.log(1e-15) / 2 - Math.log(1.0 - 1e-15) / 2, m.get("log_loss").orElseThrow(), 1e-9);
    }

    @Test
    void championIsScoredOnTheSameRows() {
        Dataset data = holdout("malignant", "benign", "benign", "malignant");
        Evaluation e = evaluate(data, binary(0.9, 0.1, 0.2, 0.8), Optional.of(binary(0.4, 0.6, 0.2, 0.8)));

        assertEquals(1.0, e.candidate().get("accuracy").orElseThrow(), 1e-12);
        assertEquals(0.5, e.champion().get("accuracy").orElseThrow(), 1e-12);
        // champion: positives 0.4, 0.8 vs negatives 0.6, 0.2 -> 0.4 wins 1, 0.8 wins 2: 3 of 4
        assertEquals(0.75, e.champion().get("roc_auc").orElseThrow(), 1e-12);
    }

    @Test
    void numericLabelIsRefused() {
        Dataset regression = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("progression", ColumnType.NUMERIC)), "progression")).addRow(1.0, 151.0).build();
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> evaluate(regression, binary(0.5), Optional.empty()));
        assertTrue(e.getMessage().contains("needs a categorical label; 'progression' is numeric"), e.getMessage());
    }
}
