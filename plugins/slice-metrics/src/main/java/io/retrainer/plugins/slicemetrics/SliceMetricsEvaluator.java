package io.retrainer.plugins.slicemetrics;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Scores the candidate, and the champion when there is one, separately on each slice of the
 * holdout: the rows sharing one value of a chosen column (a region, a device type, a customer
 * segment). A model can improve on average while getting worse for one group; with
 * {@code max_slice_drop} set this evaluator is also a gate that rejects such a candidate.
 */
@Extension
public final class SliceMetricsEvaluator implements Evaluator {
    static final String ID = "slice-metrics";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "A metric per value of a chosen column; optionally rejects a candidate that is worse than production on any slice.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("column", SettingType.STRING,
                        "Column whose values define the slices (categorical, or numeric with few values such as a code).")
                .choice("metric", "auto", List.of("auto", "accuracy", "f1_macro", "mae", "rmse"),
                        "Metric per slice; auto is accuracy for classification and rmse for regression.")
                .optional("max_slices", SettingType.INTEGER, 20, "Most slices reported: the largest ones.")
                .optional("min_slice_rows", SettingType.INTEGER, 10,
                        "Slices with fewer holdout rows are reported but not compared by the gate: too few rows to tell.")
                .optional("max_slice_drop", SettingType.NUMBER, null,
                        "When set, reject the candidate if on any slice it is worse than the production model by more than this, in the metric's units.")
                .build();
    }

    @Override
    public Evaluation evaluate(EvaluationInput input, StageContext context) {
        Settings s = context.settings();
        String column = s.requireString("column");
        Dataset holdout = input.holdout();
        Task task = holdout.schema().task().orElseThrow(() -> new IllegalArgumentException(ID + ": the holdout has no label column"));
        SliceMetric metric = SliceMetric.resolve(s.requireString("metric"), task);
        if (metric.task != task) {
            throw new IllegalArgumentException(ID + ": metric " + metric.id + " is for " + metric.task.name().toLowerCase(Locale.ROOT)
                    + " but label '" + holdout.schema().label() + "' makes this " + task.name().toLowerCase(Locale.ROOT));
        }
        long maxSlices = s.integer("max_slices");
        long minRows = s.integer("min_slice_rows");
        if (maxSlices < 1) {
            throw new IllegalArgumentException(ID + ": max_slices must be at least 1");
        }
        List<Slices.Slice> slices = Slices.of(holdout, column, maxSlices, context.log());

        context.progress(0.0, "scoring the candidate on " + slices.size() + " slices of " + column);
        double[] candidate = scores(input.candidate(), holdout, slices, metric);
        Optional<double[]> champion = input.champion().map(p -> {
            context.progress(0.5, "scoring the champion on " + slices.size() + " slices of " + column);
            return scores(p, holdout, slices, metric);
        });
        context.log().info(column + " slices, " + metric.id + ": " + describe(slices, candidate, champion));

        Optional<Verdict> verdict = Optional.empty();
        if (s.has("max_slice_drop")) {
            verdict = Optional.of(gate(column, metric, slices, candidate, champion, s.number("max_slice_drop"), minRows));
            context.log().info(verdict.get().decision() + ": " + verdict.get().reason());
        }
        // The host keeps only the candidate's details with the run, so they carry the champion's scores too.
        return new Evaluation(metrics(column, metric, slices, candidate, champion, minRows),
                champion.map(c -> metrics(column, metric, slices, c, Optional.empty(), minRows)).orElse(Metrics.empty()), verdict);
    }

    /** The metric on each slice; predictions are made once for the whole holdout. */
    private static double[] scores(Predictor predictor, Dataset holdout, List<Slices.Slice> slices, SliceMetric metric) {
        List<Prediction> predictions = predictor.predict(holdout);
        if (predictions.size() != holdout.rowCount()) {
            throw new IllegalStateException("the model returned " + predictions.size() + " predictions for " + holdout.rowCount() + " rows");
        }
        int label = holdout.labelIndex();
        double[] out = new double[slices.size()];
        for (int k = 0; k < out.length; k++) {
            int[] rows = slices.get(k).rows();
            if (metric.task == Task.CLASSIFICATION) {
                List<String> truth = new ArrayList<>(rows.length);
                List<String> predicted = new ArrayList<>(rows.length);
                for (int r : rows) {
                    truth.add(holdout.string(label, r));
                    predicted.add(predictions.get(r).label());
                }
                out[k] = SliceMetric.classification(metric, truth, predicted);
            } else {
                double[] truth = new double[rows.length];
                double[] predicted = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    truth[i] = holdout.number(label, rows[i]);
                    predicted[i] = predictions.get(rows[i]).value();
                }
                out[k] = SliceMetric.regression(metric, truth, predicted);
            }
        }
        return out;
    }

    private static Verdict gate(String column, SliceMetric metric, List<Slices.Slice> slices, double[] candidate,
                                Optional<double[]> championScores, double margin, long minRows) {
        if (championScores.isEmpty()) {
            return Verdict.promote("no production model yet: no slice of " + column + " to compare");
        }
        double[] champion = championScores.get();
        List<String> worse = new ArrayList<>();
        int compared = 0;
        int largest = -1;
        for (int k = 0; k < slices.size(); k++) {
            if (slices.get(k).rows().length < minRows) {
                continue;
            }
            compared++;
            double drop = metric.drop(candidate[k], champion[k]);
            // Written so that NaN rejects: an unknown score never replaces the champion.
            if (!(drop <= margin)) {
                worse.add(comparison(column, metric, slices.get(k), candidate[k], champion[k])
                        + ", worse by " + format(drop) + " > max_slice_drop " + format(margin));
            }
            if (largest < 0 || drop > metric.drop(candidate[largest], champion[largest])) {
                largest = k;
            }
        }
        String skipped = compared < slices.size()
                ? " (" + (slices.size() - compared) + " slices with fewer than " + minRows + " rows not compared)" : "";
        if (!worse.isEmpty()) {
            return Verdict.reject(String.join("; ", worse) + skipped);
        }
        if (compared == 0) {
            return Verdict.promote("no slice of " + column + " has " + minRows + " rows to compare" + skipped);
        }
        return Verdict.promote("no slice of " + column + " is worse than the champion by more than " + format(margin)
                + " on " + metric.id + " (largest drop: " + comparison(column, metric, slices.get(largest), candidate[largest],
                champion[largest]) + ")" + skipped);
    }

    private static String comparison(String column, SliceMetric metric, Slices.Slice slice, double candidate, double champion) {
        return column + "=" + slice.value() + " (" + slice.rows().length + " rows): " + metric.id + " " + format(candidate)
                + " vs champion " + format(champion);
    }

    /**
     * The worst slice's score as a value (for gates and dashboards), every slice in the details,
     * with the champion's score on it when given. Slices under {@code minRows} count in the details only.
     */
    private static Metrics metrics(String column, SliceMetric metric, List<Slices.Slice> slices, double[] scores,
                                   Optional<double[]> champion, long minRows) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double worst = Double.NaN;
        for (int k = 0; k < slices.size(); k++) {
            Map<String, Object> slice = new LinkedHashMap<>();
            slice.put("value", slices.get(k).value());
            slice.put("rows", slices.get(k).rows().length);
            slice.put(metric.id, scores[k]);
            if (champion.isPresent()) {
                slice.put("champion_" + metric.id, champion.get()[k]);
            }
            rows.add(slice);
            if (slices.get(k).rows().length >= minRows && (Double.isNaN(worst) || metric.drop(scores[k], worst) > 0)) {
                worst = scores[k];
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("column", column);
        details.put("metric", metric.id);
        details.put("slices", rows);
        Map<String, Double> values = new LinkedHashMap<>();
        if (!Double.isNaN(worst)) {
            values.put("slice_worst_" + metric.id, worst);
        }
        return new Metrics(values, Map.of("slices", details));
    }

    private static String describe(List<Slices.Slice> slices, double[] candidate, Optional<double[]> champion) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < slices.size(); k++) {
            int slice = k;
            parts.add(slices.get(k).value() + " (" + slices.get(k).rows().length + " rows) " + format(candidate[k])
                    + champion.map(c -> " vs champion " + format(c[slice])).orElse(""));
        }
        return String.join(", ", parts);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
