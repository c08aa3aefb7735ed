package io.retrainer.plugins.dtree;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecisionTreeTrainerTest {
    private static final DecisionTreeTrainer TRAINER = new DecisionTreeTrainer();
    private static Dataset[] breastCancer;
    private static Dataset[] diabetes;
    private static TrainedModel breastCancerModel;
    private static TrainedModel diabetesModel;

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
            assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
            assertEquals(p.probabilities().get(p.label()), p.value());
        }
    }

    @Test
    void wineMulticlassAccuracyIsAtLeast085() throws Exception {
        Dataset[] wine = TestData.split(TestData.read("wine.csv", "cultivar", true), 7);
        Predictor predictor = TRAINER.train(wine[0], context(Map.of())).predictor();
        assertEquals(List.of("class_0", "class_1", "class_2"), predictor.classes());
        double accuracy = TestData.accuracy(predictor.predict(wine[1]), wine[1]);
        assertTrue(accuracy >= 0.85, "holdout accuracy " + accuracy);
    }

    @Test
    void diabetesRegressionTreeHasRmseBelow65AndR2Above03() {
        // The target's standard deviation is about 77; a linear model reaches about 54 on such splits.
        Predictor predictor = diabetesModel.predictor();
        assertEquals(Task.REGRESSION, predictor.task());
        assertEquals(List.of(), predictor.classes());
        List<Prediction> predictions = predictor.predict(diabetes[1]);
        double[] rmseAndR2 = TestData.rmseAndR2(predictions, diabetes[1]);
        assertTrue(rmseAndR2[0] < 65, "holdout RMSE " + rmseAndR2[0]);
        assertTrue(rmseAndR2[1] > 0.3, "holdout RMSE " + rmseAndR2[0] + " R² " + rmseAndR2[1]);
        assertNull(predictions.get(0).label());
    }

    @Test
    void artifactRoundTripGivesIdenticalPredictionsForBothTasksEvenWithAForeignContextClassLoader() throws Exception {
        assertEquals("tribuo-decision-tree", breastCancerModel.format());
        for (Object[] pair : new Object[][] {{breastCancerModel, breastCancer[1]}, {diabetesModel, diabetes[1]}}) {
            TrainedModel model = (TrainedModel) pair[0];
            Dataset holdout = (Dataset) pair[1];
            Thread thread = Thread.currentThread();
            ClassLoader original = thread.getContextClassLoader();
            ClassLoader foreign = new URLClassLoader(new URL[0], null);
            thread.setContextClassLoader(foreign);
            Predictor loaded;
            try {
                loaded = new DecisionTreeModelLoader().load(model.artifact());
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
        StoredArtifacts.assertLoadsAndPredictsAsStored(new DecisionTreeModelLoader(), "breast-cancer",
                TestData.read("breast_cancer.csv", "diagnosis", true));
        StoredArtifacts.assertLoadsAndPredictsAsStored(new DecisionTreeModelLoader(), "diabetes",
                TestData.read("diabetes_progression.csv", "progression", false));
    }

    @Test
    void loaderRefusesForeignBytes() {
        Exception e = assertThrows(Exception.class, () -> new DecisionTreeModelLoader().load("hello".getBytes()));
        assertTrue(e.getMessage().contains("not a readable tribuo-decision-tree model"), e.getMessage());
    }

    @Test
    void depthLimitChangesTheTreeAndFeatureSamplingFollowsTheSeed() throws Exception {
        List<Prediction> full = breastCancerModel.predictor().predict(breastCancer[1]);
        List<Prediction> stump = TRAINER.train(breastCancer[0], context(Map.of("max_depth", 1))).predictor().predict(breastCancer[1]);
        // A stump has two leaves, so at most two distinct probabilities.
        assertTrue(stump.stream().map(Prediction::value).distinct().count() <= 2);
        assertNotEquals(full, stump);

        Map<String, Object> sampled = Map.of("feature_fraction", 0.3);
        List<Prediction> a = TRAINER.train(breastCancer[0], context(sampled)).predictor().predict(breastCancer[1]);
        List<Prediction> b = TRAINER.train(breastCancer[0], context(sampled)).predictor().predict(breastCancer[1]);
        List<Prediction> c = TRAINER.train(breastCancer[0], context(sampled).withSeed(5)).predictor().predict(breastCancer[1]);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void hyperParametersRecordEverySettingTheTaskAndTheSeed() throws Exception {
        TrainedModel model = TRAINER.train(diabetes[0], context(Map.of("max_depth", 0, "min_child_weight", 10)).withSeed(99));
        assertEquals(Map.of("task", "regression", "max_depth", "0", "min_child_weight", "10.0", "min_impurity_decrease", "0.0",
                "feature_fraction", "1.0", "impurity", "mse", "seed", "99"), model.hyperParameters());
    }

    @Test
    void textLabelAndBadSettingsAreExplained() {
        Dataset text = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.TEXT)), "y")).addRow(1.0, "a").addRow(2.0, "b").build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(text, context(Map.of())));
        assertEquals("decision-tree needs a categorical (classification) or numeric (regression) label; 'y' is text", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(diabetes[0], context(Map.of("feature_fraction", 1.5))));
        assertEquals("decision-tree: feature_fraction must be above 0 and at most 1", e.getMessage());
    }

    @Test
    void categoricalFeaturesUnseenCategoriesAndMissingValuesDoNotFail() throws Exception {
        // y is "hot" for red and for large x; some colours and xs are missing.
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
        b.addRow(1.0, "red", null);
        TestStageContext context = context(Map.of());
        Predictor predictor = TRAINER.train(b.build(), context).predictor();
        assertTrue(context.logLines().contains("WARN 1 rows have no label and are not used"), context.logLines().toString());

        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL),
                        new Column("x", ColumnType.NUMERIC)), null))
                .addRow("red", 1.0).addRow("green", 1.0).addRow("purple", 1.0).addRow(null, 1.0).addRow("green", null).build();
        List<Prediction> p = predictor.predict(inputs);
        assertEquals("hot", p.get(0).label());
        assertEquals("cold", p.get(1).label());
        assertEquals(p.get(2), p.get(3), "unseen and missing colour encode identically");
        assertEquals(2, p.get(4).probabilities().size());

        // Columns by name: a reordered schema with an extra column predicts the same.
        Dataset reordered = Dataset.builder(new Schema(List.of(new Column("extra", ColumnType.TEXT),
                        new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL)), null))
                .addRow("?", 1.0, "red").addRow("?", 1.0, "green").build();
        assertEquals(p.subList(0, 2), predictor.predict(reordered));
    }

    @Test
    void predictorIsSafeToShareBetweenThreads() throws Exception {
        TestData.assertSafeToShareBetweenThreads(breastCancerModel.predictor(), breastCancer[1], 20);
    }
}
