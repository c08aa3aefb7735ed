package io.retrainer.core.drift;

/**
 * The statistics behind drift: bin lookup over sorted edges, the population stability index and
 * the Kolmogorov–Smirnov statistic from binned counts. Pure functions; no allocation.
 */
public final class DriftMath {
    /**
     * Floor for a bin's fraction in PSI. An empty bin would make {@code ln(a/e)} infinite; this is
     * the customary 0.01 % (a bin empty on one side and 1 % on the other contributes about 0.046).
     */
    public static final double EPSILON = 1e-4;

    private DriftMath() {
    }

    /**
     * The bin of {@code v} among right-closed bins over {@code edges} (sorted, distinct):
     * {@code (-inf, e0], (e0, e1], ..., (e_last, +inf)}, that is the number of edges strictly
     * below {@code v}. Returns 0..edges.length. {@code v} must not be NaN.
     */
    public static int bin(double[] edges, double v) {
        // Primitive < treats -0.0 and 0.0 as one value, as the reference binning does.
        double x = v;
        int n = edges.length;
        if (n == 0) {
            return 0;
        }
        // Branch-free halving (the JIT emits conditional moves): about 3x faster than a classic
        // binary search on live values, whose comparisons are unpredictable.
        int base = 0;
        while (n > 1) {
            int half = n >>> 1;
            base = edges[base + half - 1] < x ? base + half : base;
            n -= half;
        }
        return base + (edges[base] < x ? 1 : 0);
    }

    /**
     * PSI = Σ (a_i − e_i) · ln(a_i / e_i) over aligned bins, where e are the reference and a the
     * live fractions of their totals, each floored at {@link #EPSILON}. {@code NaN} if either side
     * has no counts at all.
     *
     * @param reference reference counts per bin
     * @param live live counts per bin, the same length
     * @param from first bin (inclusive)
     * @param to last bin (exclusive)
     */
    public static double psi(long[] reference, long[] live, int from, int to) {
        long refTotal = 0;
        long liveTotal = 0;
        for (int i = from; i < to; i++) {
            refTotal += reference[i];
            liveTotal += live[i];
        }
        if (refTotal == 0 || liveTotal == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            double e = Math.max((double) reference[i] / refTotal, EPSILON);
            double a = Math.max((double) live[i] / liveTotal, EPSILON);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /** {@link #psi(long[], long[], int, int)} over all bins. */
    public static double psi(long[] reference, long[] live) {
        return psi(reference, live, 0, reference.length);
    }

    /**
     * The two-sample KS statistic max_j |F_live(x_j) − F_ref(x_j)| evaluated at the upper edge of
     * each bin (a lower bound of the exact statistic, within one bin's mass of it). {@code NaN} if
     * either side has no counts in {@code [from, to)}.
     */
    public static double ks(long[] reference, long[] live, int from, int to) {
        long refTotal = 0;
        long liveTotal = 0;
        for (int i = from; i < to; i++) {
            refTotal += reference[i];
            liveTotal += live[i];
        }
        if (refTotal == 0 || liveTotal == 0) {
            return Double.NaN;
        }
        long refCum = 0;
        long liveCum = 0;
        double max = 0;
        for (int i = from; i < to; i++) {
            refCum += reference[i];
            liveCum += live[i];
            max = Math.max(max, Math.abs((double) liveCum / liveTotal - (double) refCum / refTotal));
        }
        return max;
    }
}
