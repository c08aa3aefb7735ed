package io.retrainer.core.trigger;

import static io.retrainer.core.pipeline.TriggerSpec.formatDuration;
import static io.retrainer.core.pipeline.TriggerSpec.formatNumber;

import io.retrainer.core.drift.FeatureDrift;
import io.retrainer.core.monitoring.QualityReading;
import io.retrainer.core.pipeline.TriggerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The judgement of performance and drift triggers on given readings, and the words for it: pure
 * functions, so the reason texts runs record are tested without a platform.
 */
final class Conditions {
    private static final int MAX_FEATURES_NAMED = 5;

    private Conditions() {
    }

    /**
     * Judges a live quality reading.
     *
     * @param span how the window reads in text: "last 1h", or "last 4m13s, since churn v2 went live"
     */
    static Outcome performance(TriggerSpec.Performance p, Optional<QualityReading> reading, String span) {
        if (reading.isEmpty()) {
            return Outcome.quiet("no labelled predictions over " + span + " yet");
        }
        QualityReading r = reading.get();
        String value = p.metric() + " " + formatNumber(r.value());
        String labelled = r.labelled() + " labelled prediction" + (r.labelled() == 1 ? "" : "s");
        if (r.labelled() < p.minSamples()) {
            return Outcome.quiet(value + " over " + span + " from only " + labelled + "; waiting for " + p.minSamples()
                    + " (min_samples)");
        }
        boolean low = p.below() != null;
        double threshold = low ? p.below() : p.above();
        boolean crossed = low ? r.value() < threshold : r.value() > threshold;
        String op = crossed ? (low ? " < " : " > ") : (low ? " ≥ " : " ≤ ");
        String text = value + op + formatNumber(threshold) + " over " + span + " (" + labelled + ")";
        return crossed ? Outcome.fire("performance: " + text) : Outcome.quiet(text);
    }

    /** Judges per-feature drift over {@code span}. */
    static Outcome drift(TriggerSpec.Drift d, List<FeatureDrift> drifts, String span) {
        List<FeatureDrift> considered = new ArrayList<>();
        for (FeatureDrift f : drifts) {
            boolean named = d.features().contains(f.feature());
            if (named || (d.features().isEmpty() && !FeatureDrift.PREDICTION.equals(f.kind()))) {
                considered.add(f);
            }
        }
        List<String> missing = d.features().stream()
                .filter(name -> considered.stream().noneMatch(f -> f.feature().equals(name))).toList();
        String missingNote = missing.isEmpty() ? "" : "; no drift figures for " + String.join(", ", missing);
        if (considered.isEmpty()) {
            return Outcome.quiet("no drift figures over " + span + " (no model live, or no reference profile)" + missingNote);
        }
        List<FeatureDrift> judged = considered.stream()
                .filter(f -> f.liveCount() >= d.minSamples() && !Double.isNaN(f.psi())).toList();
        if (judged.isEmpty()) {
            long most = considered.stream().mapToLong(FeatureDrift::liveCount).max().orElse(0);
            return Outcome.quiet("too few live inputs over " + span + " to judge drift: " + most + " (min_samples "
                    + d.minSamples() + ")" + missingNote);
        }
        List<FeatureDrift> drifted = judged.stream().filter(f -> f.psi() > d.psiAbove())
                .sorted(Comparator.comparingDouble(FeatureDrift::psi).reversed()).toList();
        String of = " (" + drifted.size() + " of " + considered.size() + " feature" + (considered.size() == 1 ? "" : "s") + ")";
        if (drifted.size() >= d.minFeatures() && !drifted.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (FeatureDrift f : drifted.subList(0, Math.min(MAX_FEATURES_NAMED, drifted.size()))) {
                parts.add("PSI " + formatNumber(f.psi()) + " > " + formatNumber(d.psiAbove()) + " on " + f.feature());
            }
            String more = drifted.size() > MAX_FEATURES_NAMED ? " and " + (drifted.size() - MAX_FEATURES_NAMED) + " more" : "";
            return Outcome.fire("drift: " + String.join(", ", parts) + more + of + " over " + span);
        }
        FeatureDrift top = judged.stream().max(Comparator.comparingDouble(FeatureDrift::psi)).orElseThrow();
        return Outcome.quiet("PSI above " + formatNumber(d.psiAbove()) + " on " + drifted.size() + " of " + considered.size()
                + " features, " + d.minFeatures() + " needed; highest " + formatNumber(top.psi()) + " on " + top.feature()
                + " over " + span + missingNote);
    }

    /** Judges a data source's change token against the one last acted on. */
    static Outcome data(String previous, Optional<String> current) {
        if (current.isEmpty()) {
            return Outcome.quiet("the data source cannot tell when its data changes (it reports no change token)");
        }
        String now = current.get();
        if (previous == null) {
            return new Outcome(false, "watching the source (token " + now + ")", now);
        }
        if (previous.equals(now)) {
            return new Outcome(false, "source unchanged (token " + now + ")", now);
        }
        return new Outcome(true, "data: source changed (token " + previous + " → " + now + ")", now);
    }

    /** "last 1h", or the shorter time since the serving model went live. */
    static String span(Duration window, Duration effective, String liveSince) {
        if (effective.compareTo(window) >= 0 || liveSince == null) {
            return "last " + formatDuration(window);
        }
        return "last " + formatDuration(Duration.ofSeconds(Math.max(1, effective.toSeconds()))) + ", since " + liveSince + " went live";
    }
}
