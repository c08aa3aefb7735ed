package io.retrainer.plugins.classmetrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * Area under the ROC curve by the rank (Mann-Whitney U) formula: the probability that a random
 * positive scores above a random negative, ties counting one half. Tied scores get their average
 * rank, which is what makes ties count one half; O(n log n) instead of the O(n²) pair count.
 */
final class RocAuc {
    private RocAuc() {
    }

    /**
     * @param scores the score of each row (higher means more likely positive)
     * @param positive whether each row is truly positive
     * @return the AUC, or empty if there are no positives or no negatives
     */
    static OptionalDouble of(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));

        double positiveRankSum = 0;
        long positives = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return OptionalDouble.empty();
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return OptionalDouble.of(u / ((double) positives * negatives));
    }
}
