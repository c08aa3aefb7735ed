package io.retrainer.web.serving;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Task;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.serving.ServedModel;
import io.retrainer.core.serving.ServingService;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /serving/{endpoint}/invocations}: MLflow-style scoring. Returns
 * {@code {"predictions": [...], "prediction_ids": [...], "model": {...}}}; each id is what
 * feedback refers to later.
 */
public final class InvocationsHandler {
    /** Batches above this many rows are predicted on a worker thread rather than the event loop. */
    static final int INLINE_ROWS = 64;

    private final ServingService serving;
    private final PlatformMetrics metrics;
    private final Vertx vertx;

    /** A handler over the serving runtime. */
    public InvocationsHandler(ServingService serving, PlatformMetrics metrics, Vertx vertx) {
        this.serving = serving;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** Handles one request. */
    public void handle(RoutingContext ctx) {
        long t0 = System.nanoTime();
        String endpoint = ctx.pathParam("endpoint");
        Optional<ServedModel> served = serving.served(endpoint);
        if (served.isEmpty()) {
            if (serving.isKnown(endpoint)) {
                fail(ctx, endpoint, 503, "endpoint '" + endpoint + "' has no model deployed yet; run its pipeline first");
            } else {
                fail(ctx, endpoint, 404, "no endpoint called '" + endpoint + "'");
            }
            return;
        }
        ServedModel model = served.get();
        Dataset rows;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("empty body: send a JSON object with one of dataframe_split, "
                        + "dataframe_records, instances, inputs");
            }
            rows = new InferenceRequestParser(model.ref().inputSchema()).parse(body);
        } catch (DecodeException e) {
            fail(ctx, endpoint, 400, "body is not valid JSON: " + firstLine(e.getMessage()));
            return;
        } catch (ClassCastException e) {
            fail(ctx, endpoint, 400, "body must be a JSON object");
            return;
        } catch (IllegalArgumentException e) {
            fail(ctx, endpoint, 400, e.getMessage());
            return;
        }
        if (rows.rowCount() <= INLINE_ROWS) {
            respond(ctx, endpoint, model, rows, model.predictor().predict(rows), t0);
        } else {
            vertx.executeBlocking(() -> model.predictor().predict(rows), false).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ctx, endpoint, 500, "model failed to predict: " + ar.cause().getMessage());
                } else {
                    respond(ctx, endpoint, model, rows, ar.result(), t0);
                }
            });
        }
    }

    private void respond(RoutingContext ctx, String endpoint, ServedModel model, Dataset rows, List<Prediction> predictions,
                         long t0) {
        JsonArray out = new JsonArray();
        JsonArray ids = new JsonArray();
        boolean classification = model.predictor().task() == Task.CLASSIFICATION;
        for (Prediction p : predictions) {
            if (classification) {
                out.add(new JsonObject().put("label", p.label()).put("probabilities", new JsonObject(
                        new java.util.LinkedHashMap<String, Object>(p.probabilities()))));
            } else {
                out.add(p.value());
            }
            ids.add(UUID.randomUUID().toString());
        }
        JsonObject body = new JsonObject().put("predictions", out).put("prediction_ids", ids)
                .put("model", new JsonObject().put("name", model.ref().model()).put("version", model.ref().version()));
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
        metrics.predicted(endpoint, rows.rowCount(), (System.nanoTime() - t0) / 1e9);
    }

    private void fail(RoutingContext ctx, String endpoint, int status, String message) {
        metrics.predictionFailed(endpoint, status);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
