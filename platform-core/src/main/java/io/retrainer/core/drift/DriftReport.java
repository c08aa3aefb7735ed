package io.retrainer.core.drift;

import java.time.Duration;
import java.util.List;

/**
 * Drift of one endpoint's stable version over a window, with the bin fractions behind each
 * number (what the console draws).
 *
 * @param endpoint the endpoint
 * @param model the model serving there
 * @param version its version
 * @param window the window asked for
 * @param referenceRows training rows the reference profile was built from
 * @param features one report per profiled input column, then the output ({@code kind} {@code prediction}) if profiled
 */
public record DriftReport(String endpoint, String model, int version, Duration window, int referenceRows,
                          List<FeatureReport> features) {

    /**
     * One feature's drift and its PSI bins.
     *
     * @param feature the column, or {@link DriftMonitor#PREDICTION}
     * @param kind {@code numeric}, {@code categorical} or {@code prediction}
     * @param psi population stability index; {@code NaN} without live rows
     * @param ks KS statistic for numeric values; {@code null} for categories or without live values
     * @param liveCount live rows in the window
     * @param bins a label per PSI bin (value ranges, or categories with "(other)", "(unseen)", "(missing)")
     * @param reference the reference fraction per bin
     * @param live the live fraction per bin (all 0 without live rows)
     */
    public record FeatureReport(String feature, String kind, double psi, Double ks, long liveCount, List<String> bins,
                                double[] reference, double[] live) {
        /** The summary the drift trigger reads. */
        public FeatureDrift summary() {
            return new FeatureDrift(feature, kind, psi, ks, liveCount);
        }
    }
}
