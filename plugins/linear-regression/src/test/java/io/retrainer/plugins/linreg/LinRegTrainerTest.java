package io.retrainer.plugins.linreg;

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

class LinRegTrainerTest {
    private static final LinRegTrainer TRAINER = new LinRegTrainer();
    private static Dataset[] diabetes;
    private static TrainedModel diabetesModel;

    @BeforeAll
    static void trainOnDiabetes() throws Exception {
        diabetes = TestData.split(TestData.read("diabetes_progression.csv", "progression", false), 7);
        diabetesModel = TRAINER.train(diabetes[0], context(Map.of()));
    }

    private static TestStageContext context(Map<String, ?> config) {
        return TestStageContext.of(TRAINER.configSpec(), config);
    }

    @Test
    void diabetesHoldoutRmseIsBelow60AndR2Above03() {
        // The target's standard deviation is about 77; ordinary least squares reaches about 54 on such splits.
        Predictor predictor = diabetesModel.predictor();
        assertEquals(Task.REGRESSION, predictor.task());
        assertEquals(List.of(), predictor.classes());
        List<Prediction> predictions = predictor.predict(diabetes[1]);
        double[] rmseAndR2 = TestData.rmseAndR2(predictions, diabetes[1]);
        assertTrue(rmseAndR2[0] < 60, "holdout RMSE " + rmseAndR2[0]);
        assertTrue(rmseAndR2[1] > 0.3, "holdout R² " + rmseAndR2[1]);
        assertNull(predictions.get(0).label());
        assertTrue(predictions.get(0).probabilities().isEmpty());
    }

    @Test
    void withoutStandardisingTheSameEpochsLearnLittle() throws Exception {
        // Why the target is standardised by default: raw targets in the hundreds defeat AdaGrad's bounded steps.
        Predictor raw = TRAINER.train(diabetes[0], context(Map.of("standardize", false))).predictor();
        double rawRmse = TestData.rmseAndR2(raw.predict(diabetes[1]), diabetes[1])[0];
        double rmse = TestData.rmseAndR2(diabetesModel.predictor().predict(diabetes[1]), diabetes[1])[0];
        assertTrue(rawRmse > rmse, "raw " + rawRmse + " vs standardised " + rmse);
    }

    @Test
    void artifactRoundTripGivesIdenticalPredictionsEvenWithAForeignContextClassLoader() throws Exception {
        assertEquals("tribuo-linear-regression", diabetesModel.format());
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        ClassLoader foreign = new URLClassLoader(new URL[0], null);
        thread.setContextClassLoader(foreign);
        Predictor loaded;
        try {
            loaded = new LinRegModelLoader().load(diabetesModel.artifact());
            assertSame(foreign, thread.getContextClassLoader(), "the loader must restore the caller's context class loader");
        } finally {
            thread.setContextClassLoader(original);
        }
        assertEquals(diabetesModel.predictor().predict(diabetes[1]), loaded.predict(diabetes[1]));
    }

    @Test
    void modelsStoredByAnEarlierBuildStillLoadAndPredictTheSame() throws Exception {
        StoredArtifacts.assertLoadsAndPredictsAsStored(new LinRegModelLoader(), "diabetes",
                TestData.read("diabetes_progression.csv", "progression", false));
    }

    @Test
    void loaderRefusesForeignBytes() {
        Exception e = assertThrows(Exception.class, () -> new LinRegModelLoader().load("hello".getBytes()));
        assertTrue(e.getMessage().contains("not a readable tribuo-linear-regression model"), e.getMessage());
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() throws Exception {
        List<Prediction> expected = diabetesModel.predictor().predict(diabetes[1]);
        assertEquals(expected, TRAINER.train(diabetes[0], context(Map.of())).predictor().predict(diabetes[1]));
        assertNotEquals(expected, TRAINER.train(diabetes[0], context(Map.of()).withSeed(43)).predictor().predict(diabetes[1]));
    }

    @Test
    void hyperParametersRecordEverySettingAndTheSeed() throws Exception {
        TrainedModel model = TRAINER.train(diabetes[0],
                context(Map.of("epochs", 5, "l2", 0, "minibatch_size", 10)).withSeed(99));
        assertEquals(Map.of("epochs", "5", "learning_rate", "0.1", "l2", "0.0", "standardize", "true",
                "minibatch_size", "10", "optimiser", "adagrad", "loss", "squared", "seed", "99"), model.hyperParameters());
    }

    @Test
    void categoricalLabelIsRefused() {
        Dataset classes = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.CATEGORICAL)), "y")).addRow(1.0, "a").addRow(2.0, "b").build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> TRAINER.train(classes, context(Map.of())));
        assertEquals("linear-regression needs a numeric label; 'y' is categorical — use a classification trainer", e.getMessage());
    }

    @Test
    void badSettingsAreExplained() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> TRAINER.train(diabetes[0], context(Map.of("learning_rate", -1))));
        assertEquals("linear-regression: learning_rate must be positive", e.getMessage());
    }

    @Test
    void categoricalFeaturesUnseenCategoriesAndMissingValuesDoNotFail() throws Exception {
        // y = 10 x + 100 for red, 10 x for the others; some colours and xs are missing.
        Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL),
                new Column("note", ColumnType.TEXT), new Column("y", ColumnType.NUMERIC)), "y");
        Dataset.Builder b = Dataset.builder(schema);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            String colour = i % 10 == 0 ? null : colours[i % 3];
            double x = i % 5;
            b.addRow(i % 7 == 0 ? null : x, colour, "free text " + i, 10 * x + ("red".equals(colour) ? 100 : 0));
        }
        b.addRow(1.0, "red", null, null); // no target: skipped with a warning
        TestStageContext context = context(Map.of("epochs", 100));
        Predictor predictor = TRAINER.train(b.build(), context).predictor();
        assertTrue(context.logLines().contains("WARN 1 rows have no target value and are not used"), context.logLines().toString());
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN column 'note' is text and is ignored")));

        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL),
                        new Column("x", ColumnType.NUMERIC)), null))
                .addRow("red", 2.0).addRow("green", 2.0).addRow("purple", 2.0).addRow(null, 2.0).addRow("red", null).build();
        List<Prediction> p = predictor.predict(inputs);
        assertEquals(5, p.size());
        assertTrue(p.get(0).value() - p.get(1).value() > 80, p.toString());
        // unseen and missing colour encode identically: no colour feature at all
        assertEquals(p.get(2), p.get(3));
        assertTrue(Double.isFinite(p.get(4).value()));
    }

    @Test
    void predictorIsSafeToShareBetweenThreads() throws Exception {
        TestData.assertSafeToShareBetweenThreads(diabetesModel.predictor(), diabetes[1], 20);
    }
}
