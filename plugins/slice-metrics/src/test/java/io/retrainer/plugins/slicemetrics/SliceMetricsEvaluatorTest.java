package io.retrainer.plugins.slicemetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.Verdict.Decision;
import io.retrainer.api.testing.TestStageContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Expected numbers are worked out by hand in the comments. */
class SliceMetricsEvaluatorTest {
    private final SliceMetricsEvaluator evaluator = new SliceMetricsEvaluator();

    /** A model whose answers are fixed in advance, one per holdout row. */
    private record FixedPredictor(Task task, List<Prediction> answers) implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            assertEquals(answers.size(), inputs.rowCount());
            return answers;
        }

        @Override
        public List<String> classes() {
            return task == Task.CLASSIFICATION ? List.of("a", "b") : List.of();
        }
    }

    private static Predictor classes(String... labels) {
        return new FixedPredictor(Task.CLASSIFICATION, java.util.Arrays.stream(labels)
                .map(l -> Prediction.ofClass(l, Map.of(l, 1.0))).toList());
    }

    private static Predictor values(double... values) {
        return new FixedPredictor(Task.REGRESSION, java.util.Arrays.stream(values).mapToObj(Prediction::ofValue).toList());
    }

    /**
     * region north: y a a b b; south: y a b b; one row without a region: y a.
     * The candidate is perfect on north (1.0) and poor on south (1/3); the champion the other way round
     * (north 3/4, south 1.0). Both are right on the row without a region.
     */
    private static final Dataset REGIONS = Dataset.builder(new Schema(List.of(new Column("region", ColumnType.CATEGORICAL),
                    new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL)), "y"))
            .addRow("north", 1.0, "a").addRow("north", 1.0, "a").addRow("north", 1.0, "b").addRow("north", 1.0, "b")
            .addRow("south", 1.0, "a").addRow("south", 1.0, "b").addRow("south", 1.0, "b")
            .addRow(null, 1.0, "a")
            .build();
    private static final Predictor CANDIDATE = classes("a", "a", "b", "b", "b", "b", "a", "a");
    private static final Predictor CHAMPION = classes("a", "b", "b", "b", "a", "b", "b", "a");

    private Evaluation run(Map<String, ?> config, Dataset holdout, Predictor candidate, Predictor champion) {
        return run(TestStageContext.of(evaluator.configSpec(), config), holdout, candidate, champion);
    }

    private Evaluation run(TestStageContext context, Dataset holdout, Predictor candidate, Predictor champion) {
        return evaluator.evaluate(new EvaluationInput(holdout, candidate, Optional.ofNullable(champion), null, null), context);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> slices(io.retrainer.api.Metrics metrics) {
        return (List<Map<String, Object>>) ((Map<String, Object>) metrics.details().get("slices")).get("slices");
    }

    @Test
    void accuracyPerSliceLargestFirstWithMissingAsItsOwnSlice() {
        Evaluation e = run(Map.of("column", "region"), REGIONS, CANDIDATE, CHAMPION);
        List<Map<String, Object>> candidate = slices(e.candidate());
        assertEquals(List.of(Map.of("value", "north", "rows", 4, "accuracy", 1.0, "champion_accuracy", 0.75),
                Map.of("value", "south", "rows", 3, "accuracy", 1.0 / 3, "champion_accuracy", 1.0),
                Map.of("value", "(missing)", "rows", 1, "accuracy", 1.0, "champion_accuracy", 1.0)), candidate);
        assertEquals(List.of(0.75, 1.0, 1.0), slices(e.champion()).stream().map(s -> s.get("accuracy")).toList());
        // the (missing) slice has 1 row, under min_slice_rows 10 — and so are the others: no worst value at all
        assertTrue(e.candidate().values().isEmpty(), e.candidate().values().toString());
        assertTrue(e.verdict().isEmpty(), "no gate without max_slice_drop");

        Evaluation counted = run(Map.of("column", "region", "min_slice_rows", 3), REGIONS, CANDIDATE, CHAMPION);
        assertEquals(Map.of("slice_worst_accuracy", 1.0 / 3), counted.candidate().values());
        assertEquals(Map.of("slice_worst_accuracy", 0.75), counted.champion().values());
    }

    @Test
    void macroF1PerSlice() {
        // candidate on south: y a b b, predicted b b a. class a: precision 0/1, recall 0/1, F1 0;
        // class b: precision 1/2, recall 1/2, F1 1/2 — macro F1 1/4. On north it is perfect: 1.
        Evaluation e = run(Map.of("column", "region", "metric", "f1_macro"), REGIONS, CANDIDATE, null);
        assertEquals(List.of(1.0, 0.25, 1.0), slices(e.candidate()).stream().map(s -> s.get("f1_macro")).toList());
        assertTrue(e.champion().values().isEmpty());
    }

    @Test
    void gateRejectsACandidateWorseOnOneSliceNamingTheSliceAndBothScores() {
        // Overall the candidate gets 6 of 8 right and the champion 7 of 8, but the gate looks per slice:
        // north improves by 0.25, south drops by 2/3.
        Evaluation e = run(Map.of("column", "region", "max_slice_drop", 0.1, "min_slice_rows", 3), REGIONS, CANDIDATE, CHAMPION);
        assertEquals(Decision.REJECT, e.verdict().orElseThrow().decision());
        assertEquals("region=south (3 rows): accuracy 0.3333 vs champion 1.0000, worse by 0.6667 > max_slice_drop 0.1000"
                + " (1 slices with fewer than 3 rows not compared)", e.verdict().get().reason());
    }

    @Test
    void slicesUnderMinRowsAreNotComparedAndTheLargestDropIsReported() {
        Evaluation e = run(Map.of("column", "region", "max_slice_drop", 0.1, "min_slice_rows", 4), REGIONS, CANDIDATE, CHAMPION);
        assertEquals(Decision.PROMOTE, e.verdict().orElseThrow().decision());
        assertEquals("no slice of region is worse than the champion by more than 0.1000 on accuracy (largest drop: "
                + "region=north (4 rows): accuracy 1.0000 vs champion 0.7500) (2 slices with fewer than 4 rows not compared)",
                e.verdict().get().reason());
    }

    @Test
    void gateWithinTheMarginPromotesAndTheFirstModelPasses() {
        Evaluation within = run(Map.of("column", "region", "max_slice_drop", 0.7, "min_slice_rows", 1), REGIONS, CANDIDATE, CHAMPION);
        assertEquals(Decision.PROMOTE, within.verdict().orElseThrow().decision());
        assertTrue(within.verdict().get().reason().contains("largest drop: region=south (3 rows): accuracy 0.3333 vs champion 1.0000"),
                within.verdict().get().reason());

        Evaluation first = run(Map.of("column", "region", "max_slice_drop", 0.0), REGIONS, CANDIDATE, null);
        assertEquals(Decision.PROMOTE, first.verdict().orElseThrow().decision());
        assertEquals("no production model yet: no slice of region to compare", first.verdict().get().reason());
    }

    @Test
    void regressionSlicesOnANumericColumnWithRmseAndMae() {
        // sex 1: y 10, 20 predicted 12, 17 (errors 2, 3): rmse √6.5, mae 2.5; sex 2: y 5 predicted 5: 0.
        // The champion is off by 1 everywhere: rmse 1 and mae 1 on both slices.
        Dataset holdout = Dataset.builder(new Schema(List.of(new Column("sex", ColumnType.NUMERIC),
                        new Column("y", ColumnType.NUMERIC)), "y"))
                .addRow(1.0, 10.0).addRow(2.0, 5.0).addRow(1.0, 20.0).addRow(2.0, null).build();
        Predictor candidate = values(12, 5, 17, 99);
        Predictor champion = values(11, 6, 21, 99);
        Evaluation rmse = run(Map.of("column", "sex", "min_slice_rows", 1, "max_slice_drop", 1.0), holdout, candidate, champion);
        assertEquals(List.of(Map.of("value", "1", "rows", 2, "rmse", Math.sqrt(6.5), "champion_rmse", 1.0),
                Map.of("value", "2", "rows", 1, "rmse", 0.0, "champion_rmse", 1.0)), slices(rmse.candidate()));
        assertEquals(Map.of("slice_worst_rmse", Math.sqrt(6.5)), rmse.candidate().values());
        // sex=1 is worse by √6.5 − 1 = 1.5495 > 1: lower is better for rmse
        assertEquals(Decision.REJECT, rmse.verdict().orElseThrow().decision());
        assertTrue(rmse.verdict().get().reason().startsWith("sex=1 (2 rows): rmse 2.5495 vs champion 1.0000, worse by 1.5495"),
                rmse.verdict().get().reason());

        Evaluation mae = run(Map.of("column", "sex", "metric", "mae"), holdout, candidate, champion);
        assertEquals(List.of(2.5, 0.0), slices(mae.candidate()).stream().map(s -> s.get("mae")).toList());
        assertEquals(List.of(1.0, 1.0), slices(mae.champion()).stream().map(s -> s.get("mae")).toList());
    }

    @Test
    void onlyTheLargestSlicesAreReportedAndTheRestIsLogged() {
        Dataset.Builder b = Dataset.builder(new Schema(List.of(new Column("shop", ColumnType.CATEGORICAL),
                new Column("y", ColumnType.CATEGORICAL)), "y"));
        Map<String, Integer> sizes = new HashMap<>(Map.of("s1", 5, "s2", 4, "s3", 3, "s4", 2, "s5", 1));
        int rows = 0;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                b.addRow(e.getKey(), "a");
                rows++;
            }
        }
        String[] answers = new String[rows];
        java.util.Arrays.fill(answers, "a");
        TestStageContext context = TestStageContext.of(evaluator.configSpec(), Map.of("column", "shop", "max_slices", 2));
        Evaluation e = run(context, b.build(), classes(answers), null);
        assertEquals(List.of("s1", "s2"), slices(e.candidate()).stream().map(s -> s.get("value")).toList());
        assertTrue(context.logLines().contains(
                "WARN column 'shop' has 5 values; the 3 smallest slices (6 rows) are beyond max_slices 2 and not reported"),
                context.logLines().toString());
    }

    @Test
    void mistakesAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> run(Map.of("column", "country"), REGIONS, CANDIDATE, null));
        assertEquals("slice-metrics: column 'country' is not a feature column of the holdout (columns: region, x)", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> run(Map.of("column", "region", "metric", "rmse"), REGIONS, CANDIDATE, null));
        assertEquals("slice-metrics: metric rmse is for regression but label 'y' makes this classification", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TestStageContext.of(evaluator.configSpec(), Map.of("metric", "auc")));
        assertTrue(e.getMessage().contains("config.column: required string is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("config.metric: \"auc\" is not one of [auto, accuracy, f1_macro, mae, rmse]"), e.getMessage());
    }
}
