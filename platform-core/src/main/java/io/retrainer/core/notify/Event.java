package io.retrainer.core.notify;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened on the platform that people outside it may want to hear about: a run
 * started or ended, a trigger fired, a deployment moved. Immutable.
 *
 * <p>Event types in use: {@code run.started}, {@code run.succeeded}, {@code run.failed},
 * {@code run.cancelled}, {@code trigger.fired}, {@code deployment.step},
 * {@code deployment.rolled_back}, {@code deployment.completed}, {@code alias.moved}.
 *
 * @param type the event type, for example {@code run.succeeded}
 * @param at when it happened
 * @param pipeline the pipeline concerned, or {@code null}
 * @param runId the run concerned, or {@code null}
 * @param details anything else worth saying (JSON-friendly values: strings, numbers, booleans, lists, maps)
 */
public record Event(String type, Instant at, String pipeline, Long runId, Map<String, Object> details) {

    /** Checks the type and copies the details (null values are kept out, so receivers see only what is known). */
    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Map<String, Object> copy = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        }
        details = Collections.unmodifiableMap(copy);
    }

    /** An event that happens now, not tied to a run. */
    public static Event of(String type, String pipeline, Map<String, Object> details) {
        return new Event(type, Instant.now(), pipeline, null, details);
    }

    /** An event of run {@code runId} that happens now. */
    public static Event ofRun(String type, String pipeline, long runId, Map<String, Object> details) {
        return new Event(type, Instant.now(), pipeline, runId, details);
    }

    /**
     * Details from alternating keys and values, skipping null values:
     * {@code Event.details("model", "churn", "version", 3)}. Saves callers building maps that
     * must tolerate nulls ({@code Map.of} does not).
     */
    public static Map<String, Object> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details need key/value pairs, got " + keysAndValues.length + " arguments");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                out.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
            }
        }
        return out;
    }
}
