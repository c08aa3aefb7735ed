package io.retrainer.plugins.championgate;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Promotes the candidate only if it beats the production model (the champion) on one metric by
 * a margin. It computes nothing itself: it compares values an earlier evaluator, such as
 * {@code classification-metrics}, computed for both models on the same holdout.
 */
@Extension
public final class ChampionGateEvaluator implements Evaluator {
    static final String ID = "champion-gate";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Promotes the candidate only if it beats the production model on a metric an earlier evaluator computed.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("metric", SettingType.STRING, "roc_auc",
                        "Metric to compare, as named by an evaluator listed before this one (e.g. roc_auc, accuracy, log_loss).")
                .optional("min_improvement", SettingType.NUMBER, 0.0,
                        "How much better than the champion the candidate must be, in the metric's units.")
                .choice("direction", "auto", List.of("auto", "higher", "lower"),
                        "Whether higher or lower values are better; auto treats names containing loss, error, mae, rmse, mse or mape as lower-is-better.")
                .build();
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        Settings settings = context.settings();
        String metric = settings.requireString("metric");
        double margin = settings.number("min_improvement");
        Direction direction = Direction.resolve(settings.requireString("direction"), metric);

        double candidate = require(input.candidateMetrics(), metric, "candidate");
        Map<String, Double> recorded = new LinkedHashMap<>();
        recorded.put("gate_candidate_" + metric, candidate);

        Verdict verdict;
        if (input.champion().isEmpty()) {
            verdict = Verdict.promote("no production model yet: first model is promoted (" + metric + " " + format(candidate) + ")");
        } else {
            double champion = require(input.championMetrics(), metric, "champion");
            recorded.put("gate_champion_" + metric, champion);
            verdict = compare(metric, direction, candidate, champion, margin);
        }
        context.log().info(verdict.decision() + ": " + verdict.reason());
        return new Evaluation(Metrics.of(recorded), Metrics.empty(), Optional.of(verdict));
    }

    private static Verdict compare(String metric, Direction direction, double candidate, double champion, double margin) {
        boolean higher = direction == Direction.HIGHER;
        double bar = higher ? champion + margin : champion - margin;
        // Written so that NaN on either side rejects: an unknown score never replaces the champion.
        boolean wins = higher ? candidate >= bar : candidate <= bar;
        String relation = wins ? (higher ? ">=" : "<=") : (higher ? "<" : ">");
        String reason = metric + " " + format(candidate) + " " + relation + " champion " + format(champion)
                + (higher ? " + " : " - ") + format(margin);
        return wins ? Verdict.promote(reason) : Verdict.reject(reason);
    }

    private static double require(Metrics metrics, String metric, String which) {
        return metrics.get(metric).orElseThrow(() -> new IllegalStateException(ID + ": no '" + metric
                + "' among the " + which + "'s metrics from earlier evaluators (available: "
                + (metrics.values().isEmpty() ? "none" : String.join(", ", metrics.values().keySet()))
                + "); list an evaluator that computes it, such as classification-metrics, before " + ID
                + " in the pipeline's evaluate section"));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
