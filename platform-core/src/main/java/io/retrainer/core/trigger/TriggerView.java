package io.retrainer.core.trigger;

import java.time.Instant;
import java.util.Map;

/**
 * A trigger of a pipeline with its state, as the API and console show it.
 *
 * @param key its stable key (its state row)
 * @param kind {@code schedule}, {@code performance}, {@code drift} or {@code data}
 * @param description one line, e.g. "performance accuracy below 0.85 over 1h"
 * @param settings its settings including cooldown and skip_while_running
 * @param lastFired when it last queued a run, or {@code null}
 * @param lastReason the reason that run recorded, or {@code null}
 * @param lastChecked when this node last evaluated it, or {@code null}
 * @param lastObservation what that evaluation saw, e.g. "accuracy 0.91 ≥ 0.85 over last 1h (812 labelled predictions)"
 * @param nextCheck when it is evaluated next (for a schedule: its next fire time), or {@code null} when checks are off
 */
public record TriggerView(String key, String kind, String description, Map<String, Object> settings, Instant lastFired,
                          String lastReason, Instant lastChecked, String lastObservation, Instant nextCheck) {
}
