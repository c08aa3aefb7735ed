package io.retrainer.core.monitoring;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/**
 * Prometheus metrics of the monitoring package, registered in the platform's own registry:
 * the prediction log's queue, writes and drops, feedback outcomes, and live quality.
 */
public final class MonitoringMetrics {
    final Counter dropped;
    final Counter written;
    final Counter writeFailed;
    final Gauge queueDepth;
    final Counter feedback;
    final Gauge liveQuality;
    final Gauge liveLabelled;

    /** Creates the metrics in {@code registry}. */
    public MonitoringMetrics(CollectorRegistry registry) {
        dropped = Counter.build("retrainer_prediction_log_dropped_total",
                        "Predictions not logged because the prediction log queue was full, by endpoint")
                .labelNames("endpoint").register(registry);
        written = Counter.build("retrainer_prediction_log_written_total", "Predictions written to the prediction log, by endpoint")
                .labelNames("endpoint").register(registry);
        writeFailed = Counter.build("retrainer_prediction_log_write_failed_total",
                        "Predictions lost because the database refused their batch, by endpoint")
                .labelNames("endpoint").register(registry);
        queueDepth = Gauge.build("retrainer_prediction_log_queue_depth", "Predictions waiting to be written to the prediction log")
                .register(registry);
        feedback = Counter.build("retrainer_feedback_total",
                        "Feedback items received, by endpoint and outcome (accepted, unchanged, corrected, unknown)")
                .labelNames("endpoint", "outcome").register(registry);
        liveQuality = Gauge.build("retrainer_live_quality",
                        "Live model quality from fed-back labels over the monitoring window, by endpoint, version, slot and metric")
                .labelNames("endpoint", "model", "version", "slot", "metric").register(registry);
        liveLabelled = Gauge.build("retrainer_live_labelled",
                        "Labelled predictions behind retrainer_live_quality, by endpoint, version and slot")
                .labelNames("endpoint", "model", "version", "slot").register(registry);
    }
}
