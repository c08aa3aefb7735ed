package io.retrainer.core.trigger;

import com.cronutils.model.time.ExecutionTime;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.TriggerSpec;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Fire times of {@code schedule} triggers. {@link TriggerService} fires them: a schedule due while
 * the platform was down is not caught up, the next one after start counts.
 */
public final class ScheduleTriggers {
    private ScheduleTriggers() {
    }

    /** The first fire time of schedule {@code trigger} strictly after {@code after}, in the trigger's zone. */
    public static Optional<ZonedDateTime> nextAfter(TriggerSpec trigger, ZonedDateTime after) {
        ExecutionTime times = ExecutionTime.forCron(PipelineParser.parseCron(trigger.cron()));
        return times.nextExecution(after.withZoneSameInstant(trigger.timeZone()));
    }
}
