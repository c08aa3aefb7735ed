package io.retrainer.plugins.classmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RocAucTest {
    @Test
    void perfectAndReversedRankings() {
        boolean[] positive = {false, false, true, true};
        assertEquals(1.0, RocAuc.of(new double[] {0.1, 0.2, 0.8, 0.9}, positive).getAsDouble(), 1e-12);
        assertEquals(0.0, RocAuc.of(new double[] {0.9, 0.8, 0.2, 0.1}, positive).getAsDouble(), 1e-12);
    }

    @Test
    void tiesCountOneHalf() {
        // Positives 0.9, 0.4, 0.6, 0.1 against negatives 0.4, 0.2, 0.6; pairs won:
        // 0.9 -> 3, 0.4 -> 1 + 0.5 (tie with 0.4), 0.6 -> 2 + 0.5 (tie with 0.6), 0.1 -> 0; 7 of 12.
        double[] scores = {0.9, 0.4, 0.4, 0.2, 0.6, 0.6, 0.1};
        boolean[] positive = {true, true, false, false, true, false, true};
        assertEquals(7.0 / 12, RocAuc.of(scores, positive).getAsDouble(), 1e-12);
    }

    @Test
    void allScoresTiedIsChance() {
        assertEquals(0.5, RocAuc.of(new double[] {0.3, 0.3, 0.3}, new boolean[] {true, false, false}).getAsDouble(), 1e-12);
    }

    @Test
    void undefinedWithOneClassOnly() {
        assertTrue(RocAuc.of(new double[] {0.1, 0.2}, new boolean[] {true, true}).isEmpty());
    }
}
