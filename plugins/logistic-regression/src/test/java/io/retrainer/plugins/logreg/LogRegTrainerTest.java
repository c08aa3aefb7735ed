package io.retrainer.plugins.logreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import io.retrainer.plugins.tribuo.StoredArtifacts;
import io.retrainer.plugins.tribuo.TestData;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogRegTrainerTest {
    private static final LogRegTrainer TRAINER = new LogRegTrainer();
    private static Dataset[] breastCancer;
    private static TrainedModel breastCancerModel;

    @BeforeAll
    static void trainOnBreastCancer() throws Exception {
        breastCancer = TestData.split(TestData.read("breast_cancer.csv", "diagnosis", true), 7);
        breastCancerModel = TRAINER.train(breastCancer[0], context(Map.of()));
    }

    private static TestStageContext context(Map<String, ?> config) {
        return TestStageContext.of(TRAINER.configSpec(), config);
    }

    private static double holdoutAuc(Predictor predictor, Dataset holdout) {
        return TestData.auc(predictor.predict(holdout), holdout, "malignant");
    }

    @Test
    void breastCancerHoldoutAucIsAtLeast098() {
        Predictor predictor = breastCancerModel.predictor();
        assertEquals(List.of("benign", "malignant"), predictor.classes());
        double auc = holdoutAuc(predictor, breastCancer[1]);
        assertTrue(auc >= 0.98, "holdout AUC " + auc);

        Prediction first = predictor.predict(breastCancer[1]).get(0);
        assertEquals(1.0, first.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(first.probabilities().get(first.label()), first.value());
    }

    @Test
    void wineMulticlassAccuracyIsAtLeast09() throws Exception {
        Dataset[] wine = TestData.split(TestData.read("wine.csv", "cultivar", true), 7);
        Predictor predictor = TRAINER.train(wine[0], context(Map.of())).predictor();
        assertEquals(List.of("class_0", "class_1", "class_2"), predictor.classes());

        List<Prediction> predictions = predictor.predict(wine[1]);
        int correct = 0;
        for (int r = 0; r < wine[1].rowCount(); r++) {
            assertEquals(3, predictions.get(r).probabilities().size());
            correct += predictions.get(r).label().equals(wine[1].labelString(r)) ? 1 : 0;
        }
        double accuracy = (double) correct / wine[1].rowCount();
        assertTrue(accuracy >= 0.9, "holdout accuracy " + accuracy);
    }

    @Test
    void artifactRoundTripGivesIdenticalProbabilitiesEvenWithAForeignContextClassLoader() throws Exception {
        TrainedModel model = breastCancerModel;
        assertEquals("tribuo-logistic-regression", model.format());

        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        // A loader that sees neither the plugin nor Tribuo, as a host thread's might be.
        ClassLoader foreign = new URLClassLoader(new URL[0], null);
        thread.setContextClassLoader(foreign);
        Predictor loaded;
        try {
            loaded = new LogRegModelLoader().load(model.artifact());
            assertSame(foreign, thread.getContextClassLoader(), "the loader must restore the caller's context class loader");
        } finally {
            thread.setContextClassLoader(original);
        }

        assertEquals(model.predictor().classes(), loaded.classes());
        assertEquals(model.predictor().predict(breastCancer[1]), loaded.predict(breastCancer[1]));
    }

    @Test
    void modelsStoredByAnEarlierBuildStillLoadAndPredictTheSame() throws Exception {
        StoredArtifacts.assertLoadsAndPredictsAsStored(new LogRegModelLoader(), "breast-cancer",
                TestData.read("breast_cancer.csv", "diagnosis", true));
    }

    @Test
    void loaderRefusesForeignBytes() {
        Exception e = assertThrows(Exception.class, () -> new LogRegModelLoader().load("hello".getBytes()));
        assertTrue(e.getMessage().contains("not a readable tribuo-logistic-regression model"), e.getMessage());
    }

    @Test
    void columnsAreFoundByNameNotPosition() {
        Dataset holdout = breastCancer[1];
        List<Column> reversed = new ArrayList<>(holdout.schema().features());
        Collections.reverse(reversed);
        reversed.add(0, new Column("extra", ColumnType.CATEGORICAL));
        Dataset.Builder b = Dataset.builder(new Schema(reversed, null));
        for (int r = 0; r < holdout.rowCount(); r++) {
            Object[] row = new Object[reversed.size()];
            row[0] = "ignored";
            for (int c = 1; c < row.length; c++) {
                row[c] = holdout.value(holdout.schema().indexOf(reversed.get(c).name()), r);
            }
            b.addRow(row);
        }
        Predictor predictor = breastCancerModel.predictor();
        assertEquals(predictor.predict(holdout), predictor.predict(b.build()));
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() throws Exception {
        Predictor again = TRAINER.train(breastCancer[0], context(Map.of())).predictor();
        Predictor reseeded = TRAINER.train(breastCancer[0], context(Map.of()).withSeed(43)).predictor();
        List<Prediction> expected = breastCancerModel.predictor().predict(breastCancer[1]);

        assertEquals(expected, again.predict(breastCancer[1]));
        assertNotEquals(expected, reseeded.predict(breastCancer[1]));
    }

    @Test
    void hyperParametersRecordEverySettingAndTheSeed() throws Exception {
        TrainedModel model = TRAINER.train(breastCancer[0],
                context(Map.of("epochs", 5, "l2", 0, "standardize", false, "minibatch_size", 10)).withSeed(99));
        assertEquals(Map.of("epochs", "5", "learning_rate", "0.1", "l2", "0.0", "standardize", "false",
                "minibatch_size", "10", "optimiser", "adagrad", "loss", "log_multiclass", "seed", "99"), model.hyperParameters());
    }

    @Test
    void numericLabelIsRefused() {
        Dataset regression = Dataset.builder(new Schema(List.of(new Column("bmi", ColumnType.NUMERIC),
                new Column("progression", ColumnType.NUMERIC)), "progression")).addRow(32.1, 151.0).build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(regression, context(Map.of())));
        assertEquals("logistic-regression needs a categorical label; 'progression' is numeric — use a regression trainer", e.getMessage());
    }

    @Test
    void singleClassIsRefused() {
        Dataset one = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.CATEGORICAL)), "y")).addRow(1.0, "a").addRow(2.0, "a").build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(one, context(Map.of())));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
    }

    @Test
    void badSettingsAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> TRAINER.train(breastCancer[0], context(Map.of("epochs", 0))));
        assertEquals("logistic-regression: epochs must be at least 1", e.getMessage());
    }

    @Test
    void categoricalFeaturesUnseenCategoriesAndMissingValuesDoNotFail() throws Exception {
        // y is "hot" for red and for large x; colour carries most of the signal.
        Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL),
                new Column("note", ColumnType.TEXT), new Column("when", ColumnType.TIMESTAMP),
                new Column("y", ColumnType.CATEGORICAL)), "y");
        Dataset.Builder b = Dataset.builder(schema);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            String colour = i % 10 == 0 ? null : colours[i % 3];
            Double x = i % 7 == 0 ? null : (double) (i % 5);
            boolean hot = "red".equals(colour) || x != null && x >= 4;
            b.addRow(x, colour, "free text " + i, 1.7e12 + i, hot ? "hot" : "cold");
        }
        TestStageContext context = context(Map.of());
        Predictor predictor = TRAINER.train(b.build(), context).predictor();
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN column 'note' is text and is ignored")),
                context.logLines().toString());
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN column 'when' is timestamp and is ignored")));

        // Inputs without x, without text columns, with an unseen and a missing colour.
        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL)), null))
                .addRow("red").addRow("purple").addRow((Object) null).build();
        List<Prediction> predictions = predictor.predict(inputs);
        assertEquals(3, predictions.size());
        assertEquals("hot", predictions.get(0).label());
        for (Prediction p : predictions) {
            assertEquals(1.0, p.probabilities().get("hot") + p.probabilities().get("cold"), 1e-9);
        }
        // unseen and missing colour encode identically: no colour feature at all
        assertEquals(predictions.get(1), predictions.get(2));
    }

    @Test
    void categoricalOnlyModelScoresARowWithNothingKnown() throws Exception {
        Schema schema = new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL), new Column("y", ColumnType.CATEGORICAL)), "y");
        Dataset.Builder b = Dataset.builder(schema);
        for (int i = 0; i < 50; i++) {
            b.addRow(i % 2 == 0 ? "red" : "blue", i % 2 == 0 ? "hot" : "cold");
        }
        Predictor predictor = TRAINER.train(b.build(), context(Map.of())).predictor();
        Dataset unseen = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL)), null)).addRow("green").build();
        assertEquals(2, predictor.predict(unseen).get(0).probabilities().size());
    }

    @Test
    void predictorIsSafeToShareBetweenThreads() throws Exception {
        TestData.assertSafeToShareBetweenThreads(breastCancerModel.predictor(), breastCancer[1], 20);
    }
}
