package io.retrainer.core.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.Map;

/**
 * The platform's Prometheus metrics. Each platform has its own registry (several can run in one
 * JVM, as in tests); names carry the {@code retrainer_} prefix, base units, {@code _total} on counters.
 */
public final class PlatformMetrics {
    private final CollectorRegistry registry = new CollectorRegistry(true);

    private final Counter runs = Counter.build("retrainer_runs_total", "Pipeline runs finished, by pipeline and final status")
            .labelNames("pipeline", "status").register(registry);
    private final Counter triggers = Counter.build("retrainer_triggers_total", "Runs requested, by pipeline and trigger type")
            .labelNames("pipeline", "trigger").register(registry);
    private final Histogram stageDuration = Histogram.build("retrainer_stage_duration_seconds", "Duration of pipeline stages")
            .labelNames("pipeline", "stage", "plugin", "status")
            .buckets(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600)
            .register(registry);
    private final Gauge modelMetric = Gauge.build("retrainer_model_metric", "Evaluation metrics of registered model versions")
            .labelNames("model", "version", "metric").register(registry);
    private final Counter predictions = Counter.build("retrainer_predictions_total", "Rows predicted, by endpoint and slot")
            .labelNames("endpoint", "slot").register(registry);
    private final Counter predictionErrors = Counter.build("retrainer_prediction_errors_total",
                    "Inference requests that failed, by endpoint and HTTP status")
            .labelNames("endpoint", "status").register(registry);
    private final Histogram predictionLatency = Histogram.build("retrainer_prediction_latency_seconds",
                    "Time to answer an inference request, by endpoint and slot")
            .labelNames("endpoint", "slot")
            .buckets(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
            .register(registry);
    private final Gauge pluginsLoaded = Gauge.build("retrainer_plugins", "Plugins by state")
            .labelNames("state").register(registry);

    /** Creates the metrics and registers the JVM (hotspot) collectors in the same registry. */
    public PlatformMetrics() {
        DefaultExports.register(registry);
    }

    /** The registry to expose on {@code /metrics}. */
    public CollectorRegistry registry() {
        return registry;
    }

    /** A run was requested. */
    public void triggered(String pipeline, String trigger) {
        triggers.labels(pipeline, trigger).inc();
    }

    /** A run finished with {@code status}. */
    public void runFinished(String pipeline, String status) {
        runs.labels(pipeline, status).inc();
    }

    /** A stage finished. */
    public void stageFinished(String pipeline, String stage, String plugin, String status, double seconds) {
        stageDuration.labels(pipeline, stage, plugin == null ? "" : plugin, status).observe(seconds);
    }

    /** Publishes a version's scalar metrics. */
    public void modelMetrics(String model, int version, Map<String, Double> values) {
        values.forEach((name, value) -> {
            if (value != null && !value.isNaN()) {
                modelMetric.labels(model, Integer.toString(version), name).set(value);
            }
        });
    }

    /** Rows predicted at an endpoint's slot, with the request's latency. */
    public void predicted(String endpoint, String slot, int rows, double seconds) {
        predictions.labels(endpoint, slot).inc(rows);
        predictionLatency.labels(endpoint, slot).observe(seconds);
    }

    /**
     * An inference request failed. Pass {@code (unknown)} rather than a client-supplied name for
     * endpoints that do not exist, so clients cannot create unbounded label values.
     */
    public void predictionFailed(String endpoint, int status) {
        predictionErrors.labels(endpoint, Integer.toString(status)).inc();
    }

    /** Plugin counts by state. */
    public void plugins(long started, long refused) {
        pluginsLoaded.labels("started").set(started);
        pluginsLoaded.labels("refused").set(refused);
    }
}
