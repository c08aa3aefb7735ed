package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.drift.FeatureDrift;
import io.retrainer.core.monitoring.QualityReading;
import io.retrainer.core.pipeline.TriggerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The judgements and the words runs record for them. */
class ConditionsTest {
    static final Duration HOUR = Duration.ofHours(1);
    static final TriggerSpec.Performance ACCURACY = new TriggerSpec.Performance("accuracy", 0.85, null, HOUR, 500);

    static Optional<QualityReading> reading(String metric, double value, long labelled) {
        return Optional.of(new QualityReading(metric, value, labelled, Instant.EPOCH, Instant.EPOCH.plus(HOUR)));
    }

    static FeatureDrift numeric(String name, double psi, long count) {
        return new FeatureDrift(name, FeatureDrift.NUMERIC, psi, 0.1, count);
    }

    @Test
    void performanceFiresBelowTheThresholdWithEnoughLabels() {
        Outcome low = Conditions.performance(ACCURACY, reading("accuracy", 0.71, 812), "last 1h");
        assertTrue(low.fire());
        assertEquals("performance: accuracy 0.71 < 0.85 over last 1h (812 labelled predictions)", low.text());

        Outcome fine = Conditions.performance(ACCURACY, reading("accuracy", 0.9134, 812), "last 1h");
        assertFalse(fine.fire());
        assertEquals("accuracy 0.913 ≥ 0.85 over last 1h (812 labelled predictions)", fine.text());

        Outcome few = Conditions.performance(ACCURACY, reading("accuracy", 0.5, 120), "last 1h");
        assertFalse(few.fire(), "120 labels are not enough for min_samples 500");
        assertEquals("accuracy 0.5 over last 1h from only 120 labelled predictions; waiting for 500 (min_samples)", few.text());

        assertFalse(Conditions.performance(ACCURACY, Optional.empty(), "last 1h").fire());
        // Exactly at the threshold is not below it.
        assertFalse(Conditions.performance(ACCURACY, reading("accuracy", 0.85, 900), "last 1h").fire());
    }

    @Test
    void errorMetricsFireAbove() {
        TriggerSpec.Performance rmse = new TriggerSpec.Performance("rmse", null, 2.5, HOUR, 10);
        Outcome high = Conditions.performance(rmse, reading("rmse", 3.25, 40), "last 4m13s, since churn v2 went live");
        assertTrue(high.fire());
        assertEquals("performance: rmse 3.25 > 2.5 over last 4m13s, since churn v2 went live (40 labelled predictions)", high.text());
        assertFalse(Conditions.performance(rmse, reading("rmse", 1.0, 40), "last 1h").fire());
    }

    @Test
    void driftNamesTheDriftedFeaturesOutOfAllInputs() {
        TriggerSpec.Drift d = new TriggerSpec.Drift(0.2, HOUR, 1, List.of(), 100);
        List<FeatureDrift> one = List.of(numeric("f1", 0.34, 1000), numeric("f2", 0.01, 1000), numeric("f3", 0.02, 1000),
                new FeatureDrift("(prediction)", FeatureDrift.PREDICTION, 0.9, null, 1000));
        Outcome o = Conditions.drift(d, one, "last 1h");
        assertTrue(o.fire());
        assertEquals("drift: PSI 0.34 > 0.2 on f1 (1 of 3 features) over last 1h", o.text());

        List<FeatureDrift> two = List.of(numeric("f1", 0.25, 1000), numeric("f2", 0.41, 1000), numeric("f3", 0.02, 1000));
        assertEquals("drift: PSI 0.41 > 0.2 on f2, PSI 0.25 > 0.2 on f1 (2 of 3 features) over last 1h",
                Conditions.drift(d, two, "last 1h").text());

        Outcome calm = Conditions.drift(d, List.of(numeric("f1", 0.05, 1000), numeric("f2", 0.01, 1000)), "last 1h");
        assertFalse(calm.fire());
        assertEquals("PSI above 0.2 on 0 of 2 features, 1 needed; highest 0.05 on f1 over last 1h", calm.text());
    }

    @Test
    void driftHonoursMinFeaturesNamedFeaturesAndMinSamples() {
        List<FeatureDrift> drifts = List.of(numeric("f1", 0.5, 1000), numeric("f2", 0.01, 1000), numeric("f3", 0.6, 50));
        assertFalse(Conditions.drift(new TriggerSpec.Drift(0.2, HOUR, 2, List.of(), 100), drifts, "last 1h").fire(),
                "f3 has too few live values to count, so only one feature drifted");
        assertTrue(Conditions.drift(new TriggerSpec.Drift(0.2, HOUR, 2, List.of(), 10), drifts, "last 1h").fire());

        Outcome named = Conditions.drift(new TriggerSpec.Drift(0.2, HOUR, 1, List.of("f2", "f9"), 100), drifts, "last 1h");
        assertFalse(named.fire(), "f1 drifted but only f2 is watched");
        assertTrue(named.text().endsWith("; no drift figures for f9"), named.text());

        Outcome none = Conditions.drift(new TriggerSpec.Drift(0.2, HOUR, 1, List.of(), 100), List.of(), "last 1h");
        assertFalse(none.fire());
        assertEquals("no drift figures over last 1h (no model live, or no reference profile)", none.text());
        assertFalse(Conditions.drift(new TriggerSpec.Drift(0.2, HOUR, 1, List.of(), 100),
                List.of(new FeatureDrift("f1", FeatureDrift.NUMERIC, Double.NaN, null, 0)), "last 1h").fire());
    }

    @Test
    void dataFiresOnceATokenDiffersFromTheLastOneActedOn() {
        Outcome first = Conditions.data(null, Optional.of("3 rows"));
        assertFalse(first.fire(), "the first look is the baseline");
        assertEquals("3 rows", first.token());
        assertFalse(Conditions.data("3 rows", Optional.of("3 rows")).fire());
        Outcome changed = Conditions.data("3 rows", Optional.of("5 rows"));
        assertTrue(changed.fire());
        assertEquals("data: source changed (token 3 rows → 5 rows)", changed.text());
        assertFalse(Conditions.data("3 rows", Optional.empty()).fire());
    }

    @Test
    void spanSaysWhenTheWindowIsCutToTheLiveModel() {
        assertEquals("last 1h", Conditions.span(HOUR, HOUR, "churn v2"));
        assertEquals("last 4m13s, since churn v2 went live", Conditions.span(HOUR, Duration.ofMillis(253_400), "churn v2"));
        assertEquals("1h30m", TriggerSpec.formatDuration(Duration.ofMinutes(90)));
        assertEquals("7d", TriggerSpec.formatDuration(Duration.ofDays(7)));
        assertEquals("500ms", TriggerSpec.formatDuration(Duration.ofMillis(500)));
    }
}
