package io.retrainer.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a new version takes over an endpoint: it starts in the idle slot and receives the given
 * percentages of traffic in turn, one step per interval. Before each step a health gate compares
 * the new slot with the old one; a failed gate sends all traffic back to the old slot.
 *
 * @param steps traffic percentages for the new slot, ascending, ending at 100 (e.g. 10, 50, 100)
 * @param stepInterval how long each step lasts before the next gate
 * @param maxErrorRateIncrease rollback if the new slot's error rate exceeds the old one's by more than this (0.01 = 1 point)
 * @param maxP99LatencyRatio rollback if the new slot's p99 latency exceeds the old one's times this
 * @param qualityMetric live metric compared where feedback allows (e.g. {@code accuracy}), or {@code null}
 * @param maxQualityDrop rollback if the new slot's live quality is lower than the old one's by more than this
 * @param minLabelled labelled predictions each slot needs before quality is compared
 * @param shadowFraction fraction of live traffic mirrored to the new version before the first step (0 for none)
 * @param shadowDuration how long the shadow phase lasts
 * @since 1.1.0
 */
public record RolloutPlan(List<Integer> steps, Duration stepInterval, double maxErrorRateIncrease, double maxP99LatencyRatio,
                          String qualityMetric, double maxQualityDrop, int minLabelled, double shadowFraction,
                          Duration shadowDuration) {
    /** Checks the steps. */
    public RolloutPlan {
        steps = List.copyOf(steps);
        Objects.requireNonNull(stepInterval, "stepInterval");
        shadowDuration = shadowDuration == null ? Duration.ZERO : shadowDuration;
        if (steps.isEmpty() || steps.get(steps.size() - 1) != 100) {
            throw new IllegalArgumentException("rollout steps must end at 100, got " + steps);
        }
        int previous = 0;
        for (int s : steps) {
            if (s <= previous || s > 100) {
                throw new IllegalArgumentException("rollout steps must rise strictly from 1 to 100, got " + steps);
            }
            previous = s;
        }
        if (shadowFraction < 0 || shadowFraction > 1) {
            throw new IllegalArgumentException("shadow fraction must be between 0 and 1, got " + shadowFraction);
        }
    }

    /** A single atomic swap: 100 % at once, no gates. */
    public static RolloutPlan immediate() {
        return new RolloutPlan(List.of(100), Duration.ZERO, 1.0, Double.MAX_VALUE, null, 1.0, Integer.MAX_VALUE, 0, Duration.ZERO);
    }

    /** Whether this plan swaps at once. */
    public boolean isImmediate() {
        return steps.size() == 1 && shadowFraction == 0;
    }
}
