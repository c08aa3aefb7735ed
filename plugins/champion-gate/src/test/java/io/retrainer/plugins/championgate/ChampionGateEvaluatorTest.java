package io.retrainer.plugins.championgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.Verdict.Decision;
import io.retrainer.api.testing.TestStageContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChampionGateEvaluatorTest {
    private final ChampionGateEvaluator gate = new ChampionGateEvaluator();
    private static final Dataset HOLDOUT = Dataset.builder(new Schema(
            List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL)), "y"))
            .addRow(1.0, "a").build();
    /** The gate never calls a predictor; it only needs to know whether a champion exists. */
    private static final Predictor UNUSED = new Predictor() {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            throw new AssertionError("the gate must not predict");
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public List<String> classes() {
            return List.of("a", "b");
        }
    };

    private Evaluation run(Map<String, ?> config, Map<String, Double> candidate, Map<String, Double> champion) {
        EvaluationInput input = new EvaluationInput(HOLDOUT, UNUSED,
                champion == null ? Optional.empty() : Optional.of(UNUSED),
                Metrics.of(candidate), champion == null ? Metrics.empty() : Metrics.of(champion));
        return gate.evaluate(input, TestStageContext.of(gate.configSpec(), config));
    }

    @Test
    void firstModelIsPromoted() {
        Evaluation e = run(Map.of(), Map.of("roc_auc", 0.9), null);

        assertEquals(Decision.PROMOTE, e.verdict().orElseThrow().decision());
        assertTrue(e.verdict().get().reason().startsWith("no production model yet: first model is promoted"));
        assertTrue(e.verdict().get().reason().contains("0.9000"));
        assertEquals(Map.of("gate_candidate_roc_auc", 0.9), e.candidate().values());
    }

    @Test
    void worseCandidateIsRejectedWithBothScores() {
        Evaluation e = run(Map.of(), Map.of("roc_auc", 0.9712), Map.of("roc_auc", 0.985));

        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
        assertEquals("roc_auc 0.9712 < champion 0.9850 + 0.0000", e.verdict().get().reason());
        assertEquals(0.9712, e.candidate().get("gate_candidate_roc_auc").orElseThrow());
        assertEquals(0.985, e.candidate().get("gate_champion_roc_auc").orElseThrow());
    }

    @Test
    void equalScoreIsPromotedWithoutMarginButNotWithOne() {
        assertEquals(Decision.PROMOTE, run(Map.of(), Map.of("roc_auc", 0.95), Map.of("roc_auc", 0.95))
                .verdict().orElseThrow().decision());

        Evaluation e = run(Map.of("min_improvement", 0.01), Map.of("roc_auc", 0.955), Map.of("roc_auc", 0.95));
        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
        assertEquals("roc_auc 0.9550 < champion 0.9500 + 0.0100", e.verdict().get().reason());
    }

    @Test
    void lossMetricsAreLowerIsBetterInAutoMode() {
        Evaluation better = run(Map.of("metric", "log_loss"), Map.of("log_loss", 0.2), Map.of("log_loss", 0.3));
        assertEquals(Decision.PROMOTE, better.verdict().orElseThrow().decision());
        assertEquals("log_loss 0.2000 <= champion 0.3000 - 0.0000", better.verdict().get().reason());

        Evaluation worse = run(Map.of("metric", "log_loss"), Map.of("log_loss", 0.3), Map.of("log_loss", 0.2));
        assertEquals(Decision.REJECT, worse.verdict().orElseThrow().decision());
    }

    @Test
    void explicitDirectionOverridesTheName() {
        Evaluation e = run(Map.of("metric", "loss_of_customers_avoided", "direction", "higher"),
                Map.of("loss_of_customers_avoided", 10.0), Map.of("loss_of_customers_avoided", 5.0));
        assertEquals(Decision.PROMOTE, e.verdict().orElseThrow().decision());
    }

    @Test
    void directionAutoRecognisesErrorNames() {
        assertEquals(Direction.LOWER, Direction.resolve("auto", "RMSE"));
        assertEquals(Direction.LOWER, Direction.resolve("auto", "mean_absolute_error"));
        assertEquals(Direction.HIGHER, Direction.resolve("auto", "f1_macro"));
    }

    @Test
    void missingMetricNamesTheEvaluatorToAddAndWhatIsAvailable() {
        Map<String, Double> earlier = new LinkedHashMap<>();
        earlier.put("roc_auc", 0.9);
        earlier.put("accuracy", 0.8);
        Exception e = assertThrows(IllegalStateException.class, () -> run(Map.of("metric", "auc"), earlier, null));

        assertTrue(e.getMessage().contains("'auc'"), e.getMessage());
        assertTrue(e.getMessage().contains("available: roc_auc, accuracy"), e.getMessage());
        assertTrue(e.getMessage().contains("classification-metrics"), e.getMessage());
    }

    @Test
    void nanCandidateNeverReplacesTheChampion() {
        Evaluation e = run(Map.of(), Map.of("roc_auc", Double.NaN), Map.of("roc_auc", 0.5));
        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
    }

    @Test
    void severalMetricsMustAllPassAndTheReasonListsEachComparison() {
        Map<String, Double> candidate = new LinkedHashMap<>();
        candidate.put("roc_auc", 0.99);
        candidate.put("f1_macro", 0.90);
        Map<String, Double> champion = Map.of("roc_auc", 0.98, "f1_macro", 0.92);

        Evaluation e = run(Map.of("metrics", List.of("roc_auc", "f1_macro")), candidate, champion);
        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
        assertEquals("roc_auc 0.9900 >= champion 0.9800 + 0.0000; f1_macro 0.9000 < champion 0.9200 + 0.0000",
                e.verdict().get().reason());
        assertEquals(Map.of("gate_candidate_roc_auc", 0.99, "gate_candidate_f1_macro", 0.90,
                "gate_champion_roc_auc", 0.98, "gate_champion_f1_macro", 0.92), e.candidate().values());

        Evaluation tolerant = run(Map.of("metrics", List.of("roc_auc", "f1_macro"), "min_improvements", List.of(0.0, -0.05)),
                candidate, champion);
        assertEquals(Decision.PROMOTE, tolerant.verdict().orElseThrow().decision());
        assertEquals("roc_auc 0.9900 >= champion 0.9800 + 0.0000; f1_macro 0.9000 >= champion 0.9200 + -0.0500",
                tolerant.verdict().get().reason());
    }

    @Test
    void severalMetricsMixHigherAndLowerIsBetterAndTheSharedMarginAppliesToEach() {
        // rmse improves by 2 (lower is better), r2 by 0.02: a shared margin of 0.5 is met by rmse only.
        Map<String, Double> candidate = Map.of("rmse", 50.0, "r2", 0.52);
        Map<String, Double> champion = Map.of("rmse", 52.0, "r2", 0.50);
        Evaluation e = run(Map.of("metrics", List.of("rmse", "r2"), "min_improvement", 0.5), candidate, champion);
        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
        assertEquals("rmse 50.0000 <= champion 52.0000 - 0.5000; r2 0.5200 < champion 0.5000 + 0.5000", e.verdict().get().reason());

        assertEquals(Decision.PROMOTE, run(Map.of("metrics", "rmse, r2"), candidate, champion).verdict().orElseThrow().decision());
    }

    @Test
    void firstModelWithSeveralMetricsIsPromotedWithItsScores() {
        Evaluation e = run(Map.of("metrics", List.of("rmse", "r2")), Map.of("rmse", 50.0, "r2", 0.5), null);
        assertEquals(Decision.PROMOTE, e.verdict().orElseThrow().decision());
        assertEquals("no production model yet: first model is promoted (rmse 50.0000, r2 0.5000)", e.verdict().get().reason());
    }

    @Test
    void marginsThatDoNotMatchTheMetricsAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> run(
                Map.of("metrics", List.of("roc_auc", "f1_macro"), "min_improvements", List.of(0.01)),
                Map.of("roc_auc", 0.9, "f1_macro", 0.9), null));
        assertEquals("champion-gate: min_improvements has 1 entries but there are 2 metrics [roc_auc, f1_macro]; give one margin"
                + " per entry of metrics, in the same order, or use min_improvement for all", e.getMessage());
    }

    @Test
    void aMissingOneOfSeveralMetricsNamesIt() {
        Exception e = assertThrows(IllegalStateException.class, () -> run(Map.of("metrics", List.of("roc_auc", "mae")),
                Map.of("roc_auc", 0.9), null));
        assertTrue(e.getMessage().contains("no 'mae' among the candidate's metrics"), e.getMessage());
    }
}
