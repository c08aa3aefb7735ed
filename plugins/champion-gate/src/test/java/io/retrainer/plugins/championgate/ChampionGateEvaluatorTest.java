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
}
