package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.retrainer.core.pipeline.TriggerSpec;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScheduleTriggersTest {
    @Test
    void nextFireTimeHonoursTheTimeZoneAndDaylightSaving() {
        TriggerSpec mondays = new TriggerSpec("k", "0 3 * * MON", ZoneId.of("Europe/Berlin"));
        ZonedDateTime after = ZonedDateTime.parse("2026-03-25T12:00:00Z");
        // Monday 30 March 2026 03:00 in Berlin is 01:00 UTC (summer time began on the 29th).
        assertEquals(ZonedDateTime.parse("2026-03-30T01:00:00Z").toInstant(),
                ScheduleTriggers.nextAfter(mondays, after).orElseThrow().toInstant());
        TriggerSpec everyFive = new TriggerSpec("k", "*/5 * * * *", ZoneId.of("UTC"));
        assertEquals(ZonedDateTime.parse("2026-03-25T12:05:00Z").toInstant(),
                ScheduleTriggers.nextAfter(everyFive, after).orElseThrow().toInstant());
    }
}
