package io.retrainer.core.trigger;

import com.cronutils.model.time.ExecutionTime;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunService;
import io.retrainer.core.pipeline.TriggerSpec;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the {@code schedule} triggers of the current pipeline revisions. Each tick compares the
 * clock with every trigger's next fire time and queues a run for those due. Missed fire times
 * while the platform was down are not caught up: the next one after start counts.
 */
public final class ScheduleTriggers {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTriggers.class);

    /**
     * A schedule with its next fire time.
     *
     * @param pipeline pipeline name
     * @param spec the trigger
     * @param next when it fires next
     */
    public record Scheduled(String pipeline, TriggerSpec spec, ZonedDateTime next) {
    }

    private final RunService runs;
    private final Clock clock;
    private final Map<String, List<Scheduled>> byPipeline = new ConcurrentHashMap<>();

    /** Schedules that queue runs through {@code runs}, reading time from {@code clock}. */
    public ScheduleTriggers(RunService runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    /** Replaces the schedules of {@code pipeline}'s definition with those of its new revision. */
    public void update(PipelineView pipeline) {
        List<Scheduled> list = new ArrayList<>();
        for (TriggerSpec t : pipeline.definition().triggers()) {
            nextAfter(t, ZonedDateTime.now(clock)).ifPresent(next -> list.add(new Scheduled(pipeline.name(), t, next)));
        }
        if (list.isEmpty()) {
            byPipeline.remove(pipeline.name());
        } else {
            byPipeline.put(pipeline.name(), list);
        }
    }

    /** Every schedule and its next fire time. */
    public List<Scheduled> scheduled() {
        List<Scheduled> out = new ArrayList<>();
        byPipeline.values().forEach(out::addAll);
        return out;
    }

    /** Queues a run for each schedule due now, and moves it to its next fire time. Cheap; call every second. */
    public void tick() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        byPipeline.replaceAll((pipeline, list) -> {
            List<Scheduled> next = new ArrayList<>(list.size());
            for (Scheduled s : list) {
                if (!now.isBefore(s.next())) {
                    String reason = s.spec().describe() + " fired at " + s.next().withZoneSameInstant(s.spec().timeZone());
                    runs.trigger(pipeline, "schedule", reason)
                            .onSuccess(id -> LOG.info("run {} of {} queued: {}", id, pipeline, reason))
                            .onFailure(e -> LOG.error("schedule of {} could not queue a run: {}", pipeline, e.getMessage()));
                    next.add(new Scheduled(pipeline, s.spec(), nextAfter(s.spec(), now).orElse(s.next().plusYears(100))));
                } else {
                    next.add(s);
                }
            }
            return next;
        });
    }

    /** The first fire time of {@code trigger} strictly after {@code after}. */
    public static Optional<ZonedDateTime> nextAfter(TriggerSpec trigger, ZonedDateTime after) {
        ExecutionTime times = ExecutionTime.forCron(PipelineParser.parseCron(trigger.cron()));
        return times.nextExecution(after.withZoneSameInstant(trigger.timeZone()));
    }
}
