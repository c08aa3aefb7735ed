package io.retrainer.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class XgbTrainerTest {
    private static final XgbTrainer TRAINER = new XgbTrainer();
    private static Dataset[] breastCancer;
    private static TrainedModel breastCancerModel;

    @BeforeAll
    static void trainOnBreastCancer() throws Exception {
        breastCancer = TestData.split(TestData.read("breast_cancer.csv", "diagnosis"), 7);
        breastCancerModel = TRAINER.train(breastCancer[0], context(Map.of("threads", 2)));
    }

    /** One thread unless a test says otherwise: OpenMP's spinning threads crawl on a shared, loaded machine. */
    private static TestStageContext context(Map<String, ?> config) {
        Map<String, Object> withThreads = new java.util.HashMap<>(config);
        withThreads.putIfAbsent("threads", 1);
        return TestStageContext.of(TRAINER.configSpec(), withThreads);
    }

    @Test
    void breastCancerHoldoutAucIsAtLeast098() {
        Predictor predictor = breastCancerModel.predictor();
        assertEquals(List.of("benign", "malignant"), predictor.classes());
        assertEquals(Task.CLASSIFICATION, predictor.task());
        List<Prediction> predictions = predictor.predict(breastCancer[1]);
        double[] scores = new double[predictions.size()];
        boolean[] malignant = new boolean[predictions.size()];
        for (int r = 0; r < scores.length; r++) {
            scores[r] = predictions.get(r).probabilities().get("malignant");
            malignant[r] = breastCancer[1].labelString(r).equals("malignant");
            Prediction p = predictions.get(r);
            assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertEquals(p.probabilities().get(p.label()), p.value());
            assertTrue(p.value() >= 0.5);
        }
        double auc = TestData.auc(scores, malignant);
        assertTrue(auc >= 0.98, "holdout AUC " + auc);
        assertEquals("binary:logistic", breastCancerModel.hyperParameters().get("objective"));
    }

    @Test
    void wineMulticlassAccuracyIsAtLeast09() throws Exception {
        Dataset[] wine = TestData.split(TestData.read("wine.csv", "cultivar"), 7);
        TrainedModel model = TRAINER.train(wine[0], context(Map.of()));
        assertEquals("multi:softprob", model.hyperParameters().get("objective"));
        Predictor predictor = model.predictor();
        assertEquals(List.of("class_0", "class_1", "class_2"), predictor.classes());
        List<Prediction> predictions = predictor.predict(wine[1]);
        int correct = 0;
        for (int r = 0; r < wine[1].rowCount(); r++) {
            assertEquals(3, predictions.get(r).probabilities().size());
            assertEquals(1.0, predictions.get(r).probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
            correct += predictions.get(r).label().equals(wine[1].labelString(r)) ? 1 : 0;
        }
        double accuracy = (double) correct / wine[1].rowCount();
        assertTrue(accuracy >= 0.9, "holdout accuracy " + accuracy);
    }

    @Test
    void diabetesRegressionRmseIsSane() throws Exception {
        Dataset[] diabetes = TestData.split(TestData.read("diabetes_progression.csv", "progression", ColumnType.NUMERIC), 7);
        // Small data: a gentler learning rate than the default, as one would configure it.
        TrainedModel model = TRAINER.train(diabetes[0], context(Map.of("eta", 0.05, "max_depth", 3, "rounds", 200)));
        assertEquals("reg:squarederror", model.hyperParameters().get("objective"));
        Predictor predictor = model.predictor();
        assertEquals(Task.REGRESSION, predictor.task());
        assertEquals(List.of(), predictor.classes());
        List<Prediction> predictions = predictor.predict(diabetes[1]);
        double squares = 0;
        double mean = 0;
        for (int r = 0; r < diabetes[1].rowCount(); r++) {
            mean += diabetes[1].number(diabetes[1].labelIndex(), r) / diabetes[1].rowCount();
        }
        double baseline = 0;
        for (int r = 0; r < diabetes[1].rowCount(); r++) {
            double truth = diabetes[1].number(diabetes[1].labelIndex(), r);
            assertNull(predictions.get(r).label());
            squares += Math.pow(predictions.get(r).value() - truth, 2);
            baseline += Math.pow(mean - truth, 2);
        }
        double rmse = Math.sqrt(squares / diabetes[1].rowCount());
        double constant = Math.sqrt(baseline / diabetes[1].rowCount());
        assertTrue(rmse < 70, "holdout RMSE " + rmse);
        assertTrue(rmse < constant, "holdout RMSE " + rmse + " is no better than predicting the mean (" + constant + ")");
    }

    @Test
    void earlyStoppingStopsEarlyAndKeepsTheBestRound() throws Exception {
        // At the default eta the validation loss bottoms out within a few dozen rounds.
        TestStageContext context = context(Map.of("eta", 0.3, "rounds", 300, "early_stopping_rounds", 3,
                "validation_fraction", 0.25));
        TrainedModel model = TRAINER.train(breastCancer[0], context);
        Map<String, String> h = model.hyperParameters();
        int trained = Integer.parseInt(h.get("rounds_trained"));
        int best = Integer.parseInt(h.get("best_rounds"));
        assertTrue(trained < 300, "trained all " + trained + " rounds");
        assertEquals(trained - 3, best);
        assertEquals(best, ((XgbPredictor) model.predictor()).trees().trees());
        assertTrue(Double.parseDouble(h.get("best_validation_logloss")) < 0.3, h.toString());
        assertEquals("0.25", h.get("validation_fraction"));
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("INFO early stopping after round " + trained)),
                context.logLines().toString());
        // The kept model is a valid XGBoost model of that many rounds.
        assertEquals(best, XGBoost.loadModel(ModelArtifact.fromBytes(model.artifact()).modelJson()).getNumBoostedRound());
    }

    @Test
    void earlyStoppingDoesNotCutAModelThatStillImprovesOnATinyEta() throws Exception {
        // With a tiny eta every round lowers the validation loss a little: nothing to stop.
        TrainedModel model = TRAINER.train(breastCancer[0], context(Map.of("eta", 0.001, "rounds", 40, "early_stopping_rounds", 3)));
        assertEquals("40", model.hyperParameters().get("rounds_trained"));
        assertEquals("40", model.hyperParameters().get("best_rounds"));
        assertEquals(40, ((XgbPredictor) model.predictor()).trees().trees());
    }

    @Test
    void artifactRoundTripGivesIdenticalPredictionsEvenWithAForeignContextClassLoader() throws Exception {
        assertEquals("xgboost-json", breastCancerModel.format());
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        ClassLoader foreign = new URLClassLoader(new URL[0], null);
        thread.setContextClassLoader(foreign);
        Predictor loaded;
        try {
            loaded = new XgbModelLoader().load(breastCancerModel.artifact());
            assertSame(foreign, thread.getContextClassLoader());
        } finally {
            thread.setContextClassLoader(original);
        }
        assertEquals(breastCancerModel.predictor().classes(), loaded.classes());
        assertEquals(breastCancerModel.predictor().predict(breastCancer[1]), loaded.predict(breastCancer[1]));
    }

    @Test
    void loaderRefusesForeignAndDamagedBytes() {
        Exception e = assertThrows(Exception.class, () -> new XgbModelLoader().load("hello".getBytes()));
        assertTrue(e.getMessage().contains("not a readable xgboost-json model"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(breastCancerModel.artifact(), breastCancerModel.artifact().length / 2);
        e = assertThrows(Exception.class, () -> new XgbModelLoader().load(cut));
        assertTrue(e.getMessage().contains("not a readable xgboost-json model"), e.getMessage());
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
        Map<String, Object> sampled = Map.of("subsample", 0.7, "colsample_bytree", 0.7);
        TrainedModel first = TRAINER.train(breastCancer[0], context(sampled));
        TrainedModel again = TRAINER.train(breastCancer[0], context(sampled));
        TrainedModel reseeded = TRAINER.train(breastCancer[0], context(sampled).withSeed(43));
        List<Prediction> expected = first.predictor().predict(breastCancer[1]);
        assertEquals(expected, again.predictor().predict(breastCancer[1]));
        assertNotEquals(expected, reseeded.predictor().predict(breastCancer[1]));
    }

    @Test
    void hyperParametersRecordEverySettingTheSeedAndFeatureImportance() throws Exception {
        TrainedModel model = TRAINER.train(breastCancer[0], context(Map.of("rounds", 10, "max_depth", 3, "eta", 0.5,
                "threads", 1, "lambda", 2, "min_child_weight", 0.5)).withSeed(99));
        Map<String, String> h = new java.util.HashMap<>(model.hyperParameters());
        String importance = h.remove("feature_importance");
        assertEquals(Map.ofEntries(Map.entry("objective", "binary:logistic"), Map.entry("rounds", "10"), Map.entry("max_depth", "3"),
                Map.entry("eta", "0.5"), Map.entry("tree_method", "hist"), Map.entry("threads", "1"),
                Map.entry("early_stopping_rounds", "0"), Map.entry("subsample", "1.0"), Map.entry("colsample_bytree", "1.0"),
                Map.entry("min_child_weight", "0.5"), Map.entry("lambda", "2.0"), Map.entry("seed", "99"),
                Map.entry("xgboost", "3.4.0"), Map.entry("rounds_trained", "10"), Map.entry("best_rounds", "10")), h);

        // Gain importance: a JSON object, largest first, equal to XGBoost's own "gain" scores.
        JsonNode json = new ObjectMapper().readTree(importance);
        assertTrue(json.size() >= 3, importance);
        ModelArtifact artifact = ModelArtifact.fromBytes(model.artifact());
        Map<String, Double> xgboost = XGBoost.loadModel(artifact.modelJson()).getScore("", "gain");
        assertEquals(xgboost.size(), json.size());
        double previous = Double.POSITIVE_INFINITY;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double gain = e.getValue().doubleValue();
            assertTrue(gain <= previous, importance);
            previous = gain;
            int f = artifact.encoder().featureNames().indexOf(e.getKey());
            assertTrue(f >= 0, e.getKey());
            assertEquals(xgboost.get("f" + f), gain, 1e-5 * gain, e.getKey());
        }
    }

    @Test
    void numericLabelWithAClassificationObjectiveIsRefused() {
        Dataset regression = Dataset.builder(new Schema(List.of(new Column("bmi", ColumnType.NUMERIC),
                new Column("progression", ColumnType.NUMERIC)), "progression")).addRow(32.1, 151.0).addRow(20.0, 80.0).build();
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> TRAINER.train(regression, context(Map.of("objective", "binary:logistic"))));
        assertEquals("xgboost: objective binary:logistic needs a categorical label; 'progression' is numeric"
                + " (a csv source can read it as categorical with task: classification)", e.getMessage());
    }

    @Test
    void binaryObjectiveOnThreeClassesAndSingleClassAreRefused() throws Exception {
        Dataset wine = TestData.read("wine.csv", "cultivar");
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> TRAINER.train(wine, context(Map.of("objective", "binary:logistic"))));
        assertTrue(e.getMessage().contains("needs two classes") && e.getMessage().contains("multi:softprob"), e.getMessage());
        Dataset one = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.CATEGORICAL)), "y")).addRow(1.0, "a").addRow(2.0, "a").build();
        e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(one, context(Map.of())));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
    }

    @Test
    void badSettingsAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(breastCancer[0], context(Map.of("eta", 0))));
        assertEquals("xgboost: eta must be above 0 and at most 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> context(Map.of("tree_method", "gpu")));
        assertTrue(e.getMessage().contains("config.tree_method: \"gpu\" is not one of [hist, approx, exact]"), e.getMessage());
    }

    @Test
    void cancellationStopsTraining() {
        TestStageContext context = context(Map.of());
        context.cancel();
        assertThrows(CancellationException.class, () -> TRAINER.train(breastCancer[0], context));
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
        TestStageContext context = context(Map.of("rounds", 20));
        TrainedModel model = TRAINER.train(b.build(), context);
        Predictor predictor = model.predictor();
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN column 'note' is text and is ignored")),
                context.logLines().toString());
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN column 'when' is timestamp and is ignored")));
        assertTrue(model.hyperParameters().get("feature_importance").contains("\"colour=red\""),
                model.hyperParameters().get("feature_importance"));

        // Inputs without x, without text columns, with a known, an unseen and a missing colour; and
        // a colour given as a number (as JSON might), which is rendered and is unseen.
        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL)), null))
                .addRow("red").addRow("purple").addRow((Object) null).addRow("green").build();
        List<Prediction> predictions = predictor.predict(inputs);
        assertEquals(4, predictions.size());
        assertEquals("hot", predictions.get(0).label());
        assertEquals("cold", predictions.get(3).label());
        for (Prediction p : predictions) {
            assertEquals(1.0, p.probabilities().get("hot") + p.probabilities().get("cold"), 1e-9);
        }
        // unseen and missing colour encode identically: every colour indicator missing
        assertEquals(predictions.get(1), predictions.get(2));
        Dataset numericColour = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.NUMERIC)), null))
                .addRow(3.0).build();
        assertEquals(predictions.get(1), predictor.predict(numericColour).get(0));
    }

    @Test
    void predictorIsSafeToShareBetweenThreads() throws Exception {
        Predictor predictor = breastCancerModel.predictor();
        List<Prediction> expected = predictor.predict(breastCancer[1]);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        assertEquals(expected, predictor.predict(breastCancer[1]));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failure.get());
    }
}
