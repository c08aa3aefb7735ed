package io.retrainer.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Evaluator} scores.
 *
 * @param holdout the held-out rows, with the label
 * @param candidate the model just trained
 * @param champion the model now in production, if any
 * @param candidateMetrics metrics earlier evaluators computed for the candidate
 * @param championMetrics metrics earlier evaluators computed for the champion (empty without one)
 */
public record EvaluationInput(Dataset holdout, Predictor candidate, Optional<Predictor> champion,
                              Metrics candidateMetrics, Metrics championMetrics) {
    /** Checks presence. */
    public EvaluationInput {
        Objects.requireNonNull(holdout, "holdout");
        Objects.requireNonNull(candidate, "candidate");
        champion = champion == null ? Optional.empty() : champion;
        candidateMetrics = candidateMetrics == null ? Metrics.empty() : candidateMetrics;
        championMetrics = championMetrics == null ? Metrics.empty() : championMetrics;
    }
}
