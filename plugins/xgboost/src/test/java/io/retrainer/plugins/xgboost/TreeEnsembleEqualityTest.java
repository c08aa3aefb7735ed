package io.retrainer.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java evaluator against xgboost4j's own prediction of the same model, row by row, on
 * every holdout row of the three real data sets, with and without missing values.
 */
class TreeEnsembleEqualityTest {
    private static final double TOLERANCE = 1e-6;
    private static final XgbTrainer TRAINER = new XgbTrainer();

    static Stream<Arguments> dataSets() {
        return Stream.of(
                Arguments.of("breast_cancer.csv", "diagnosis", ColumnType.CATEGORICAL, "binary:logistic"),
                Arguments.of("wine.csv", "cultivar", ColumnType.CATEGORICAL, "multi:softprob"),
                Arguments.of("diabetes_progression.csv", "progression", ColumnType.NUMERIC, "reg:squarederror"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void pureJavaGivesXgboost4jsOutputsOnEveryHoldoutRow(String file, String label, ColumnType type, String objective) throws Exception {
        Dataset[] parts = TestData.split(TestData.read(file, label, type), 7);
        // Missing values in training too, so that the trees learn default directions both ways.
        Dataset training = TestData.withHoles(parts[0], 0.1, 1);
        TrainedModel model = TRAINER.train(training, TestStageContext.of(TRAINER.configSpec(), Map.of("threads", 1)));
        assertEquals(objective, model.hyperParameters().get("objective"));

        XgbPredictor served = (XgbPredictor) new XgbModelLoader().load(model.artifact());
        ModelArtifact artifact = ModelArtifact.fromBytes(model.artifact());
        for (Dataset holdout : List.of(parts[1], TestData.withHoles(parts[1], 0.2, 2))) {
            assertSameOutputs(served, artifact, holdout);
        }
    }

    @Test
    void categoricalOneHotWithUnseenAndMissingCategoriesGivesXgboost4jsOutputs() throws Exception {
        Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL),
                new Column("y", ColumnType.NUMERIC)), "y");
        Random random = new Random(5);
        String[] colours = {"red", "green", "blue", "grey"};
        Dataset.Builder train = Dataset.builder(schema);
        for (int i = 0; i < 400; i++) {
            String colour = i % 9 == 0 ? null : colours[random.nextInt(colours.length)];
            Double x = i % 7 == 0 ? null : random.nextGaussian();
            double y = ("red".equals(colour) ? 10 : colour == null ? -5 : 0) + (x == null ? 3 : 2 * x) + random.nextGaussian();
            train.addRow(x, colour, y);
        }
        TrainedModel model = TRAINER.train(train.build(), TestStageContext.of(TRAINER.configSpec(), Map.of("rounds", 30, "threads", 1)));
        Dataset.Builder inputs = Dataset.builder(schema.withoutLabel());
        for (String colour : new String[] {"red", "green", "purple", null}) {
            for (Double x : new Double[] {-1.0, 0.0, 0.5, null}) {
                inputs.addRow(x, colour);
            }
        }
        assertSameOutputs((XgbPredictor) model.predictor(), ModelArtifact.fromBytes(model.artifact()), inputs.build());
    }

    @Test
    void theFirstRoundsOfAModelPredictLikeXgboostLimitedToThoseRounds() throws Exception {
        Dataset[] parts = TestData.split(TestData.read("wine.csv", "cultivar"), 7);
        FeatureEncoder encoder = FeatureEncoder.fit(parts[0], allRows(parts[0]), TestStageContext.of(TRAINER.configSpec(), Map.of()).log());
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "multi:softprob");
        params.put("num_class", 3);
        params.put("nthread", 1);
        float[] labels = new float[parts[0].rowCount()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = Integer.parseInt(parts[0].labelString(r).substring("class_".length()));
        }
        DMatrix train = dense(encoder, parts[0]);
        train.setLabel(labels);
        Booster full = XGBoost.train(train, params, 20, Map.of(), null, null);
        byte[] cut = BoosterJson.firstRounds(full.toByteArray("json"), 8);
        TreeEnsemble trees = TreeEnsemble.parse(cut);
        assertEquals(24, trees.trees());

        DMatrix holdout = dense(encoder, parts[1]);
        float[][] expected = full.predict(holdout, false, 8);
        float[][] reloaded = XGBoost.loadModel(cut).predict(holdout);
        float[] x = new float[encoder.width()];
        float[] out = new float[3];
        for (int r = 0; r < parts[1].rowCount(); r++) {
            encoder.bind(parts[1].schema()).dense(parts[1], r, x);
            trees.predict(x, out);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[r][c], reloaded[r][c], TOLERANCE);
                assertEquals(expected[r][c], out[c], TOLERANCE);
            }
        }
    }

    private static int[] allRows(Dataset data) {
        return java.util.stream.IntStream.range(0, data.rowCount()).toArray();
    }

    private static DMatrix dense(FeatureEncoder encoder, Dataset data) throws Exception {
        FeatureEncoder.Bound bound = encoder.bind(data.schema());
        int width = encoder.width();
        float[] matrix = new float[data.rowCount() * width];
        float[] x = new float[width];
        for (int r = 0; r < data.rowCount(); r++) {
            bound.dense(data, r, x);
            System.arraycopy(x, 0, matrix, r * width, width);
        }
        return new DMatrix(matrix, data.rowCount(), width, Float.NaN);
    }

    /** Every output of every row, from the evaluator and from the served predictions, against xgboost4j. */
    private static void assertSameOutputs(XgbPredictor served, ModelArtifact artifact, Dataset inputs) throws Exception {
        Booster booster = XGBoost.loadModel(artifact.modelJson());
        float[][] expected = booster.predict(dense(artifact.encoder(), inputs));
        List<Prediction> predictions = served.predict(inputs);
        List<String> classes = served.classes();
        float[] x = new float[artifact.encoder().width()];
        float[] out = new float[served.trees().outputs()];
        double worst = 0;
        for (int r = 0; r < inputs.rowCount(); r++) {
            artifact.encoder().bind(inputs.schema()).dense(inputs, r, x);
            served.trees().predict(x, out);
            assertEquals(expected[r].length, out.length);
            for (int k = 0; k < out.length; k++) {
                assertEquals(expected[r][k], out[k], TOLERANCE, "row " + r + " output " + k);
                worst = Math.max(worst, Math.abs(expected[r][k] - out[k]));
            }
            Prediction p = predictions.get(r);
            if (classes.isEmpty()) {
                assertEquals(expected[r][0], p.value(), TOLERANCE);
            } else if (classes.size() == 2) {
                assertEquals(expected[r][0], p.probabilities().get(classes.get(1)), TOLERANCE);
            } else {
                for (int c = 0; c < classes.size(); c++) {
                    assertEquals(expected[r][c], p.probabilities().get(classes.get(c)), TOLERANCE);
                }
            }
        }
        assertTrue(inputs.rowCount() > 0);
        System.out.println("largest difference to xgboost4j over " + inputs.rowCount() + " rows: " + worst);
    }
}
