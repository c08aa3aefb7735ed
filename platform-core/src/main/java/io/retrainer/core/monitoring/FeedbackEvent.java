package io.retrainer.core.monitoring;

import java.time.Instant;

/**
 * One change of a prediction's feedback, as the history shows it.
 *
 * @param kind {@code label} (the first) or {@code correction}
 * @param label the label set, or {@code null}
 * @param value the value set, or {@code null}
 * @param previousLabel what a correction replaced
 * @param previousValue what a correction replaced
 * @param at when
 */
public record FeedbackEvent(String kind, String label, Double value, String previousLabel, Double previousValue, Instant at) {
}
