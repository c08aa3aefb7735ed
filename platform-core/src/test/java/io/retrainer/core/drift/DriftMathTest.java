package io.retrainer.core.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PSI, KS, binning and quantiles against values worked out by hand. */
class DriftMathTest {
    @Test
    void psiMatchesTheHandComputedSum() {
        // e = .5 .3 .2, a = .4 .3 .3: (-.1)ln(.8) + 0 + (.1)ln(1.5) = 0.0223144 + 0.0405465
        assertEquals(0.0628609, DriftMath.psi(new long[] {50, 30, 20}, new long[] {40, 30, 30}), 1e-6);
        // Same fractions, different totals: no drift.
        assertEquals(0.0, DriftMath.psi(new long[] {50, 30, 20}, new long[] {5, 3, 2}), 1e-12);
    }

    @Test
    void anEmptyReferenceBinIsFlooredAtEpsilon() {
        // e = 1, 0 -> 1e-4; a = .9, .1: (-.1)ln(.9) + (.0999)ln(.1/1e-4) = 0.0105361 + 0.6900848
        assertEquals(0.7006208, DriftMath.psi(new long[] {100, 0}, new long[] {90, 10}), 1e-6);
    }

    @Test
    void psiWithoutLiveCountsIsNaN() {
        assertTrue(Double.isNaN(DriftMath.psi(new long[] {1, 2}, new long[] {0, 0})));
    }

    @Test
    void ksIsTheLargestGapBetweenCumulativeFractions() {
        // F_ref .25 .5 .75 1, F_live 0 .5 1 1
        assertEquals(0.25, DriftMath.ks(new long[] {25, 25, 25, 25}, new long[] {0, 50, 50, 0}, 0, 4), 1e-12);
        assertEquals(1.0, DriftMath.ks(new long[] {10, 0, 0}, new long[] {0, 0, 7}, 0, 3), 1e-12);
        // Only the bins in [from, to) count: the missing slot after them is ignored.
        assertEquals(0.0, DriftMath.ks(new long[] {1, 1, 5}, new long[] {3, 3, 0}, 0, 2), 1e-12);
    }

    @Test
    void binsAreRightClosed() {
        double[] edges = {1, 2, 3};
        assertEquals(0, DriftMath.bin(edges, 0.5));
        assertEquals(0, DriftMath.bin(edges, 1));
        assertEquals(1, DriftMath.bin(edges, 1.5));
        assertEquals(2, DriftMath.bin(edges, 3));
        assertEquals(3, DriftMath.bin(edges, 3.1));
        assertEquals(0, DriftMath.bin(new double[] {0}, -0.0));
        assertEquals(0, DriftMath.bin(new double[0], 42));
    }

    @Test
    void binAgreesWithCountingEdgesBelowForEveryArraySize() {
        java.util.Random r = new java.util.Random(3);
        for (int n = 1; n <= 130; n++) {
            double[] edges = new double[n];
            for (int i = 0; i < n; i++) {
                edges[i] = i * 2.0;
            }
            for (int k = 0; k < 200; k++) {
                // Values on, between and beyond the edges.
                double v = r.nextBoolean() ? r.nextInt(2 * n + 2) - 1 : (r.nextDouble() * (2 * n + 4)) - 2;
                int below = 0;
                for (double e : edges) {
                    if (e < v) {
                        below++;
                    }
                }
                assertEquals(below, DriftMath.bin(edges, v), "n=" + n + " v=" + v);
            }
        }
    }

    @Test
    void quantileEdgesAreEqualFrequencyAndMergeTies() {
        double[] oneToTen = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, ProfileBuilder.quantiles(oneToTen, 100, 10));
        assertArrayEquals(new double[] {0, 1}, ProfileBuilder.quantiles(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, 100, 10));
        FeatureProfile p = ProfileBuilder.numeric("x", new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, Double.NaN});
        // (-inf, 0], (0, 1], (1, inf), missing
        assertArrayEquals(new long[] {8, 2, 0, 1}, p.counts());
    }

    @Test
    void categoricalProfileKeepsTheTopCategoriesAndFoldsTheRest() {
        String[] values = {"a", "a", "a", "a", "a", "b", "b", "b", "c", "d", null, null};
        FeatureProfile p = ProfileBuilder.categorical("color", values, 2);
        assertEquals(List.of("a", "b"), p.categories());
        assertEquals(List.of("c", "d"), p.otherCategories());
        // a, b, other, unseen, missing
        assertArrayEquals(new long[] {5, 3, 2, 0, 2}, p.counts());
    }
}
