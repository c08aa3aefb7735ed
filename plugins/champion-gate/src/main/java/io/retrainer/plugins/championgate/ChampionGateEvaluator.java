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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Promotes the candidate only if it beats the production model (the champion) by a margin on one
 * metric, or on every one of several metrics. It computes nothing itself: it compares values an
 * earlier evaluator, such as {@code classification-metrics}, computed for both models on the same
 * holdout.
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
        return "Promotes the candidate only if it beats the production model on one or several metrics an earlier evaluator computed.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("metric", SettingType.STRING, "roc_auc",
                        "Metric to compare, as named by an evaluator listed before this one (e.g. roc_auc, accuracy, log_loss).")
                .optional("metrics", SettingType.STRING_LIST, null,
                        "Several metrics to compare instead of metric; the candidate must pass on every one.")
                .optional("min_improvement", SettingType.NUMBER, 0.0,
                        "How much better than the champion the candidate must be, in the metric's units (for each metric).")
                .optional("min_improvements", SettingType.NUMBER_LIST, null,
                        "One margin per entry of metrics, in the same order, instead of min_improvement.")
                .choice("direction", "auto", List.of("auto", "higher", "lower"),
                        "Whether higher or lower values are better; auto treats names containing loss, error, mae, rmse, mse or mape as lower-is-better.")
                .build();
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        Settings settings = context.settings();
        List<String> metrics = settings.has("metrics") ? settings.<String>list("metrics") : List.of(settings.requireString("metric"));
        List<Double> margins = margins(settings, metrics);
        String directionSetting = settings.requireString("direction");

        Map<String, Double> recorded = new LinkedHashMap<>();
        List<String> candidateScores = new ArrayList<>();
        for (String metric : metrics) {
            double candidate = require(input.candidateMetrics(), metric, "candidate");
            recorded.put("gate_candidate_" + metric, candidate);
            candidateScores.add(metric + " " + format(candidate));
        }

        Verdict verdict;
        if (input.champion().isEmpty()) {
            verdict = Verdict.promote("no production model yet: first model is promoted (" + String.join(", ", candidateScores) + ")");
        } else {
            List<String> comparisons = new ArrayList<>();
            boolean all = true;
            for (int i = 0; i < metrics.size(); i++) {
                String metric = metrics.get(i);
                double champion = require(input.championMetrics(), metric, "champion");
                recorded.put("gate_champion_" + metric, champion);
                Verdict one = compare(metric, Direction.resolve(directionSetting, metric), recorded.get("gate_candidate_" + metric),
                        champion, margins.get(i));
                all &= one.decision() == Verdict.Decision.PROMOTE;
                comparisons.add(one.reason());
            }
            String reason = String.join("; ", comparisons);
            verdict = all ? Verdict.promote(reason) : Verdict.reject(reason);
        }
        context.log().info(verdict.decision() + ": " + verdict.reason());
        return new Evaluation(Metrics.of(recorded), Metrics.empty(), Optional.of(verdict));
    }

    /** The margin for each metric: {@code min_improvements} in order, else {@code min_improvement} for all. */
    private static List<Double> margins(Settings settings, List<String> metrics) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException(ID + ": metrics is empty; name at least one metric to compare");
        }
        if (!settings.has("min_improvements")) {
            return Collections.nCopies(metrics.size(), settings.number("min_improvement"));
        }
        List<Double> margins = settings.list("min_improvements");
        if (!settings.has("metrics") || margins.size() != metrics.size()) {
            throw new IllegalArgumentException(ID + ": min_improvements has " + margins.size() + " entries but there "
                    + (metrics.size() == 1 ? "is 1 metric" : "are " + metrics.size() + " metrics") + " " + metrics
                    + "; give one margin per entry of metrics, in the same order, or use min_improvement for all");
        }
        return margins;
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
                + "); list an evaluator that computes it, such as classification-metrics or regression-metrics, before " + ID
                + " in the pipeline's evaluate section"));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
