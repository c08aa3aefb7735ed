package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.PlatformFixture;
import io.retrainer.core.notify.Notifier;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A schedule fires a run through the real run service when its time comes, and not before. */
class ScheduleTriggersFiringTest {
    static PlatformFixture f;

    @BeforeAll
    static void start() throws Exception {
        // The platform's own trigger thread stays off: this test drives its own service and clock.
        System.setProperty(TriggerService.CHECK_INTERVAL_PROPERTY, "off");
        f = PlatformFixture.start();
    }

    @AfterAll
    static void stop() {
        System.clearProperty(TriggerService.CHECK_INTERVAL_PROPERTY);
        f.close();
    }

    @Test
    void firesWhenDueWithAReasonAndOnlyOnce() throws Exception {
        PipelineView p = f.save("""
                name: nightly
                source: { plugin: test-threshold-data }
                train: { plugin: test-threshold }
                triggers:
                  - schedule: { cron: "0 3 * * *", timezone: UTC }
                """);
        TestClock clock = new TestClock(Instant.parse("2026-11-26T02:59:00Z"));
        TriggerService triggers = new TriggerService(f.platform.database().db(), f.platform.runs(), f.platform.plugins(),
                f.platform.serving(), LiveSignals.NONE, Notifier.NONE, clock, Duration.ofSeconds(10));
        triggers.update(p);
        triggers.checkNow();
        assertEquals(0, Db.await(f.platform.runs().list("nightly", 10)).size());
        assertNull(Db.await(triggers.views("nightly")).get(0).lastFired());
        clock.set(Instant.parse("2026-11-26T03:00:01Z"));
        triggers.checkNow();
        triggers.checkNow();
        List<RunSummary> runs = Db.await(f.platform.runs().list("nightly", 10));
        assertEquals(1, runs.size());
        assertEquals("schedule", runs.get(0).trigger());
        assertTrue(runs.get(0).triggerReason().startsWith("schedule 0 3 * * * (UTC) fired at 2026-11-26T03:00Z"),
                runs.get(0).triggerReason());
        TriggerView view = Db.await(triggers.views("nightly")).get(0);
        assertEquals(Instant.parse("2026-11-26T03:00:01Z"), view.lastFired());
        assertEquals(runs.get(0).triggerReason(), view.lastReason());
        f.awaitRun(runs.get(0).id(), Duration.ofSeconds(60));

        // Skip while running: the next day's firing meets a running run and is skipped, not queued.
        f.save("""
                name: nightly
                source: { plugin: test-threshold-data }
                train: { plugin: test-threshold, config: { wait_for_cancel: true } }
                triggers:
                  - schedule: { cron: "0 3 * * *", timezone: UTC }
                """);
        triggers.update(Db.await(f.platform.pipelines().get("nightly")));
        long manual = f.trigger("nightly");
        f.awaitStatus(manual, "running", Duration.ofSeconds(60));
        clock.set(Instant.parse("2026-11-27T03:00:05Z"));
        triggers.checkNow();
        assertEquals(2, Db.await(f.platform.runs().list("nightly", 10)).size(), "no run queued behind the running one");
        view = Db.await(triggers.views("nightly")).get(0);
        assertTrue(view.lastObservation().contains("but run " + manual + " of nightly is queued or running"), view.lastObservation());
        Db.await(f.platform.runs().cancel(manual));
        f.awaitRun(manual, Duration.ofSeconds(60));
    }
}
