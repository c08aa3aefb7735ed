package io.retrainer.core.drift;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns a window's summed live counts and the reference profile into per-feature PSI, KS and bin fractions. */
final class DriftStatistics {
    private DriftStatistics() {
    }

    /** One report per profiled feature, then the output. */
    static List<DriftReport.FeatureReport> reports(LiveWindow window, long[] sums) {
        ReferenceProfile profile = window.profile;
        List<DriftReport.FeatureReport> out = new ArrayList<>(profile.features().size() + 1);
        for (int f = 0; f < profile.features().size(); f++) {
            FeatureProfile fp = profile.features().get(f);
            out.add(feature(fp, fp.kind(), sums, window.offset(f)));
        }
        if (profile.prediction() != null) {
            out.add(feature(profile.prediction(), FeatureDrift.PREDICTION, sums, window.predictionOffset()));
        }
        return out;
    }

    /** The report of one feature whose live slots start at {@code offset} in {@code sums}. */
    static DriftReport.FeatureReport feature(FeatureProfile fp, String kind, long[] sums, int offset) {
        long[] live = Arrays.copyOfRange(sums, offset, offset + fp.slots());
        long liveCount = 0;
        for (long c : live) {
            liveCount += c;
        }
        if (!fp.numeric()) {
            double psi = DriftMath.psi(fp.counts(), live);
            List<String> bins = new ArrayList<>(fp.categories());
            bins.add("(other)");
            bins.add("(unseen)");
            bins.add("(missing)");
            return new DriftReport.FeatureReport(fp.name(), kind, psi, null, liveCount, bins,
                    fractions(fp.counts()), fractions(live));
        }
        double[] edges = fp.edges();
        double[] psiEdges = fp.psiEdges();
        int fine = edges.length + 1;
        long[] refPsi = new long[psiEdges.length + 2];
        long[] livePsi = new long[psiEdges.length + 2];
        for (int i = 0; i < fine; i++) {
            int g = i < edges.length ? DriftMath.bin(psiEdges, edges[i]) : psiEdges.length;
            refPsi[g] += fp.counts()[i];
            livePsi[g] += live[i];
        }
        refPsi[psiEdges.length + 1] = fp.counts()[fp.missingSlot()];
        livePsi[psiEdges.length + 1] = live[fp.missingSlot()];
        double psi = DriftMath.psi(refPsi, livePsi);
        double ks = DriftMath.ks(fp.counts(), live, 0, fine);
        return new DriftReport.FeatureReport(fp.name(), kind, psi, Double.isNaN(ks) ? null : ks, liveCount,
                rangeLabels(psiEdges), fractions(refPsi), fractions(livePsi));
    }

    private static List<String> rangeLabels(double[] edges) {
        List<String> labels = new ArrayList<>(edges.length + 2);
        if (edges.length == 0) {
            labels.add("all values");
        } else {
            labels.add("≤ " + number(edges[0]));
            for (int i = 1; i < edges.length; i++) {
                labels.add("(" + number(edges[i - 1]) + ", " + number(edges[i]) + "]");
            }
            labels.add("> " + number(edges[edges.length - 1]));
        }
        labels.add("(missing)");
        return labels;
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static double[] fractions(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] out = new double[counts.length];
        if (total > 0) {
            for (int i = 0; i < counts.length; i++) {
                out[i] = (double) counts[i] / total;
            }
        }
        return out;
    }
}
