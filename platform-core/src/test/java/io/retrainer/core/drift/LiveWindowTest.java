package io.retrainer.core.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Live counters: bin layout, missing and unseen values, time buckets and windows. */
class LiveWindowTest {
    static final Schema SCHEMA = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("c", ColumnType.CATEGORICAL)), null);
    static final long T0 = Duration.ofDays(20_000).toMillis(); // a whole hour

    static ReferenceProfile profile() {
        // x: 1..10 -> decile edges 1..9, fine edges 1..10; c: a (6), b (3), z (1, folded into other at top 2)
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        String[] c = {"a", "a", "a", "a", "a", "a", "b", "b", "b", "z"};
        FeatureProfile prediction = ProfileBuilder.categorical(DriftMonitor.PREDICTION, new String[] {"p", "p", "q", "q"}, 50);
        return new ReferenceProfile("m", 1, 10, List.of(ProfileBuilder.numeric("x", x), ProfileBuilder.categorical("c", c, 2)),
                prediction, 4);
    }

    static Dataset rows(Object[]... rows) {
        Dataset.Builder b = Dataset.builder(SCHEMA);
        for (Object[] r : rows) {
            b.addRow(r);
        }
        return b.build();
    }

    static List<Prediction> outputs(String... labels) {
        return Arrays.stream(labels).map(l -> Prediction.ofClass(l, Map.of(l, 1.0))).toList();
    }

    @Test
    void countsEachValueInItsBinWithMissingAndUnseenApart() {
        LiveWindow w = new LiveWindow(profile(), T0);
        w.add(rows(new Object[] {0.5, "a"}, new Object[] {9.5, "z"}, new Object[] {null, "purple"}, new Object[] {10.0, null}),
                outputs("p", "q", "q", "r"), T0);
        long[] sums = w.sum(Duration.ofMinutes(1), T0);
        // x: the percentiles of 1..10 are 1..10 (the 91st to 99th are 10): 10 edges -> 11 bins + missing
        long[] x = Arrays.copyOfRange(sums, w.offset(0), w.offset(0) + 12);
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1}, x);
        // c: a, b, other, unseen, missing
        long[] c = Arrays.copyOfRange(sums, w.offset(1), w.offset(1) + 5);
        assertArrayEquals(new long[] {1, 0, 1, 1, 1}, c);
        // prediction: p, q, other, unseen (r), missing
        long[] p = Arrays.copyOfRange(sums, w.predictionOffset(), w.predictionOffset() + 5);
        assertArrayEquals(new long[] {1, 2, 0, 1, 0}, p);

        DriftReport.FeatureReport color = DriftStatistics.feature(profile().features().get(1), FeatureDrift.CATEGORICAL, sums, w.offset(1));
        assertEquals(List.of("a", "b", "(other)", "(unseen)", "(missing)"), color.bins());
        assertEquals(0.25, color.live()[3], 1e-12);
        assertEquals(0.0, color.reference()[3], 1e-12);
        assertNull(color.ks());
        assertTrue(color.psi() > 1, "a quarter unseen is a large shift: " + color.psi());
    }

    @Test
    void largeBatchesTalliedLocallyCountTheSameAsSingleRows() {
        java.util.Random r = new java.util.Random(9);
        Object[][] rows = new Object[40][];
        String[] labels = new String[40];
        String[] colors = {"a", "b", "z", "new", null};
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Object[] {r.nextDouble() < 0.1 ? null : 12 * r.nextDouble(), colors[r.nextInt(colors.length)]};
            labels[i] = r.nextBoolean() ? "p" : "q";
        }
        assertTrue(rows.length >= LiveWindow.LOCAL_TALLY_ROWS);
        LiveWindow batched = new LiveWindow(profile(), T0);
        batched.add(rows(rows), outputs(labels), T0);
        batched.add(rows(rows), outputs(labels), T0); // the per-thread tally is zeroed between batches
        LiveWindow single = new LiveWindow(profile(), T0);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < rows.length; i++) {
                single.add(rows(rows[i]), outputs(labels[i]), T0);
            }
        }
        assertArrayEquals(single.sum(Duration.ofMinutes(1), T0), batched.sum(Duration.ofMinutes(1), T0));
        assertArrayEquals(single.sum(Duration.ofHours(2), T0), batched.sum(Duration.ofHours(2), T0));
        assertEquals(80, liveRows(batched, Duration.ofMinutes(1), T0));
    }

    @Test
    void aColumnMissingFromTheRequestCountsAsMissing() {
        LiveWindow w = new LiveWindow(profile(), T0);
        Schema onlyX = new Schema(List.of(new Column("x", ColumnType.NUMERIC)), null);
        w.add(Dataset.builder(onlyX).addRow(3.0).addRow(4.0).build(), outputs("p", "p"), T0);
        long[] sums = w.sum(Duration.ofMinutes(5), T0);
        assertEquals(2, sums[w.offset(1) + 4]);
    }

    @Test
    void windowsCoverWholeMinutesUpToAnHourAndClockHoursBeyondPlusTheCurrentBucket() {
        LiveWindow w = new LiveWindow(profile(), T0);
        Dataset one = rows(new Object[] {5.0, "a"});
        w.add(one, outputs("p"), T0 + 10_000);                           // minute 0 of hour 0
        w.add(one, outputs("p"), T0 + Duration.ofMinutes(2).toMillis()); // minute 2
        long now = T0 + Duration.ofMinutes(2).toMillis() + 30_000;
        assertEquals(1, liveRows(w, Duration.ofMinutes(1), now));   // minutes 1 and 2 (the current one)
        assertEquals(2, liveRows(w, Duration.ofSeconds(90), now));  // rounded up to 2 minutes: minutes 0..2
        assertEquals(2, liveRows(w, Duration.ofMinutes(3), now));
        assertEquals(2, liveRows(w, Duration.ofHours(2), now));

        // An hour later minute 60 has its own bucket; minute 0's is still there for a 60-minute window.
        long later = T0 + Duration.ofMinutes(60).toMillis();
        w.add(one, outputs("p"), later);
        assertEquals(3, liveRows(w, Duration.ofMinutes(60), later)); // minutes 0..60
        assertEquals(2, liveRows(w, Duration.ofMinutes(59), later)); // minutes 1..60
        assertEquals(1, liveRows(w, Duration.ofMinutes(1), later));
        assertEquals(3, liveRows(w, Duration.ofMinutes(61), later)); // beyond an hour: clock hours 0 and 1
        // A day later every bucket is stale, including ring slots that came round again.
        long dayLater = later + Duration.ofHours(25).toMillis();
        assertEquals(0, liveRows(w, Duration.ofMinutes(60), dayLater));
        assertEquals(0, liveRows(w, Duration.ofHours(24), dayLater));
        w.add(one, outputs("p"), dayLater);
        assertEquals(1, liveRows(w, Duration.ofHours(24), dayLater));
    }

    private static long liveRows(LiveWindow w, Duration window, long now) {
        long[] sums = w.sum(window, now);
        long n = 0;
        for (int i = w.offset(1); i < w.offset(1) + 5; i++) {
            n += sums[i];
        }
        return n;
    }
}
