package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.PlatformFixture;
import io.retrainer.core.drift.FeatureDrift;
import io.retrainer.core.monitoring.QualityReading;
import io.retrainer.core.notify.Event;
import io.retrainer.core.notify.Notifier;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.RunSummary;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Performance, drift and data triggers through the real run service on PostgreSQL: what fires,
 * the reasons runs record, cooldowns (also across a restart of the service), and "skip while a run
 * is queued or running". Live signals are fed by the test; the clock is moved by hand.
 */
class TriggerServiceTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static PlatformFixture f;

    /** Signals the test sets. */
    static final class Signals implements LiveSignals {
        final AtomicReference<Optional<QualityReading>> quality = new AtomicReference<>(Optional.empty());
        final AtomicReference<List<FeatureDrift>> drift = new AtomicReference<>(List.of());
        final List<Duration> windowsAsked = new CopyOnWriteArrayList<>();

        @Override
        public Future<Optional<QualityReading>> quality(String endpoint, String metric, Duration window) {
            windowsAsked.add(window);
            return Future.succeededFuture(quality.get());
        }

        @Override
        public List<FeatureDrift> drift(String endpoint, Duration window) {
            return drift.get();
        }

        void accuracy(double value, long labelled) {
            quality.set(Optional.of(new QualityReading("accuracy", value, labelled, Instant.EPOCH, Instant.EPOCH)));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(TriggerService.CHECK_INTERVAL_PROPERTY, "off");
        f = PlatformFixture.start();
    }

    @AfterAll
    static void stop() {
        System.clearProperty(TriggerService.CHECK_INTERVAL_PROPERTY);
        f.close();
    }

    static String servedPipeline(String name, String trainConfig, String trigger) {
        return """
                name: %s
                source: { plugin: test-threshold-data, config: { rows: 200 } }
                train: { plugin: test-threshold, config: %s }
                deploy: { plugin: test-serving, config: { endpoint: %s } }
                triggers:
                  - %s
                """.formatted(name, trainConfig, name, trigger);
    }

    TriggerService service(LiveSignals signals, Notifier notifier, TestClock clock) {
        return new TriggerService(f.platform.database().db(), f.platform.runs(), f.platform.plugins(), f.platform.serving(),
                signals, notifier, clock, Duration.ofSeconds(10));
    }

    static List<RunSummary> runs(String pipeline) {
        return Db.await(f.platform.runs().list(pipeline, 100));
    }

    static TriggerView view(TriggerService t, String pipeline) {
        return Db.await(t.views(pipeline)).get(0);
    }

    @Test
    void performanceFiresWithItsReasonThenHonoursCooldownRestartAndRunningRuns() throws Exception {
        String trigger = "performance: { metric: accuracy, below: 0.85, window: 1h, min_samples: 500, cooldown: 10m }";
        f.save(servedPipeline("perf", "{}", trigger));
        assertEquals("succeeded", f.awaitRun(f.trigger("perf"), WAIT).summary().status());
        // Two hours after the model went live, so the whole 1h window belongs to it.
        TestClock clock = new TestClock(Instant.now().plus(Duration.ofHours(2)));
        Signals signals = new Signals();
        List<Event> events = new CopyOnWriteArrayList<>();
        TriggerService triggers = service(signals, events::add, clock);
        triggers.update(Db.await(f.platform.pipelines().get("perf")));

        signals.accuracy(0.91, 812);
        triggers.checkNow();
        assertEquals(1, runs("perf").size());
        assertEquals("accuracy 0.91 ≥ 0.85 over last 1h (812 labelled predictions)", view(triggers, "perf").lastObservation());
        assertEquals(List.of(Duration.ofHours(1)), signals.windowsAsked);

        // Not due again until the check interval has passed.
        signals.accuracy(0.71, 812);
        triggers.checkNow();
        assertEquals(1, runs("perf").size());
        clock.advance(Duration.ofSeconds(10));
        triggers.checkNow();
        List<RunSummary> after = runs("perf");
        assertEquals(2, after.size());
        RunSummary fired = after.get(0);
        assertEquals("performance", fired.trigger());
        assertEquals("performance: accuracy 0.71 < 0.85 over last 1h (812 labelled predictions)", fired.triggerReason());
        assertEquals(1, events.size());
        assertEquals("trigger.fired", events.get(0).type());
        assertEquals(fired.id(), events.get(0).runId());
        assertEquals("performance", events.get(0).details().get("trigger"));
        assertEquals(fired.triggerReason(), events.get(0).details().get("reason"));
        assertEquals("succeeded", f.awaitRun(fired.id(), WAIT).summary().status());

        // Still bad a minute later: the cooldown holds it back.
        clock.advance(Duration.ofMinutes(1));
        triggers.checkNow();
        assertEquals(2, runs("perf").size());
        assertTrue(view(triggers, "perf").lastObservation().startsWith("would fire (performance: accuracy 0.71 < 0.85"),
                view(triggers, "perf").lastObservation());
        assertTrue(view(triggers, "perf").lastObservation().contains("in its cooldown of 10m until"));

        // A restarted service reads the last firing from the database: still cooling down.
        triggers.close();
        TriggerService restarted = service(signals, Notifier.NONE, clock);
        restarted.update(Db.await(f.platform.pipelines().get("perf")));
        TriggerView stored = view(restarted, "perf");
        assertEquals(fired.triggerReason(), stored.lastReason());
        assertNotNull(stored.lastFired());
        clock.advance(Duration.ofMinutes(1));
        restarted.checkNow();
        assertEquals(2, runs("perf").size());
        assertTrue(view(restarted, "perf").lastObservation().contains("cooldown"), view(restarted, "perf").lastObservation());

        // After the cooldown, a running run of the pipeline holds it back; once it ends, it fires.
        f.save(servedPipeline("perf", "{ wait_for_cancel: true }", trigger));
        restarted.update(Db.await(f.platform.pipelines().get("perf")));
        long manual = f.trigger("perf");
        f.awaitStatus(manual, "running", WAIT);
        clock.advance(Duration.ofMinutes(10));
        restarted.checkNow();
        assertEquals(3, runs("perf").size());
        assertTrue(view(restarted, "perf").lastObservation().endsWith("but run " + manual + " of perf is queued or running"),
                view(restarted, "perf").lastObservation());
        Db.await(f.platform.runs().cancel(manual));
        f.awaitRun(manual, WAIT);
        clock.advance(Duration.ofSeconds(10));
        restarted.checkNow();
        assertEquals(4, runs("perf").size());
        RunSummary again = runs("perf").get(0);
        assertEquals("performance", again.trigger());
        Db.await(f.platform.runs().cancel(again.id()));
        f.awaitRun(again.id(), WAIT);
        restarted.close();
    }

    @Test
    void performanceOnlyCountsPredictionsOfTheModelNowLiveAndWaitsForEnoughLabels() throws Exception {
        f.save(servedPipeline("fresh-model", "{}", "performance: { metric: accuracy, below: 0.85, window: 1h, min_samples: 500 }"));
        assertEquals("succeeded", f.awaitRun(f.trigger("fresh-model"), WAIT).summary().status());
        Instant live = f.platform.serving().served("fresh-model").orElseThrow().since();
        TestClock clock = new TestClock(live.plus(Duration.ofMinutes(5)));
        Signals signals = new Signals();
        TriggerService triggers = service(signals, Notifier.NONE, clock);
        triggers.update(Db.await(f.platform.pipelines().get("fresh-model")));

        signals.accuracy(0.6, 120);
        triggers.checkNow();
        assertEquals(1, runs("fresh-model").size());
        assertEquals(Duration.ofMinutes(5), signals.windowsAsked.get(0), "the window is cut to the 5 minutes the model has served");
        assertEquals("accuracy 0.6 over last 5m, since fresh-model v1 went live from only 120 labelled predictions; "
                + "waiting for 500 (min_samples)", view(triggers, "fresh-model").lastObservation());

        signals.accuracy(0.6, 600);
        clock.advance(Duration.ofSeconds(10));
        triggers.checkNow();
        RunSummary fired = runs("fresh-model").get(0);
        assertEquals("performance: accuracy 0.6 < 0.85 over last 5m10s, since fresh-model v1 went live (600 labelled predictions)",
                fired.triggerReason());
        f.awaitRun(fired.id(), WAIT);
        triggers.close();
    }

    @Test
    void driftFiresNamingTheFeature() throws Exception {
        f.save(servedPipeline("drifty", "{}", "drift: { psi_above: 0.2, window: 1h, cooldown: 0s }"));
        assertEquals("succeeded", f.awaitRun(f.trigger("drifty"), WAIT).summary().status());
        TestClock clock = new TestClock(Instant.now().plus(Duration.ofHours(2)));
        Signals signals = new Signals();
        TriggerService triggers = service(signals, Notifier.NONE, clock);
        triggers.update(Db.await(f.platform.pipelines().get("drifty")));
        signals.drift.set(List.of(new FeatureDrift("x", FeatureDrift.NUMERIC, 0.05, 0.02, 5000)));
        triggers.checkNow();
        assertEquals(1, runs("drifty").size());
        signals.drift.set(List.of(new FeatureDrift("x", FeatureDrift.NUMERIC, 1.37, 0.5, 5000)));
        clock.advance(Duration.ofSeconds(10));
        triggers.checkNow();
        RunSummary fired = runs("drifty").get(0);
        assertEquals("drift", fired.trigger());
        assertEquals("drift: PSI 1.37 > 0.2 on x (1 of 1 feature) over last 1h", fired.triggerReason());
        f.awaitRun(fired.id(), WAIT);
        triggers.close();
    }

    @Test
    void dataTriggerFiresOncePerChangeOfTheSourceTokenAlsoAcrossARestart() throws Exception {
        Path file = Files.createTempFile(f.dataDir, "rows", ".csv");
        Files.writeString(file, "0.1,low\n0.7,high\n0.9,high\n");
        f.save("""
                name: watched
                source: { plugin: test-file-token, config: { path: "%s" } }
                train: { plugin: test-threshold }
                triggers:
                  - data: { every: 30s, skip_while_running: false }
                """.formatted(file));
        TestClock clock = new TestClock(Instant.now());
        TriggerService triggers = service(LiveSignals.NONE, Notifier.NONE, clock);
        triggers.update(Db.await(f.platform.pipelines().get("watched")));

        triggers.checkNow();
        assertEquals(0, runs("watched").size(), "the data present when watching starts is not new");
        assertEquals("watching the source (token 3 rows)", view(triggers, "watched").lastObservation());
        clock.advance(Duration.ofSeconds(30));
        triggers.checkNow();
        assertEquals(0, runs("watched").size());
        assertEquals("source unchanged (token 3 rows)", view(triggers, "watched").lastObservation());

        Files.writeString(file, "0.2,low\n0.8,high\n", StandardOpenOption.APPEND);
        triggers.checkNow();
        assertEquals(0, runs("watched").size(), "not due before `every` has passed");
        clock.advance(Duration.ofSeconds(30));
        triggers.checkNow();
        clock.advance(Duration.ofSeconds(30));
        triggers.checkNow();
        List<RunSummary> fired = runs("watched");
        assertEquals(1, fired.size(), "one change, one run");
        assertEquals("data", fired.get(0).trigger());
        assertEquals("data: source changed (token 3 rows → 5 rows)", fired.get(0).triggerReason());

        // A change while the service is down fires once after the start, against the stored token.
        triggers.close();
        Files.writeString(file, "0.3,low\n", StandardOpenOption.APPEND);
        TriggerService restarted = service(LiveSignals.NONE, Notifier.NONE, clock);
        restarted.update(Db.await(f.platform.pipelines().get("watched")));
        restarted.checkNow();
        clock.advance(Duration.ofSeconds(30));
        restarted.checkNow();
        fired = runs("watched");
        assertEquals(2, fired.size());
        assertEquals("data: source changed (token 5 rows → 6 rows)", fired.get(0).triggerReason());
        for (RunSummary r : fired) {
            f.awaitRun(r.id(), WAIT);
        }
        restarted.close();
    }
}
