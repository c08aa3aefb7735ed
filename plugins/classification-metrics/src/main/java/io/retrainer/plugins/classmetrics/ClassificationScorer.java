package io.retrainer.plugins.classmetrics;

import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.StageLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Computes the metrics of one model's predictions against the true labels.
 *
 * <p>Conventions, chosen to match scikit-learn so numbers can be checked against it:
 * <ul>
 *   <li>Macro averages run over the labels that occur as true or predicted values (not over
 *       classes the model knows but never sees or predicts); a class never predicted has
 *       precision 0, a class never true has recall 0.</li>
 *   <li>ROC AUC is computed for binary models only. The positive class is the second of the
 *       model's classes in sorted order (so {@code 1} for 0/1 labels, {@code malignant} for
 *       benign/malignant); AUC is symmetric in which class is positive, so this only fixes whose
 *       probability is read.</li>
 *   <li>Log loss uses the probability given to the true class, clipped to [1e-15, 1 - 1e-15].</li>
 *   <li>Rows whose true label is missing are skipped.</li>
 * </ul>
 */
final class ClassificationScorer {
    private static final double EPS = 1e-15;

    private final List<String> modelClasses;
    private final StageLog log;

    /**
     * @param modelClasses the classes the model can predict, from {@code Predictor.classes()}
     * @param log where to explain metrics that cannot be computed
     */
    ClassificationScorer(List<String> modelClasses, StageLog log) {
        this.modelClasses = modelClasses;
        this.log = log;
    }

    /**
     * Scores {@code predictions} against {@code truth}, position by position.
     *
     * @throws IllegalStateException if the counts differ or a prediction has no class
     */
    Metrics score(String[] truth, List<Prediction> predictions) {
        if (predictions.size() != truth.length) {
            throw new IllegalStateException("the model returned " + predictions.size() + " predictions for " + truth.length + " rows");
        }
        List<String> actual = new ArrayList<>();
        List<Prediction> scored = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == null) {
                continue;
            }
            if (predictions.get(i).label() == null) {
                throw new IllegalStateException("the model returned no class for holdout row " + i);
            }
            actual.add(truth[i]);
            scored.add(predictions.get(i));
        }
        if (actual.size() < truth.length) {
            log.warn((truth.length - actual.size()) + " holdout rows have no label and were not scored");
        }
        if (actual.isEmpty()) {
            throw new IllegalStateException("the holdout has no labelled rows to score");
        }

        List<String> labels = labels(actual, scored);
        long[][] confusion = confusion(labels, actual, scored);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("accuracy", accuracy(confusion, actual.size()));
        putMacroAverages(confusion, values);
        boolean hasProbabilities = scored.stream().noneMatch(p -> p.probabilities().isEmpty());
        if (!hasProbabilities) {
            log.warn("the model gives no class probabilities: roc_auc and log_loss are not computed");
        } else {
            rocAuc(actual, scored).ifPresent(auc -> values.put("roc_auc", auc));
            values.put("log_loss", logLoss(actual, scored));
        }
        return new Metrics(values, Map.of("confusion_matrix", confusionDetails(labels, confusion)));
    }

    private static List<String> labels(List<String> actual, List<Prediction> scored) {
        TreeSet<String> labels = new TreeSet<>(actual);
        scored.forEach(p -> labels.add(p.label()));
        return List.copyOf(labels);
    }

    /** Rows are true labels, columns predicted labels, both in {@code labels} order. */
    private static long[][] confusion(List<String> labels, List<String> actual, List<Prediction> scored) {
        long[][] m = new long[labels.size()][labels.size()];
        for (int i = 0; i < actual.size(); i++) {
            m[labels.indexOf(actual.get(i))][labels.indexOf(scored.get(i).label())]++;
        }
        return m;
    }

    private static double accuracy(long[][] m, int n) {
        long correct = 0;
        for (int k = 0; k < m.length; k++) {
            correct += m[k][k];
        }
        return (double) correct / n;
    }

    private static void putMacroAverages(long[][] m, Map<String, Double> values) {
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        for (int k = 0; k < m.length; k++) {
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < m.length; j++) {
                predicted += m[j][k];
                actual += m[k][j];
            }
            double p = predicted == 0 ? 0 : (double) m[k][k] / predicted;
            double r = actual == 0 ? 0 : (double) m[k][k] / actual;
            precision += p;
            recall += r;
            f1 += p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        values.put("precision_macro", precision / m.length);
        values.put("recall_macro", recall / m.length);
        values.put("f1_macro", f1 / m.length);
    }

    private Optional<Double> rocAuc(List<String> actual, List<Prediction> scored) {
        if (modelClasses.size() != 2) {
            return Optional.empty();
        }
        String positive = new TreeSet<>(modelClasses).last();
        double[] scores = new double[actual.size()];
        boolean[] isPositive = new boolean[actual.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scored.get(i).probabilities().getOrDefault(positive, 0.0);
            isPositive[i] = actual.get(i).equals(positive);
        }
        OptionalDouble auc = RocAuc.of(scores, isPositive);
        if (auc.isEmpty()) {
            log.warn("the holdout holds only one class: roc_auc is undefined and not computed");
            return Optional.empty();
        }
        return Optional.of(auc.getAsDouble());
    }

    private static double logLoss(List<String> actual, List<Prediction> scored) {
        double sum = 0;
        for (int i = 0; i < actual.size(); i++) {
            double p = scored.get(i).probabilities().getOrDefault(actual.get(i), 0.0);
            sum -= Math.log(Math.min(Math.max(p, EPS), 1 - EPS));
        }
        return sum / actual.size();
    }

    private static Map<String, Object> confusionDetails(List<String> labels, long[][] m) {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : m) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("labels", labels);
        details.put("matrix", rows);
        return details;
    }
}
