package io.retrainer.core.testplugins;

import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Predictor;
import io.retrainer.api.StageContext;
import io.retrainer.api.Verdict;
import java.util.Map;
import org.pf4j.Extension;

/** Engine-test evaluator: accuracy of candidate and champion, promote unless the candidate is worse. */
@Extension
public class AccuracyGate implements Evaluator {
    @Override
    public String id() {
        return "test-accuracy-gate";
    }

    @Override
    public Evaluation evaluate(EvaluationInput in, StageContext ctx) {
        double candidate = accuracy(in.candidate(), in.holdout());
        if (in.champion().isEmpty()) {
            return new Evaluation(Metrics.of(Map.of("accuracy", candidate)), Metrics.empty(),
                    java.util.Optional.of(Verdict.promote("first model")));
        }
        double champion = accuracy(in.champion().get(), in.holdout());
        Verdict v = candidate >= champion ? Verdict.promote("accuracy " + candidate + " >= champion " + champion)
                : Verdict.reject("accuracy " + candidate + " < champion " + champion);
        return new Evaluation(Metrics.of(Map.of("accuracy", candidate)), Metrics.of(Map.of("accuracy", champion)),
                java.util.Optional.of(v));
    }

    private static double accuracy(Predictor p, Dataset holdout) {
        var predictions = p.predict(holdout);
        int right = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            if (predictions.get(r).label().equals(holdout.labelString(r))) {
                right++;
            }
        }
        return (double) right / holdout.rowCount();
    }
}
