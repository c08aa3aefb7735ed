package io.retrainer.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Dataset;
import io.retrainer.core.PlatformFixture;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.pipeline.RunView;
import io.retrainer.core.serving.Routed;
import io.retrainer.core.serving.ServedBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift end to end on a real platform and PostgreSQL: a run registers a model (the register stage
 * stores its reference profile) and deploys it; live rows go through the real serving path
 * ({@code InferenceService}) and the platform's drift monitor bins them. Each test has an
 * endpoint of its own, so their windows do not mix.
 */
class DriftMonitorTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration HOUR = Duration.ofHours(1);
    static final List<String> ENDPOINTS = List.of("calm", "shifted", "unseen", "reloaded");
    static PlatformFixture f;
    static Map<String, RunView> runs = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        f = PlatformFixture.start();
        for (String name : ENDPOINTS) {
            f.save("""
                    name: %s
                    source: { plugin: test-sea, config: { rows: 5000 } }
                    split: { test_fraction: 0.2 }
                    train: { plugin: test-sea-sum }
                    evaluate:
                      - plugin: test-accuracy-gate
                    deploy: { plugin: test-serving, config: { endpoint: %s } }
                    """.formatted(name, name));
            RunView run = f.awaitRun(f.trigger(name), WAIT);
            assertEquals("succeeded", run.summary().status(), run.toString());
            runs.put(name, run);
        }
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** Sends {@code rows} to {@code endpoint} in requests of 50 rows through the platform's inference service. */
    static void serve(String endpoint, Dataset rows) throws Exception {
        for (int from = 0; from < rows.rowCount(); from += 50) {
            int[] idx = java.util.stream.IntStream.range(from, Math.min(rows.rowCount(), from + 50)).toArray();
            Routed routed = f.platform.serving().route(endpoint, null).orElseThrow();
            f.platform.inference().infer(routed, rows.rows(idx), System.nanoTime()).toCompletionStage().toCompletableFuture().get();
        }
    }

    static Map<String, FeatureDrift> byFeature(List<FeatureDrift> drift) {
        return drift.stream().collect(Collectors.toMap(FeatureDrift::feature, Function.identity()));
    }

    @Test
    void theRegisterStageStoresAReferenceProfile() {
        String log = runs.get("calm").stages().stream().filter(s -> s.name().equals("register")).findFirst().orElseThrow().log();
        assertTrue(log.contains("drift reference profile: 4 features from 4000 training rows, outputs from 1000 rows"), log);
    }

    @Test
    void anUnshiftedStreamStaysBelowPsiPointOneOnEveryFeature() throws Exception {
        serve("calm", SeaSource.rows(new Random(1), 5000, 0, 0));
        Map<String, FeatureDrift> d = byFeature(f.platform.drift().drift("calm", HOUR));
        assertEquals(List.of("f1", "f2", "f3", "color", DriftMonitor.PREDICTION),
                f.platform.drift().drift("calm", HOUR).stream().map(FeatureDrift::feature).toList());
        for (FeatureDrift x : d.values()) {
            assertEquals(5000, x.liveCount(), x.toString());
            assertTrue(x.psi() < 0.1, x.toString());
            if (x.kind().equals(FeatureDrift.NUMERIC)) {
                assertTrue(x.ks() < 0.05, x.toString());
            }
        }
        assertEquals(FeatureDrift.CATEGORICAL, d.get("color").kind());
        assertNull(d.get("color").ks());
        assertEquals(FeatureDrift.PREDICTION, d.get(DriftMonitor.PREDICTION).kind());
    }

    @Test
    void shiftingOneFeatureRaisesItsPsiAndKsAndThePredictionDriftOnly() throws Exception {
        serve("shifted", SeaSource.rows(new Random(2), 5000, 3.0, 0));
        Map<String, FeatureDrift> d = byFeature(f.platform.drift().drift("shifted", HOUR));
        assertTrue(d.get("f1").psi() > 0.2, d.get("f1").toString());
        // f1 uniform on [0,10] against [3,13]: the exact KS distance is 0.3.
        assertEquals(0.3, d.get("f1").ks(), 0.03, d.get("f1").toString());
        for (String other : List.of("f2", "f3", "color")) {
            assertTrue(d.get(other).psi() < 0.1, d.get(other).toString());
        }
        assertTrue(d.get("f2").ks() < 0.05 && d.get("f3").ks() < 0.05, d.toString());
        // "yes" (f1 + f2 <= 8) falls from about 32 % to about 2 % of predictions.
        assertTrue(d.get(DriftMonitor.PREDICTION).psi() > 0.2, d.get(DriftMonitor.PREDICTION).toString());

        // The gauges carry the same numbers.
        f.platform.drift().refresh();
        var registry = f.platform.metrics().registry();
        String[] names = {"endpoint", "model", "version", "feature"};
        Double psi = registry.getSampleValue("retrainer_drift_psi", names, new String[] {"shifted", "shifted", "1", "f1"});
        Double ks = registry.getSampleValue("retrainer_drift_ks", names, new String[] {"shifted", "shifted", "1", "f1"});
        assertNotNull(psi);
        assertTrue(psi > 0.2, "gauge " + psi);
        assertTrue(ks > 0.25, "gauge " + ks);
        assertNull(registry.getSampleValue("retrainer_drift_ks", names, new String[] {"shifted", "shifted", "1", "color"}));
    }

    @Test
    void anUnseenCategoryLandsInTheUnseenBinAndRaisesCategoricalPsi() throws Exception {
        serve("unseen", SeaSource.rows(new Random(3), 4000, 0, 0.2));
        DriftReport report = f.platform.drift().report("unseen", HOUR).orElseThrow();
        DriftReport.FeatureReport color = report.features().stream().filter(x -> x.feature().equals("color")).findFirst().orElseThrow();
        int unseen = color.bins().indexOf("(unseen)");
        assertEquals(0.0, color.reference()[unseen]);
        assertEquals(0.2, color.live()[unseen], 0.02);
        assertTrue(color.psi() > 0.2, color.toString());
        for (DriftReport.FeatureReport x : report.features()) {
            if (!x.feature().equals("color")) {
                assertTrue(x.psi() < 0.1, x.feature() + " " + x.psi());
            }
        }
    }

    @Test
    void aSecondMonitorLoadsTheStoredProfileAndIgnoresShadowRows() throws Exception {
        // A monitor of its own (as after a restart): it finds the profile in the database on first use.
        DriftMonitor fresh = new DriftMonitor(f.platform.database().db(), f.platform.serving(), new PlatformMetrics(), Clock.systemUTC());
        f.platform.serving().addListener(fresh);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fresh.report("reloaded", HOUR).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "profile never loaded");
            Thread.sleep(20);
        }
        Dataset shifted = SeaSource.rows(new Random(4), 2000, 3.0, 0);
        // A mirrored shadow prediction is not live traffic: neither monitor counts it.
        var model = f.platform.serving().served("reloaded").orElseThrow();
        f.platform.serving().published(new ServedBatch("reloaded", model, "green", true, shifted,
                model.predictor().predict(shifted), List.of(), Instant.now(), 0));
        serve("reloaded", shifted);

        Map<String, FeatureDrift> mine = byFeature(fresh.drift("reloaded", HOUR));
        Map<String, FeatureDrift> platform = byFeature(f.platform.drift().drift("reloaded", HOUR));
        assertEquals(2000, mine.get("f1").liveCount());
        assertEquals(2000, platform.get("f1").liveCount());
        assertTrue(mine.get("f1").psi() > 0.2, mine.toString());
        assertEquals(platform, mine, "the stored profile gives the same statistics as the one built at registration");
        assertFalse(fresh.drift("no-such-endpoint", HOUR).iterator().hasNext());
        fresh.close();
    }
}
