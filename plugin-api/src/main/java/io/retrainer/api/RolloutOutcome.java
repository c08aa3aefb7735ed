package io.retrainer.api;

/**
 * How a rollout ended.
 *
 * @param completed true if the new version now takes all traffic; false if it was rolled back or aborted
 * @param reason in words: which gate failed with which numbers, or that it completed
 * @since 1.1.0
 */
public record RolloutOutcome(boolean completed, String reason) {
}
