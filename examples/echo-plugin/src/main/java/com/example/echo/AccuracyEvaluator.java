package com.example.echo;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import io.retrainer.api.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Scores candidate and champion by accuracy on the holdout and promotes the candidate unless it is
 * worse than the champion by more than {@code tolerance}.
 */
@Extension
public final class AccuracyEvaluator implements Evaluator {

    @Override
    public String id() {
        return "echo-accuracy";
    }

    @Override
    public String description() {
        return "Accuracy of candidate and champion on the holdout, and a gate on it.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("tolerance", SettingType.NUMBER, 0.0, "How much worse than the champion the candidate may be")
                .build();
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        double candidate = accuracy(input.candidate(), input.holdout());
        Metrics c = Metrics.of(Map.of("echo_accuracy", candidate));
        if (input.champion().isEmpty()) {
            return new Evaluation(c, Metrics.empty(), Optional.of(Verdict.promote(
                    String.format(Locale.ROOT, "first model (accuracy %.4f)", candidate))));
        }
        double champion = accuracy(input.champion().get(), input.holdout());
        double tolerance = context.settings().number("tolerance");
        String scores = String.format(Locale.ROOT, "accuracy %.4f vs champion %.4f (tolerance %.4f)", candidate, champion, tolerance);
        context.log().info(scores);
        Verdict v = candidate + tolerance >= champion ? Verdict.promote(scores) : Verdict.reject(scores);
        return new Evaluation(c, Metrics.of(Map.of("echo_accuracy", champion)), Optional.of(v));
    }

    static double accuracy(Predictor model, Dataset holdout) {
        List<Prediction> predictions = model.predict(holdout);
        int right = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            if (predictions.get(r).label() != null && predictions.get(r).label().equals(holdout.labelString(r))) {
                right++;
            }
        }
        return holdout.rowCount() == 0 ? 0 : (double) right / holdout.rowCount();
    }
}
