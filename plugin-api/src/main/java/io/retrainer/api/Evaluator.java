package io.retrainer.api;

/**
 * Scores the candidate model, and the production model (the champion) when there is one, on the
 * same holdout, and may return a verdict. Evaluators of a pipeline run in order; each sees the
 * metrics computed by those before it, so a gate can decide on metrics another evaluator computed.
 */
public interface Evaluator extends RetrainerExtension {

    /**
     * Evaluates.
     *
     * @param input holdout, candidate, optional champion and earlier evaluators' metrics
     * @param context settings, log and progress
     * @return metrics for the candidate (and champion), and an optional verdict
     * @throws Exception with a readable message when evaluation is impossible
     */
    Evaluation evaluate(EvaluationInput input, StageContext context) throws Exception;
}
