package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.PlatformFixture;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A schedule fires a run through the real run service when its time comes, and not before. */
class ScheduleTriggersFiringTest {
    @Test
    void firesWhenDueWithAReasonAndOnlyOnce() throws Exception {
        try (PlatformFixture f = PlatformFixture.start()) {
            PipelineView p = f.save("""
                    name: nightly
                    source: { plugin: test-threshold-data }
                    train: { plugin: test-threshold }
                    triggers:
                      - schedule: { cron: "0 3 * * *", timezone: UTC }
                    """);
            AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T02:59:00Z"));
            Clock clock = new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now.get();
                }
            };
            ScheduleTriggers schedules = new ScheduleTriggers(f.platform.runs(), clock);
            schedules.update(p);
            schedules.tick();
            Thread.sleep(200);
            assertEquals(0, Db.await(f.platform.runs().list("nightly", 10)).size());
            now.set(Instant.parse("2026-11-26T03:00:01Z"));
            schedules.tick();
            schedules.tick();
            long deadline = System.currentTimeMillis() + 5000;
            List<RunSummary> runs;
            do {
                Thread.sleep(50);
                runs = Db.await(f.platform.runs().list("nightly", 10));
            } while (runs.isEmpty() && System.currentTimeMillis() < deadline);
            Thread.sleep(200);
            runs = Db.await(f.platform.runs().list("nightly", 10));
            assertEquals(1, runs.size());
            assertEquals("schedule", runs.get(0).trigger());
            assertTrue(runs.get(0).triggerReason().startsWith("schedule 0 3 * * * (UTC) fired at 2026-11-26T03:00Z"),
                    runs.get(0).triggerReason());
            assertEquals(Instant.parse("2026-11-27T03:00:00Z"), schedules.scheduled().get(0).next().toInstant());
        }
    }
}
