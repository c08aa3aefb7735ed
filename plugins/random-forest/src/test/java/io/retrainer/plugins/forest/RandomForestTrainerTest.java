package io.retrainer.plugins.forest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import io.retrainer.plugins.tribuo.StoredArtifacts;
import io.retrainer.plugins.tribuo.TestData;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RandomForestTrainerTest {
    private static final RandomForestTrainer TRAINER = new RandomForestTrainer();
    private static Dataset[] breastCancer;
    private static Dataset[] diabetes;
    /** Forests with the default settings, for the quality checks. */
    private static TrainedModel breastCancerModel;
    private static TrainedModel diabetesModel;
    /** Smaller forests for everything else: the machine running the tests is small and shared. */
    private static final Map<String, Object> SMALL = Map.of("trees", 20);

    @BeforeAll
    static void train() throws Exception {
        breastCancer = TestData.split(TestData.read("breast_cancer.csv", "diagnosis", true), 7);
        breastCancerModel = TRAINER.train(breastCancer[0], context(Map.of()));
        diabetes = TestData.split(TestData.read("diabetes_progression.csv", "progression", false), 7);
        diabetesModel = TRAINER.train(diabetes[0], context(Map.of()));
    }

    private static TestStageContext context(Map<String, ?> config) {
        return TestStageContext.of(TRAINER.configSpec(), config);
    }

    @Test
    void breastCancerHoldoutAucIsAtLeast095() {
        Predictor predictor = breastCancerModel.predictor();
        assertEquals(Task.CLASSIFICATION, predictor.task());
        assertEquals(List.of("benign", "malignant"), predictor.classes());
        List<Prediction> predictions = predictor.predict(breastCancer[1]);
        double auc = TestData.auc(predictions, breastCancer[1], "malignant");
        assertTrue(auc >= 0.95, "holdout AUC " + auc);
        for (Prediction p : predictions) {
            assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
            assertEquals(p.probabilities().get(p.label()), p.value());
        }
    }

    @Test
    void wineMulticlassAccuracyIsAtLeast09() throws Exception {
        Dataset[] wine = TestData.split(TestData.read("wine.csv", "cultivar", true), 7);
        Predictor predictor = TRAINER.train(wine[0], context(Map.of())).predictor();
        assertEquals(List.of("class_0", "class_1", "class_2"), predictor.classes());
        double accuracy = TestData.accuracy(predictor.predict(wine[1]), wine[1]);
        assertTrue(accuracy >= 0.9, "holdout accuracy " + accuracy);
    }

    @Test
    void diabetesRegressionForestHasRmseBelow60AndR2Above03() {
        // The target's standard deviation is about 77; a linear model reaches about 54 on such splits.
        Predictor predictor = diabetesModel.predictor();
        assertEquals(Task.REGRESSION, predictor.task());
        List<Prediction> predictions = predictor.predict(diabetes[1]);
        double[] rmseAndR2 = TestData.rmseAndR2(predictions, diabetes[1]);
        assertTrue(rmseAndR2[0] < 60, "holdout RMSE " + rmseAndR2[0]);
        assertTrue(rmseAndR2[1] > 0.3, "holdout RMSE " + rmseAndR2[0] + " R² " + rmseAndR2[1]);
        assertNull(predictions.get(0).label());
    }

    @Test
    void artifactRoundTripGivesIdenticalPredictionsForBothTasksEvenWithAForeignContextClassLoader() throws Exception {
        assertEquals("tribuo-random-forest", breastCancerModel.format());
        TrainedModel smallClassifier = TRAINER.train(breastCancer[0], context(SMALL));
        TrainedModel smallRegressor = TRAINER.train(diabetes[0], context(SMALL));
        for (Object[] pair : new Object[][] {{smallClassifier, breastCancer[1]}, {smallRegressor, diabetes[1]}}) {
            TrainedModel model = (TrainedModel) pair[0];
            Dataset holdout = (Dataset) pair[1];
            Thread thread = Thread.currentThread();
            ClassLoader original = thread.getContextClassLoader();
            ClassLoader foreign = new URLClassLoader(new URL[0], null);
            thread.setContextClassLoader(foreign);
            Predictor loaded;
            try {
                loaded = new RandomForestModelLoader().load(model.artifact());
                assertSame(foreign, thread.getContextClassLoader(), "the loader must restore the caller's context class loader");
            } finally {
                thread.setContextClassLoader(original);
            }
            assertEquals(model.predictor().task(), loaded.task());
            assertEquals(model.predictor().classes(), loaded.classes());
            assertEquals(model.predictor().predict(holdout), loaded.predict(holdout));
        }
    }

    @Test
    void modelsStoredByAnEarlierBuildStillLoadAndPredictTheSame() throws Exception {
        StoredArtifacts.assertLoadsAndPredictsAsStored(new RandomForestModelLoader(), "breast-cancer",
                TestData.read("breast_cancer.csv", "diagnosis", true));
        StoredArtifacts.assertLoadsAndPredictsAsStored(new RandomForestModelLoader(), "diabetes",
                TestData.read("diabetes_progression.csv", "progression", false));
    }

    @Test
    void loaderRefusesForeignBytesAndOtherFormats() throws Exception {
        Exception e = assertThrows(Exception.class, () -> new RandomForestModelLoader().load("hello".getBytes()));
        assertTrue(e.getMessage().contains("not a readable tribuo-random-forest model"), e.getMessage());
    }

    @Test
    void sameSeedSameForestOtherSeedOtherForest() throws Exception {
        Map<String, Object> small = Map.of("trees", 10);
        List<Prediction> a = TRAINER.train(diabetes[0], context(small)).predictor().predict(diabetes[1]);
        assertEquals(a, TRAINER.train(diabetes[0], context(small)).predictor().predict(diabetes[1]));
        assertNotEquals(a, TRAINER.train(diabetes[0], context(small).withSeed(43)).predictor().predict(diabetes[1]));
    }

    @Test
    void withoutBootstrapAndWithAllFeaturesEveryTreeIsTheSameTree() throws Exception {
        // No source of randomness is left, so the forest's answers take as few values as one tree's leaves.
        Predictor same = TRAINER.train(diabetes[0], context(Map.of("trees", 5, "bootstrap", false, "feature_fraction", 1.0,
                "max_depth", 2))).predictor();
        assertTrue(same.predict(diabetes[1]).stream().map(Prediction::value).distinct().count() <= 4);
        Predictor bagged = TRAINER.train(diabetes[0], context(Map.of("trees", 5, "feature_fraction", 1.0,
                "max_depth", 2))).predictor();
        assertTrue(bagged.predict(diabetes[1]).stream().map(Prediction::value).distinct().count() > 4);
    }

    @Test
    void hyperParametersRecordEverySettingTheResolvedFeatureFractionAndTheSeed() throws Exception {
        TrainedModel model = TRAINER.train(diabetes[0], context(Map.of("trees", 3, "bootstrap", false)).withSeed(99));
        assertEquals(Map.of("task", "regression", "trees", "3", "max_depth", "0", "min_child_weight", "2.0",
                "feature_fraction", Float.toString(1f / 3), "bootstrap", "false", "impurity", "mse", "seed", "99"),
                model.hyperParameters());
        // 30 features: √30 / 30 of them at each split
        assertEquals(Float.toString((float) (Math.sqrt(30) / 30)),
                TRAINER.train(breastCancer[0], context(Map.of("trees", 2))).hyperParameters().get("feature_fraction"));
    }

    @Test
    void cancellationStopsBetweenTrees() {
        TestStageContext context = context(Map.of("trees", 1000));
        context.cancel();
        Exception e = assertThrows(CancellationException.class, () -> TRAINER.train(diabetes[0], context));
        assertEquals("random-forest: training was cancelled", e.getMessage());
    }

    @Test
    void badSettingsAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(diabetes[0], context(Map.of("trees", 0))));
        assertEquals("random-forest: trees must be between 2 and 100000", e.getMessage());
    }

    @Test
    void categoricalFeaturesUnseenCategoriesAndMissingValuesDoNotFail() throws Exception {
        // y is "hot" for red and for large x; some colours and xs are missing; one class is rare.
        Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL),
                new Column("y", ColumnType.CATEGORICAL)), "y");
        Dataset.Builder b = Dataset.builder(schema);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            String colour = i % 10 == 0 ? null : colours[i % 3];
            Double x = i % 7 == 0 ? null : (double) (i % 5);
            boolean hot = "red".equals(colour) || x != null && x >= 4;
            b.addRow(x, colour, hot ? "hot" : "cold");
        }
        // A class with one row: most bootstrap samples miss it, and the forest must still know it.
        b.addRow(2.0, "blue", "rare");
        Predictor predictor = TRAINER.train(b.build(), context(Map.of("trees", 20))).predictor();
        assertEquals(List.of("cold", "hot", "rare"), predictor.classes());

        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL),
                        new Column("x", ColumnType.NUMERIC)), null))
                .addRow("red", 1.0).addRow("green", 1.0).addRow("purple", 1.0).addRow(null, 1.0).addRow("green", null).build();
        List<Prediction> p = predictor.predict(inputs);
        assertEquals("hot", p.get(0).label());
        assertEquals("cold", p.get(1).label());
        assertEquals(p.get(2), p.get(3), "unseen and missing colour encode identically");
        assertEquals(3, p.get(4).probabilities().size());
    }

    @Test
    void predictorIsSafeToShareBetweenThreads() throws Exception {
        TestData.assertSafeToShareBetweenThreads(TRAINER.train(breastCancer[0], context(SMALL)).predictor(), breastCancer[1], 5);
    }
}
