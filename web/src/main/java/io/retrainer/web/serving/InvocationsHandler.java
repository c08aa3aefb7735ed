package io.retrainer.web.serving;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Task;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.serving.InferenceResult;
import io.retrainer.core.serving.InferenceService;
import io.retrainer.core.serving.Routed;
import io.retrainer.core.serving.ServingService;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code POST /serving/{endpoint}/invocations}: MLflow-style scoring. Returns
 * {@code {"predictions": [...], "prediction_ids": [...], "model": {...}}}; each id is what
 * feedback refers to later.
 */
public final class InvocationsHandler {
    private final ServingService serving;
    private final InferenceService inference;
    private final PlatformMetrics metrics;

    /** A handler over the serving runtime. */
    public InvocationsHandler(ServingService serving, InferenceService inference, PlatformMetrics metrics) {
        this.serving = serving;
        this.inference = inference;
        this.metrics = metrics;
    }

    /** Handles one request. An {@code X-Request-Key} header makes canary routing sticky for that key. */
    public void handle(RoutingContext ctx) {
        long t0 = System.nanoTime();
        String endpoint = ctx.pathParam("endpoint");
        Optional<Routed> routed = serving.route(endpoint, ctx.request().getHeader("X-Request-Key"));
        if (routed.isEmpty()) {
            if (serving.isKnown(endpoint)) {
                fail(ctx, endpoint, 503, "endpoint '" + endpoint + "' has no model deployed yet; run its pipeline first");
            } else {
                fail(ctx, "(unknown)", 404, "no endpoint called '" + endpoint + "'");
            }
            return;
        }
        Dataset rows;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("empty body: send a JSON object with one of dataframe_split, "
                        + "dataframe_records, instances, inputs");
            }
            rows = new InferenceRequestParser(routed.get().model().ref().inputSchema()).parse(body);
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
        inference.infer(routed.get(), rows, t0).onComplete(ar -> {
            if (ar.failed()) {
                ctx.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("error", "model failed to predict: " + ar.cause().getMessage()).encode());
            } else {
                respond(ctx, ar.result());
            }
        });
    }

    private void respond(RoutingContext ctx, InferenceResult result) {
        JsonArray out = new JsonArray();
        boolean classification = result.model().predictor().task() == Task.CLASSIFICATION;
        for (Prediction p : result.predictions()) {
            if (classification) {
                out.add(new JsonObject().put("label", p.label()).put("probabilities", new JsonObject(
                        new java.util.LinkedHashMap<String, Object>(p.probabilities()))));
            } else {
                out.add(p.value());
            }
        }
        JsonObject body = new JsonObject().put("predictions", out).put("prediction_ids", new JsonArray(result.ids()))
                .put("model", new JsonObject().put("name", result.model().ref().model())
                        .put("version", result.model().ref().version()).put("slot", result.slot()));
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
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
