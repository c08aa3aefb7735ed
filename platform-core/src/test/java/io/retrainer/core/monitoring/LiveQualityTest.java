package io.retrainer.core.monitoring;

import static io.retrainer.core.monitoring.MonitoringDb.batch;
import static io.retrainer.core.monitoring.MonitoringDb.model;
import static io.retrainer.core.monitoring.MonitoringDb.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Prediction;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.ServedBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live quality on a known feedback set equals the hand-computed values. The classification set
 * (score = P(yes), predicted, true):
 * 0.9 yes yes, 0.8 yes no, 0.7 yes yes, 0.4 no yes, 0.3 no no, 0.55 yes no, 0.6 yes yes, 0.1 no no, 0.55 yes yes.
 * Accuracy 6/9. F1(yes) = 2*4/(2*4+2+1) = 8/11, F1(no) = 2*2/(2*2+1+2) = 4/7, macro 50/77.
 * AUC: of the 5 x 4 positive/negative pairs, 14 ranked right and one tie (0.55/0.55) counts half: 14.5/20.
 */
class LiveQualityTest {
    static final double[] SCORES = {0.9, 0.8, 0.7, 0.4, 0.3, 0.55, 0.6, 0.1, 0.55};
    static final String[] TRUTH = {"yes", "no", "yes", "yes", "no", "no", "yes", "no", "yes"};
    static MonitoringDb env;
    static QualityMonitor quality;

    @BeforeAll
    static void start() throws Exception {
        env = new MonitoringDb(10_000);
        quality = env.monitoring.quality();
        PredictionLog log = env.monitoring.predictionLog();
        ServedBatch live = batch("q", model("m", 1), "blue", SCORES.length, Instant.now(), i -> yes(SCORES[i]));
        // The shadow (v2) always says yes with 0.9: right on the 5 yes rows only.
        ServedBatch shadow = batch("q", model("m", 2), "green", true, live.ids(), live.at(), i -> yes(0.9));
        // Unlabelled traffic and old traffic must not count.
        ServedBatch unlabelled = batch("q", model("m", 1), "blue", 5, Instant.now(), i -> yes(0.9));
        ServedBatch old = batch("q", model("m", 1), "blue", 4, Instant.now().minus(Duration.ofHours(2)), i -> yes(0.9));
        ServedBatch reg = batch("q-reg", model("r", 1), "blue", 3, Instant.now(), i -> Prediction.ofValue(10 * (i + 1)));
        for (ServedBatch b : List.of(live, shadow, unlabelled, old, reg)) {
            log.onBatch(b);
        }
        Db.await(log.flush());
        List<FeedbackItem> items = new ArrayList<>();
        for (int i = 0; i < TRUTH.length; i++) {
            items.add(new FeedbackItem(live.ids().get(i), TRUTH[i], null));
        }
        for (String id : old.ids()) {
            items.add(new FeedbackItem(id, "no", null));
        }
        double[] truths = {12, 18, 33};
        for (int i = 0; i < 3; i++) {
            items.add(new FeedbackItem(reg.ids().get(i), null, truths[i]));
        }
        assertEquals(TRUTH.length + 4 + 3, Db.await(env.monitoring.feedback().submit(items)).accepted());
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static QualityReading read(String endpoint, String metric) {
        return Db.await(quality.read(endpoint, metric, Duration.ofHours(1))).orElseThrow(() -> new AssertionError(metric + " empty"));
    }

    @Test
    void classificationMetricsEqualTheHandComputedValues() {
        QualityReading accuracy = read("q", "accuracy");
        assertEquals(6.0 / 9, accuracy.value(), 1e-12);
        assertEquals(9, accuracy.labelled(), "unlabelled and older predictions do not count");
        assertEquals(Duration.ofHours(1), Duration.between(accuracy.from(), accuracy.to()));
        assertEquals(50.0 / 77, read("q", "f1").value(), 1e-12);
        assertEquals(14.5 / 20, read("q", "roc_auc").value(), 1e-12);
        assertTrue(Db.await(quality.read("q", "mae", Duration.ofHours(1))).isEmpty(), "no regression metric for a classifier");
    }

    @Test
    void windowsAreByPredictionTimeSoLateLabelsCountWhereTheirPredictionWas() {
        QualityReading threeHours = Db.await(quality.read("q", "accuracy", Duration.ofHours(3))).orElseThrow();
        // The 4 two-hour-old predictions said yes, their labels (sent now) say no.
        assertEquals(13, threeHours.labelled());
        assertEquals(6.0 / 13, threeHours.value(), 1e-12);
    }

    @Test
    void regressionMetricsEqualTheHandComputedValues() {
        assertEquals(7.0 / 3, read("q-reg", "mae").value(), 1e-12);
        assertEquals(Math.sqrt(17.0 / 3), read("q-reg", "rmse").value(), 1e-12);
        assertEquals(3, read("q-reg", "rmse").labelled());
        assertTrue(Db.await(quality.read("q-reg", "accuracy", Duration.ofHours(1))).isEmpty());
    }

    @Test
    void versionsAreReadApartAndAShadowOnItsMirroredAnswers() {
        Instant since = Instant.now().minus(Duration.ofMinutes(30));
        assertEquals(6.0 / 9, Db.await(quality.readVersion("q", "m", 1, "accuracy", since)).orElseThrow().value(), 1e-12);
        QualityReading shadow = Db.await(quality.readVersion("q", "m", 2, "accuracy", since)).orElseThrow();
        assertEquals(5.0 / 9, shadow.value(), 1e-12);
        assertEquals(9, shadow.labelled());
        assertEquals(Optional.empty(), Db.await(quality.readVersion("q", "m", 3, "accuracy", since)));
        assertEquals(Optional.empty(), Db.await(quality.read("nowhere", "accuracy", Duration.ofHours(1))));
        assertTrue(quality.read("q", "precision", Duration.ofHours(1)).failed());
    }

    @Test
    void refreshPublishesGaugesAndRecordsSnapshots() {
        Db.await(quality.refresh());
        assertEquals(6.0 / 9, env.metric("retrainer_live_quality", "q", "m", "1", "blue", "accuracy"), 1e-12);
        assertEquals(5.0 / 9, env.metric("retrainer_live_quality", "q", "m", "2", "green-shadow", "accuracy"), 1e-12);
        assertEquals(9, env.metric("retrainer_live_labelled", "q", "m", "1", "blue"), 0.0);
        assertEquals(Math.sqrt(17.0 / 3), env.metric("retrainer_live_quality", "q-reg", "r", "1", "blue", "rmse"), 1e-12);
        List<QualitySnapshotRecord> snaps = Db.await(quality.snapshots("q", Instant.now().minus(Duration.ofMinutes(5))));
        assertFalse(snaps.isEmpty());
        assertTrue(snaps.stream().anyMatch(s -> s.metric.equals("roc_auc") && s.modelVersion == 1
                && Math.abs(s.value - 14.5 / 20) < 1e-12 && s.labelled == 9 && s.windowSeconds == 3600));
    }
}
