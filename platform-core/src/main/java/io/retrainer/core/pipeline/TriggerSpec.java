package io.retrainer.core.pipeline;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trigger of a pipeline: what makes it fire ({@link Condition}) and the policy around firing.
 *
 * @param key a stable key for its state row, e.g. {@code schedule:0 3 * * MON@UTC} or
 *            {@code performance:accuracy<@1h}; the same trigger keeps its key across revisions
 *            when only its threshold, cooldown or policy change, so a cooldown survives a re-save
 * @param condition when it fires
 * @param cooldown least time between two firings (zero: none)
 * @param skipWhileRunning whether a firing is skipped while a run of the pipeline is queued or running
 */
public record TriggerSpec(String key, Condition condition, Duration cooldown, boolean skipWhileRunning) {

    /** What makes a trigger fire. */
    public sealed interface Condition permits Schedule, Performance, Drift, Data {
        /** {@code schedule}, {@code performance}, {@code drift} or {@code data}: also the run's trigger type. */
        String kind();

        /** The settings as written (durations as text), for the API and console. */
        Map<String, Object> settings();
    }

    /**
     * Fires at the times of a cron expression.
     *
     * @param cron a five-field Unix cron expression
     * @param timeZone the zone the expression is read in
     */
    public record Schedule(String cron, ZoneId timeZone) implements Condition {
        @Override
        public String kind() {
            return "schedule";
        }

        @Override
        public Map<String, Object> settings() {
            return ordered("cron", cron, "timezone", timeZone.getId());
        }
    }

    /**
     * Fires when a live quality metric of the pipeline's endpoint crosses a threshold.
     *
     * @param metric the metric, e.g. {@code accuracy} or {@code rmse}
     * @param below fire when the metric is below this (higher-is-better metrics), or {@code null}
     * @param above fire when the metric is above this (error metrics), or {@code null}
     * @param window how far back labelled predictions count
     * @param minSamples least number of labelled predictions in the window before the metric is trusted
     */
    public record Performance(String metric, Double below, Double above, Duration window, long minSamples) implements Condition {
        @Override
        public String kind() {
            return "performance";
        }

        @Override
        public Map<String, Object> settings() {
            return ordered("metric", metric, below != null ? "below" : "above", below != null ? below : above,
                    "window", formatDuration(window), "min_samples", minSamples);
        }
    }

    /**
     * Fires when live inputs drift from the training data.
     *
     * @param psiAbove fire when a feature's PSI is above this
     * @param window how far back live inputs count
     * @param minFeatures how many features must drift at once
     * @param features only these features count; empty: every input feature
     * @param minSamples a feature with fewer live values in the window is not judged
     */
    public record Drift(double psiAbove, Duration window, int minFeatures, List<String> features, long minSamples)
            implements Condition {
        /** Copies the feature list. */
        public Drift {
            features = List.copyOf(features);
        }

        @Override
        public String kind() {
            return "drift";
        }

        @Override
        public Map<String, Object> settings() {
            Map<String, Object> m = ordered("psi_above", psiAbove, "window", formatDuration(window), "min_features", minFeatures);
            if (!features.isEmpty()) {
                m.put("features", features);
            }
            m.put("min_samples", minSamples);
            return m;
        }
    }

    /**
     * Fires when the pipeline's data source reports a new change token.
     *
     * @param every how often the source is asked
     */
    public record Data(Duration every) implements Condition {
        @Override
        public String kind() {
            return "data";
        }

        @Override
        public Map<String, Object> settings() {
            return ordered("every", formatDuration(every));
        }
    }

    /** A schedule with no cooldown that skips while a run is queued or running. */
    public TriggerSpec(String key, String cron, ZoneId timeZone) {
        this(key, new Schedule(cron, timeZone), Duration.ZERO, true);
    }

    /** {@code schedule}, {@code performance}, {@code drift} or {@code data}. */
    public String kind() {
        return condition.kind();
    }

    /** The cron expression of a schedule; fails for other kinds. */
    public String cron() {
        return schedule().cron();
    }

    /** The time zone of a schedule; fails for other kinds. */
    public ZoneId timeZone() {
        return schedule().timeZone();
    }

    private Schedule schedule() {
        if (condition instanceof Schedule s) {
            return s;
        }
        throw new IllegalStateException("trigger " + key + " is a " + kind() + " trigger, not a schedule");
    }

    /** Every setting including the policy, as the API shows them. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>(condition.settings());
        m.put("cooldown", formatDuration(cooldown));
        m.put("skip_while_running", skipWhileRunning);
        return m;
    }

    /** A short description, e.g. "schedule 0 3 * * MON (Europe/Berlin)" or "performance accuracy below 0.85 over 1h". */
    public String describe() {
        if (condition instanceof Schedule s) {
            return "schedule " + s.cron() + " (" + s.timeZone().getId() + ")";
        }
        if (condition instanceof Performance p) {
            return "performance " + p.metric() + (p.below() != null ? " below " + formatNumber(p.below())
                    : " above " + formatNumber(p.above())) + " over " + formatDuration(p.window());
        }
        if (condition instanceof Drift d) {
            return "drift PSI above " + formatNumber(d.psiAbove()) + " on "
                    + (d.features().isEmpty() ? "at least " + d.minFeatures() + " feature" + (d.minFeatures() == 1 ? "" : "s")
                    : String.join(", ", d.features())) + " over " + formatDuration(d.window());
        }
        return "data: source change token, checked every " + formatDuration(((Data) condition).every());
    }

    /** A duration as written in pipelines: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 7d}. */
    public static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    /** A metric value or threshold for messages: at most three decimals, no trailing zeros (0.71, 0.849, 12). */
    public static String formatNumber(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
