package io.retrainer.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelRef;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.serving.ServedBatch;
import io.retrainer.core.serving.ServedModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drift computation cost: PSI + KS for {@code bench.features} (100) numeric features over a
 * window of {@code bench.rows} (1,000,000) live rows. Not a test: it prints numbers and checks
 * only that the shifted features are the ones flagged. Excluded from the normal build by its tag;
 * run it with {@code bench/drift/drift.sh} or
 * <pre>
 * mvn -B -o -pl platform-core test -Dgroups=benchmark -DexcludedGroups= -Dtest=DriftBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Three figures, measured separately, all on one thread:
 * <ol>
 *   <li>reference profile: quantile grids and reference counts from {@code bench.trainRows}
 *       (200,000) training rows plus the output profile, as the register stage does;</li>
 *   <li>binning: the live rows go through {@link DriftMonitor#onBatch} (the listener the serving
 *       path calls) in requests of {@code bench.batch} (1,000) rows, spread over the last hour
 *       by a fake clock so all 60 minute buckets are in use; plus the same per row for
 *       one-row requests (the common serving case);</li>
 *   <li>statistics: {@link DriftMonitor#report} over the one-hour window, summing the 60 buckets
 *       and computing PSI and KS of every feature and of the output.</li>
 * </ol>
 * Every tenth feature of the live data is shifted by one standard deviation; the benchmark
 * checks exactly those are above PSI 0.2, and compares the grid KS with the exact two-sample KS
 * of the raw values (sorted) on a few features to show the grid's error.
 */
@Tag("benchmark")
class DriftBenchmark {
    private static final int FEATURES = Integer.getInteger("bench.features", 100);
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int TRAIN_ROWS = Integer.getInteger("bench.trainRows", 200_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 1000);
    private static final int SINGLE_ROWS = Integer.getInteger("bench.singleRows", 200_000);
    private static final int REPEATS = Integer.getInteger("bench.repeats", 3);
    /** Distinct pre-generated batches the live stream cycles through (generation stays out of the timing). */
    private static final int DISTINCT_BATCHES = 50;

    private static final class MutableClock extends Clock {
        final AtomicLong millis = new AtomicLong();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    static Schema schema() {
        List<Column> cols = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            cols.add(new Column("f" + f, ColumnType.NUMERIC));
        }
        return new Schema(cols, null);
    }

    /** Normal features with mean f (so each column differs); shifted ones moved by {@code shift} SDs. */
    static Dataset data(Schema schema, Random r, int rows, double shift) {
        Dataset.Builder b = Dataset.builder(schema);
        Object[] row = new Object[FEATURES];
        for (int i = 0; i < rows; i++) {
            for (int f = 0; f < FEATURES; f++) {
                row[f] = f + r.nextGaussian() + (f % 10 == 0 ? shift : 0);
            }
            b.addRow(row);
        }
        return b.build();
    }

    static List<Prediction> outputs(Dataset d) {
        List<Prediction> out = new ArrayList<>(d.rowCount());
        for (int i = 0; i < d.rowCount(); i++) {
            out.add(Prediction.ofValue(d.number(0, i) + d.number(1, i)));
        }
        return out;
    }

    @Test
    void psiAndKsForAHundredFeaturesOverAMillionRows() {
        Schema schema = schema();
        Random r = new Random(42);
        System.out.printf(Locale.ROOT, "=== Drift computation: %d numeric features, %d live rows, %d training rows%n",
                FEATURES, ROWS, TRAIN_ROWS);

        Dataset train = data(schema, r, TRAIN_ROWS, 0);
        List<Prediction> trainOut = outputs(train);
        ReferenceProfile profile = null;
        double profileBest = Double.MAX_VALUE;
        double profileCpu = Double.MAX_VALUE;
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            long c0 = cpu();
            profile = ProfileBuilder.build("bench", 1, train, trainOut);
            profileCpu = Math.min(profileCpu, (cpu() - c0) / 1e9);
            profileBest = Math.min(profileBest, (System.nanoTime() - t0) / 1e9);
        }
        train = null;
        trainOut = null;

        Dataset[] batches = new Dataset[DISTINCT_BATCHES];
        List<List<Prediction>> batchOut = new ArrayList<>();
        for (int i = 0; i < DISTINCT_BATCHES; i++) {
            batches[i] = data(schema, r, BATCH, 1.0);
            batchOut.add(outputs(batches[i]));
        }
        ModelRef ref = new ModelRef("bench", 1, "bench", "0", schema);
        ServedModel model = new ServedModel(ref, null, Instant.EPOCH);
        long start = Duration.ofDays(20_000).toMillis();
        int requests = ROWS / BATCH;

        double binBest = Double.MAX_VALUE;
        double statsBest = Double.MAX_VALUE;
        double singleBest = Double.MAX_VALUE;
        double binCpu = Double.MAX_VALUE;
        double statsCpu = Double.MAX_VALUE;
        double singleCpu = Double.MAX_VALUE;
        DriftReport report = null;
        for (int rep = 0; rep < REPEATS; rep++) {
            MutableClock clock = new MutableClock();
            DriftMonitor monitor = new DriftMonitor(null, null, new PlatformMetrics(), clock);
            monitor.cache(profile);
            long t0 = System.nanoTime();
            long c0 = cpu();
            for (int q = 0; q < requests; q++) {
                // Spread over the hour before "now", so the 1 h window sums all 60 minute buckets.
                clock.millis.set(start + (long) q * 3_600_000L / requests);
                int k = q % DISTINCT_BATCHES;
                monitor.onBatch(new ServedBatch("bench", model, "blue", false, batches[k], batchOut.get(k), List.of(),
                        Instant.EPOCH, 0));
            }
            binCpu = Math.min(binCpu, (cpu() - c0) / 1e9);
            binBest = Math.min(binBest, (System.nanoTime() - t0) / 1e9);
            clock.millis.set(start + 3_600_000L - 1);
            long t1 = System.nanoTime();
            long c1 = cpu();
            report = monitor.report("bench", "bench", 1, Duration.ofHours(1)).orElseThrow();
            statsCpu = Math.min(statsCpu, (cpu() - c1) / 1e9);
            statsBest = Math.min(statsBest, (System.nanoTime() - t1) / 1e9);

            // One-row requests: the per-request cost on the serving thread.
            Dataset[] singles = new Dataset[DISTINCT_BATCHES];
            List<List<Prediction>> singleOut = new ArrayList<>();
            for (int i = 0; i < DISTINCT_BATCHES; i++) {
                singles[i] = batches[i].rows(new int[] {0});
                singleOut.add(batchOut.get(i).subList(0, 1));
            }
            long t2 = System.nanoTime();
            long c2 = cpu();
            for (int q = 0; q < SINGLE_ROWS; q++) {
                int k = q % DISTINCT_BATCHES;
                monitor.onBatch(new ServedBatch("single", model, "blue", false, singles[k], singleOut.get(k), List.of(),
                        Instant.EPOCH, 0));
            }
            singleCpu = Math.min(singleCpu, (cpu() - c2) / 1e9);
            singleBest = Math.min(singleBest, (System.nanoTime() - t2) / 1e9);
        }

        long live = report.features().get(0).liveCount();
        assertEquals((long) requests * BATCH, live);
        List<String> flagged = report.features().stream().filter(f -> f.psi() > 0.2).map(DriftReport.FeatureReport::feature).toList();
        List<String> shifted = new ArrayList<>();
        for (int f = 0; f < FEATURES; f += 10) {
            shifted.add("f" + f);
        }
        shifted.add(DriftMonitor.PREDICTION); // the output sums f0 and f1, so it moves with f0
        assertEquals(shifted, flagged);

        // Grid KS against the exact two-sample KS of raw values on a few features.
        double maxKsError = 0;
        for (int f : new int[] {0, 1, 10, 55}) {
            double exact = exactKs(profile, f, batches, requests);
            double grid = report.features().get(f).ks();
            maxKsError = Math.max(maxKsError, Math.abs(exact - grid));
        }

        long values = (long) live * FEATURES;
        System.out.println("(wall = elapsed time; cpu = this thread's CPU time, which other load on the machine inflates less)");
        System.out.printf(Locale.ROOT, "reference profile (%d rows x %d features + output): wall %.3f s, cpu %.3f s%n",
                TRAIN_ROWS, FEATURES, profileBest, profileCpu);
        System.out.printf(Locale.ROOT, "binning %d rows x %d features through the listener, %d-row requests: wall %.3f s, cpu %.3f s (%.1f ns/value cpu, %.2f M rows/s)%n",
                live, FEATURES, BATCH, binBest, binCpu, binCpu * 1e9 / values, live / binCpu / 1e6);
        System.out.printf(Locale.ROOT, "binning one-row requests of %d features: wall %.2f us, cpu %.2f us per request%n",
                FEATURES, singleBest * 1e6 / SINGLE_ROWS, singleCpu * 1e6 / SINGLE_ROWS);
        System.out.printf(Locale.ROOT, "PSI + KS of %d features + output over the 1 h window (60 buckets): wall %.1f ms, cpu %.1f ms%n",
                FEATURES, statsBest * 1e3, statsCpu * 1e3);
        System.out.printf(Locale.ROOT, "total (binning + statistics): wall %.3f s, cpu %.3f s; best of %d%n",
                binBest + statsBest, binCpu + statsCpu, REPEATS);
        System.out.printf(Locale.ROOT, "load average during the run: %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "flagged (PSI > 0.2): %s; f0 PSI %.3f KS %.3f, f1 PSI %.4f; grid KS vs exact KS, max error over 4 features: %.4f%n",
                flagged, report.features().get(0).psi(), report.features().get(0).ks(), report.features().get(1).psi(), maxKsError);
        System.out.printf(Locale.ROOT, "JVM: %s, %d processors, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        assertTrue(maxKsError < 0.02, "grid KS within 0.02 of exact: " + maxKsError);
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The exact KS statistic between the reference rows regenerated from the profile's seed and the live values. */
    private static double exactKs(ReferenceProfile profile, int f, Dataset[] batches, int requests) {
        // Reference: the same generator as the training data (seed 42, first TRAIN_ROWS rows).
        Random r = new Random(42);
        double[] ref = new double[TRAIN_ROWS];
        for (int i = 0; i < TRAIN_ROWS; i++) {
            for (int g = 0; g < FEATURES; g++) {
                double v = g + r.nextGaussian();
                if (g == f) {
                    ref[i] = v;
                }
            }
        }
        double[] live = new double[requests * BATCH];
        for (int q = 0; q < requests; q++) {
            Dataset b = batches[q % batches.length];
            for (int i = 0; i < BATCH; i++) {
                live[q * BATCH + i] = b.number(f, i);
            }
        }
        Arrays.sort(ref);
        Arrays.sort(live);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < ref.length && j < live.length) {
            double x = Math.min(ref[i], live[j]);
            while (i < ref.length && ref[i] <= x) {
                i++;
            }
            while (j < live.length && live[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / ref.length - (double) j / live.length));
        }
        return d;
    }
}
