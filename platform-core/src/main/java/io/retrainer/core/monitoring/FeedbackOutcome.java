package io.retrainer.core.monitoring;

import java.util.List;

/**
 * What one feedback submission did; the four counts add up to the items sent.
 *
 * @param accepted predictions that received their first label or value
 * @param unchanged items repeating the label or value a prediction already has (nothing changed)
 * @param corrected predictions whose label or value changed (the old one is kept in the history)
 * @param unknown ids of items that match no logged prediction (never logged, sampled out, dropped,
 *                or past retention), in the order sent
 */
public record FeedbackOutcome(int accepted, int unchanged, int corrected, List<String> unknown) {
    /** Copies the list. */
    public FeedbackOutcome {
        unknown = List.copyOf(unknown);
    }
}
