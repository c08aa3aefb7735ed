package io.retrainer.core.serving;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.core.metrics.PlatformMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers inference requests for every protocol (MLflow-style, Open Inference Protocol): predicts
 * on the routed slot, assigns prediction ids, mirrors to a shadow, keeps the slot statistics the
 * rollout gates read, and tells the prediction listeners. Small batches are predicted on the
 * calling event loop (microseconds for linear and tree models); large ones on a worker thread.
 */
public final class InferenceService {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    /** Batches above this many rows are predicted on a worker thread rather than the event loop. */
    public static final int INLINE_ROWS = 64;

    private final ServingService serving;
    private final PlatformMetrics metrics;
    private final Vertx vertx;

    /** The service over {@code serving}. */
    public InferenceService(ServingService serving, PlatformMetrics metrics, Vertx vertx) {
        this.serving = serving;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /**
     * Predicts {@code rows} (already parsed against {@code routed.model()}'s input schema).
     * Fails (the future) if the model throws; that counts as an error of its slot.
     */
    public Future<InferenceResult> infer(Routed routed, Dataset rows, long startNanos) {
        Instant at = Instant.now();
        Future<List<Prediction>> predicted = rows.rowCount() <= INLINE_ROWS
                ? predictNow(routed.model(), rows)
                : vertx.executeBlocking(() -> routed.model().predictor().predict(rows), false);
        return predicted.map(predictions -> {
            long nanos = System.nanoTime() - startNanos;
            List<String> ids = new ArrayList<>(predictions.size());
            for (int i = 0; i < predictions.size(); i++) {
                ids.add(UUID.randomUUID().toString());
            }
            serving.stats(routed.endpoint(), routed.slot()).success(nanos);
            metrics.predicted(routed.endpoint(), routed.slot(), rows.rowCount(), nanos / 1e9);
            serving.published(new ServedBatch(routed.endpoint(), routed.model(), routed.slot(), false, rows, predictions, ids, at, nanos));
            if (routed.shadow() != null) {
                mirror(routed, rows, ids, at);
            }
            return new InferenceResult(routed.model(), routed.slot(), predictions, ids);
        }).onFailure(e -> {
            serving.stats(routed.endpoint(), routed.slot()).error();
            metrics.predictionFailed(routed.endpoint(), 500);
        });
    }

    private static Future<List<Prediction>> predictNow(ServedModel model, Dataset rows) {
        try {
            return Future.succeededFuture(model.predictor().predict(rows));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The shadow answers off the request path; its errors and latency never reach the client. */
    private void mirror(Routed routed, Dataset rows, List<String> liveIds, Instant at) {
        vertx.executeBlocking(() -> {
            long t0 = System.nanoTime();
            try {
                List<Prediction> out = routed.shadow().predictor().predict(rows);
                long nanos = System.nanoTime() - t0;
                serving.stats(routed.endpoint(), routed.shadowSlot()).success(nanos);
                serving.published(new ServedBatch(routed.endpoint(), routed.shadow(), routed.shadowSlot(), true, rows, out,
                        liveIds, at, nanos));
            } catch (RuntimeException e) {
                serving.stats(routed.endpoint(), routed.shadowSlot()).error();
                LOG.debug("shadow {} failed: {}", routed.shadow().ref(), e.toString());
            }
            return null;
        }, false);
    }
}
