package io.retrainer.api;

import java.util.Optional;

/**
 * What an {@link Evaluator} returns.
 *
 * @param candidate metrics of the candidate
 * @param champion metrics of the champion on the same holdout (empty when there is none or it was not scored)
 * @param verdict a decision, if this evaluator is a gate
 */
public record Evaluation(Metrics candidate, Metrics champion, Optional<Verdict> verdict) {
    /** Fills in empties. */
    public Evaluation {
        candidate = candidate == null ? Metrics.empty() : candidate;
        champion = champion == null ? Metrics.empty() : champion;
        verdict = verdict == null ? Optional.empty() : verdict;
    }

    /** Metrics only, no verdict. */
    public static Evaluation of(Metrics candidate, Metrics champion) {
        return new Evaluation(candidate, champion, Optional.empty());
    }

    /** A verdict only. */
    public static Evaluation verdict(Verdict verdict) {
        return new Evaluation(Metrics.empty(), Metrics.empty(), Optional.of(verdict));
    }
}
