package io.retrainer.core.monitoring;

import static io.retrainer.core.monitoring.MonitoringDb.batch;
import static io.retrainer.core.monitoring.MonitoringDb.model;
import static io.retrainer.core.monitoring.MonitoringDb.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.retrainer.api.Prediction;
import io.retrainer.core.json.Json;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.ServedBatch;
import io.retrainer.core.serving.ServedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The prediction log against real PostgreSQL: drops under a burst, shadow rows, sampling, retention. */
class PredictionLogTest {
    private MonitoringDb env;

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aBurstLargerThanTheQueueDropsAndCountsExactlyWhatDidNotFit() throws Exception {
        env = new MonitoringDb(50);
        PredictionLog log = env.monitoring.predictionLog();
        ServedModel m = model("burst", 1);
        int threads = 4;
        int batchesPerThread = 200;
        int rows = 10;
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong publishNanos = new AtomicLong();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int b = 0; b < batchesPerThread; b++) {
                    ServedBatch batch = batch("burst", m, "blue", rows, Instant.now(), i -> yes(0.7));
                    long t0 = System.nanoTime();
                    log.onBatch(batch);
                    publishNanos.addAndGet(System.nanoTime() - t0);
                }
            });
            ts[t].start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        long total = (long) threads * batchesPerThread * rows;
        Db.await(log.flush());

        assertTrue(log.dropped() > 0, "a burst of " + total + " rows into a queue of 50 must drop some");
        assertEquals(total, log.accepted() + log.dropped(), "every row is either queued or counted as dropped");
        assertEquals(log.dropped(), env.metric("retrainer_prediction_log_dropped_total", "burst"), 0.0);
        assertEquals(log.accepted(), env.count("select count(*) from prediction"), "written rows equal accepted rows");
        assertEquals(log.accepted(), env.metric("retrainer_prediction_log_written_total", "burst"), 0.0);
        assertEquals(0, log.pending());
    }

    @Test
    void rowsKeepInputsOutputsAndShadowRowsPointAtTheLiveId() throws Exception {
        env = new MonitoringDb(1000);
        PredictionLog log = env.monitoring.predictionLog();
        ServedBatch live = batch("e", model("m", 1), "blue", 3, Instant.now(), i -> yes(0.2 + 0.3 * i));
        ServedBatch shadow = batch("e", model("m", 2), "green", true, live.ids(), live.at(), i -> yes(0.9));
        log.onBatch(live);
        log.onBatch(shadow);
        Db.await(log.flush());

        List<PredictionRecord> rows = Db.await(env.db().stateless(s -> s.createSelectionQuery(
                "from PredictionRecord order by shadow, inputs", PredictionRecord.class).getResultList()));
        assertEquals(6, rows.size());
        PredictionRecord first = rows.get(0);
        assertEquals(live.ids().get(0), first.id.toString());
        assertEquals(first.id, first.requestId);
        assertFalse(first.shadow);
        assertEquals("blue", first.slot);
        assertEquals(1, first.modelVersion);
        assertEquals(Map.of("x", 0.0, "colour", "red"), Json.readMap(first.inputs));
        assertEquals("no", first.predictedLabel);
        assertEquals("yes", first.positiveClass);
        assertEquals(0.2, first.positiveScore, 1e-12);
        assertEquals(Map.of("label", "no", "value", 0.8, "probabilities", Map.of("no", 0.8, "yes", 0.2)),
                Json.readMap(first.output));
        PredictionRecord second = rows.get(1);
        assertNull(Json.readMap(second.inputs).get("colour"), "a missing value is logged as null");

        for (PredictionRecord s : rows.subList(3, 6)) {
            assertTrue(s.shadow);
            assertEquals("green", s.slot);
            assertEquals(2, s.modelVersion);
            assertTrue(live.ids().contains(s.requestId.toString()), "a shadow row keeps the live id it mirrored");
            assertFalse(live.ids().contains(s.id.toString()), "a shadow row has an id of its own");
        }
    }

    @Test
    void regressionRowsStoreTheValueAndNoLabel() throws Exception {
        env = new MonitoringDb(100);
        PredictionLog log = env.monitoring.predictionLog();
        log.onBatch(batch("r", model("reg", 1), "blue", 1, Instant.now(), i -> Prediction.ofValue(12.5)));
        Db.await(log.flush());
        PredictionRecord r = Db.await(env.db().stateless(s -> s.createSelectionQuery("from PredictionRecord", PredictionRecord.class)
                .getSingleResult()));
        assertNull(r.predictedLabel);
        assertNull(r.positiveClass);
        assertEquals(12.5, r.predictedValue, 0);
        assertEquals(Map.of("value", 12.5), Json.readMap(r.output));
    }

    @Test
    void samplingIsPerEndpointStoredAndKeepsLiveAndShadowTogether() throws Exception {
        env = new MonitoringDb(100_000);
        PredictionLog log = env.monitoring.predictionLog();
        assertEquals(1.0, log.sampleRate("sampled"));
        Db.await(log.setSampleRate("sampled", 0.25));
        ServedModel m = model("m", 1);
        int n = 8000;
        for (int b = 0; b < n / 100; b++) {
            ServedBatch live = batch("sampled", m, "blue", 100, Instant.now(), i -> yes(0.6));
            log.onBatch(live);
            log.onBatch(batch("sampled", model("m", 2), "green", true, live.ids(), live.at(), i -> yes(0.4)));
            log.onBatch(batch("full", m, "blue", 1, Instant.now(), i -> yes(0.6)));
        }
        Db.await(log.flush());
        long live = env.count("select count(*) from prediction where endpoint = 'sampled' and not shadow");
        long shadow = env.count("select count(*) from prediction where endpoint = 'sampled' and shadow");
        // 8000 draws at p = 0.25: mean 2000, standard deviation about 39; 5 sigma either side.
        assertTrue(live > 1800 && live < 2200, "about a quarter logged, got " + live);
        assertEquals(live, shadow, "a shadow row is logged exactly when its live row is");
        assertEquals(live, env.count("select count(*) from prediction s join prediction l on l.id = s.request_id "
                + "where s.shadow and not l.shadow"));
        assertEquals(n / 100, env.count("select count(*) from prediction where endpoint = 'full'"), "other endpoints log everything");

        // The rate is stored: a log started later (a restart) applies it.
        try (PredictionLog again = new PredictionLog(env.db(), new MonitoringMetrics(new CollectorRegistry()), 10)) {
            assertEquals(0.25, again.sampleRate("sampled"));
        }
        assertTrue(log.setSampleRate("sampled", 1.5).failed());
    }

    @Test
    void retentionDeletesOldPredictionsWithTheirFeedbackAndSnapshots() throws Exception {
        env = new MonitoringDb(1000);
        PredictionLog log = env.monitoring.predictionLog();
        ServedModel m = model("m", 1);
        Instant old = Instant.now().minus(Duration.ofDays(40));
        ServedBatch oldBatch = batch("e", m, "blue", 5, old, i -> yes(0.7));
        ServedBatch recent = batch("e", m, "blue", 3, Instant.now(), i -> yes(0.7));
        log.onBatch(oldBatch);
        log.onBatch(batch("e", model("m", 2), "green", true, oldBatch.ids(), old, i -> yes(0.2)));
        log.onBatch(recent);
        Db.await(log.flush());
        FeedbackService feedback = env.monitoring.feedback();
        Db.await(feedback.submit(List.of(new FeedbackItem(oldBatch.ids().get(0), "yes", null),
                new FeedbackItem(recent.ids().get(0), "no", null))));
        Db.await(feedback.submit(List.of(new FeedbackItem(oldBatch.ids().get(0), "no", null))));
        TestSnapshots.insert(env.db(), "e", old, 0.5);
        TestSnapshots.insert(env.db(), "e", Instant.now(), 0.9);

        long deleted = Db.await(env.monitoring.retention().purge(Instant.now().minus(Duration.ofDays(30))));

        assertEquals(10, deleted, "5 old live rows and their 5 shadow rows");
        assertEquals(3, env.count("select count(*) from prediction"));
        assertEquals(1, env.count("select count(*) from feedback"));
        assertEquals(1, env.count("select count(*) from feedback_event"), "the old prediction's history went with it");
        assertEquals(1, env.count("select count(*) from quality_snapshot"));
        assertEquals(recent.ids().get(0), Db.await(feedback.history(recent.ids().get(0))).predictionId());
    }
}
