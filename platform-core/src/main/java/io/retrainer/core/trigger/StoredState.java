package io.retrainer.core.trigger;

import java.time.Instant;

/**
 * What is kept of a trigger across restarts.
 *
 * @param lastFiredAt when it last queued a run, or {@code null}
 * @param lastReason why, or {@code null}
 * @param token the data source change token a data trigger last acted on, or {@code null}
 */
record StoredState(Instant lastFiredAt, String lastReason, String token) {
}
