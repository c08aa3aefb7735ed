package io.retrainer.plugins.slicemetrics;

import io.retrainer.api.Task;
import java.util.List;
import java.util.TreeSet;

/** The metrics computed per slice, and whether higher or lower is better. */
enum SliceMetric {
    ACCURACY("accuracy", Task.CLASSIFICATION, true),
    F1_MACRO("f1_macro", Task.CLASSIFICATION, true),
    MAE("mae", Task.REGRESSION, false),
    RMSE("rmse", Task.REGRESSION, false);

    final String id;
    final Task task;
    final boolean higherIsBetter;

    SliceMetric(String id, Task task, boolean higherIsBetter) {
        this.id = id;
        this.task = task;
        this.higherIsBetter = higherIsBetter;
    }

    /** The {@code metric} setting: a metric's id, or {@code auto} for accuracy or rmse by the task. */
    static SliceMetric resolve(String setting, Task task) {
        if (setting.equals("auto")) {
            return task == Task.CLASSIFICATION ? ACCURACY : RMSE;
        }
        for (SliceMetric m : values()) {
            if (m.id.equals(setting)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + setting + "'");
    }

    /** How much worse {@code candidate} is than {@code champion}: positive when worse, negative when better. */
    double drop(double candidate, double champion) {
        return higherIsBetter ? champion - candidate : candidate - champion;
    }

    /** Accuracy or macro F1 (over the labels that occur as true or predicted, like scikit-learn). */
    static double classification(SliceMetric metric, List<String> truth, List<String> predicted) {
        int n = truth.size();
        if (metric == ACCURACY) {
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += truth.get(i).equals(predicted.get(i)) ? 1 : 0;
            }
            return (double) correct / n;
        }
        TreeSet<String> labels = new TreeSet<>(truth);
        labels.addAll(predicted);
        double f1 = 0;
        for (String label : labels) {
            int tp = 0;
            int predictedCount = 0;
            int actualCount = 0;
            for (int i = 0; i < n; i++) {
                boolean t = truth.get(i).equals(label);
                boolean p = label.equals(predicted.get(i));
                tp += t && p ? 1 : 0;
                predictedCount += p ? 1 : 0;
                actualCount += t ? 1 : 0;
            }
            double precision = predictedCount == 0 ? 0 : (double) tp / predictedCount;
            double recall = actualCount == 0 ? 0 : (double) tp / actualCount;
            f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return f1 / labels.size();
    }

    /** MAE or RMSE. */
    static double regression(SliceMetric metric, double[] truth, double[] predicted) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double e = truth[i] - predicted[i];
            sum += metric == MAE ? Math.abs(e) : e * e;
        }
        double mean = sum / truth.length;
        return metric == MAE ? mean : Math.sqrt(mean);
    }
}
