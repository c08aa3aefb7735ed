package io.retrainer.plugins.regmetrics;

import io.retrainer.api.Metrics;
import io.retrainer.api.Prediction;
import io.retrainer.api.StageLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the metrics of one model's predictions against the true values, with scikit-learn's
 * definitions so numbers can be checked against it:
 * <ul>
 *   <li>{@code mae}: mean of |y − ŷ|; {@code rmse}: square root of the mean of (y − ŷ)²;</li>
 *   <li>{@code r2}: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², not computed when every true value is the same;</li>
 *   <li>{@code mape}: mean of |y − ŷ| / |y| as a fraction (0.12 is 12%), over the rows whose true
 *       value is not zero; rows with a zero true value are left out (and counted in the log),
 *       since their percentage error is infinite.</li>
 * </ul>
 * Rows whose true value is missing are skipped.
 */
final class RegressionScorer {
    private final StageLog log;

    /** @param log where to explain rows left out and metrics that cannot be computed */
    RegressionScorer(StageLog log) {
        this.log = log;
    }

    /**
     * Scores {@code predictions} against {@code truth}, position by position.
     *
     * @param truth true values, NaN where missing
     * @throws IllegalStateException if the counts differ or no row has a true value
     */
    Metrics score(double[] truth, List<Prediction> predictions) {
        if (predictions.size() != truth.length) {
            throw new IllegalStateException("the model returned " + predictions.size() + " predictions for " + truth.length + " rows");
        }
        long n = 0;
        double sum = 0;
        for (double y : truth) {
            if (!Double.isNaN(y)) {
                n++;
                sum += y;
            }
        }
        if (n < truth.length) {
            log.warn((truth.length - n) + " holdout rows have no true value and were not scored");
        }
        if (n == 0) {
            throw new IllegalStateException("the holdout has no rows with a true value to score");
        }
        double mean = sum / n;
        double absolute = 0;
        double squared = 0;
        double total = 0;
        double percentage = 0;
        long percentageRows = 0;
        for (int i = 0; i < truth.length; i++) {
            double y = truth[i];
            if (Double.isNaN(y)) {
                continue;
            }
            double error = y - predictions.get(i).value();
            absolute += Math.abs(error);
            squared += error * error;
            total += (y - mean) * (y - mean);
            if (y != 0) {
                percentage += Math.abs(error) / Math.abs(y);
                percentageRows++;
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("mae", absolute / n);
        values.put("rmse", Math.sqrt(squared / n));
        if (total > 0) {
            values.put("r2", 1 - squared / total);
        } else {
            log.warn("every true value in the holdout is the same: r2 is undefined and not computed");
        }
        if (percentageRows < n) {
            log.warn((n - percentageRows) + " of " + n + " holdout rows have a true value of 0 and are left out of mape");
        }
        if (percentageRows > 0) {
            values.put("mape", percentage / percentageRows);
        } else {
            log.warn("every true value in the holdout is 0: mape is undefined and not computed");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rows", n);
        details.put("mape_rows", percentageRows);
        return new Metrics(values, details);
    }
}
