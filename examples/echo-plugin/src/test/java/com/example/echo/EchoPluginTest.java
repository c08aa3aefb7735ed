package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.ModelRef;
import io.retrainer.api.Predictor;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Verdict;
import io.retrainer.api.testing.TestStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every extension of the plugin, driven as the platform drives it, through {@link TestStageContext}. */
class EchoPluginTest {

    @Test
    void sourceTrainerLoaderEvaluatorAndDeployerWorkTogether() throws Exception {
        EchoDataSource source = new EchoDataSource();
        Dataset data = source.load(TestStageContext.of(source.configSpec(), Map.of("rows", 1000, "noise", 0.0)));
        assertEquals(1000, data.rowCount());
        assertEquals("side", data.schema().label());
        assertEquals("echo-1000-0.0-7", data.fingerprint());
        // Same settings, same data: the fingerprint is stable.
        assertEquals(data.fingerprint(), source.load(TestStageContext.of(source.configSpec(), Map.of("rows", 1000, "noise", 0.0))).fingerprint());

        CentroidTrainer trainer = new CentroidTrainer();
        TestStageContext trainCtx = TestStageContext.of(trainer.configSpec(), Map.of());
        TrainedModel model = trainer.train(data, trainCtx);
        assertEquals("echo-centroid", model.format());
        assertEquals(1.0, trainCtx.lastProgress());
        // The loader reads the artifact back into a model that predicts the same.
        Predictor loaded = trainer.load(model.artifact());
        assertEquals(model.predictor().predict(data), loaded.predict(data));

        AccuracyEvaluator evaluator = new AccuracyEvaluator();
        Evaluation first = evaluator.evaluate(new EvaluationInput(data, model.predictor(), Optional.empty(), null, null),
                TestStageContext.of(evaluator.configSpec(), Map.of()));
        double accuracy = first.candidate().get("echo_accuracy").orElseThrow();
        // The classes are the two halves of the square split by x + y = 1: centroids get most rows right.
        assertTrue(accuracy > 0.8, "accuracy " + accuracy);
        assertEquals(Verdict.Decision.PROMOTE, first.verdict().orElseThrow().decision());

        Path dir = Files.createTempDirectory("echo-deploy");
        FileDeployer deployer = new FileDeployer();
        TestStageContext deployCtx = TestStageContext.of(deployer.configSpec(), Map.of("dir", dir.toString()));
        deployer.deploy(new ModelRef("m", 3, "echo-centroid", "abc", data.schema().withoutLabel()), deployCtx);
        assertTrue(Files.readString(dir.resolve("m.deployed")).contains("version=3"));
    }

    @Test
    void aWorseCandidateIsRejectedAndBadSettingsAreRefusedByTheSpec() throws Exception {
        EchoDataSource source = new EchoDataSource();
        Dataset data = source.load(TestStageContext.of(source.configSpec(), Map.of("rows", 500)));
        Predictor good = new CentroidTrainer().train(data, TestStageContext.of(new CentroidTrainer().configSpec(), Map.of())).predictor();
        // A "model" that always says low: about half right.
        Predictor bad = new CentroidModel(java.util.List.of("x", "y"), Map.of("low", new double[] {0.5, 0.5}));
        AccuracyEvaluator evaluator = new AccuracyEvaluator();
        Evaluation e = evaluator.evaluate(new EvaluationInput(data, bad, Optional.of(good), null, null),
                TestStageContext.of(evaluator.configSpec(), Map.of("tolerance", 0.01)));
        assertEquals(Verdict.Decision.REJECT, e.verdict().orElseThrow().decision());

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> TestStageContext.of(source.configSpec(), Map.of("rows", "many")));
        assertTrue(wrong.getMessage().contains("config.rows"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CentroidTrainer().load("nonsense".getBytes()));
    }
}
