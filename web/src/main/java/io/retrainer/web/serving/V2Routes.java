package io.retrainer.web.serving;

import io.retrainer.api.Column;
import io.retrainer.api.Prediction;
import io.retrainer.api.Task;
import io.retrainer.core.Platform;
import io.retrainer.core.serving.EndpointRouting;
import io.retrainer.core.serving.InferenceResult;
import io.retrainer.core.serving.Routed;
import io.retrainer.core.serving.ServedModel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Open Inference Protocol (KServe V2, REST) under {@code /v2}, on the same serving path as the
 * MLflow-style endpoint: the V2 model name is the endpoint name, its version the registered version
 * number serving there (the stable one, or the canary during a rollout).
 *
 * <ul>
 *   <li>{@code GET /v2}, {@code /v2/health/live}, {@code /v2/health/ready}: server metadata and health</li>
 *   <li>{@code GET /v2/models/{m}[/versions/{v}]}: inputs (one per column: FP64 numeric, INT64
 *       timestamp, BYTES categorical/text, shape {@code [-1]}) and outputs ({@code predict},
 *       {@code probabilities} for classifiers, {@code prediction_ids})</li>
 *   <li>{@code GET /v2/models/{m}[/versions/{v}]/ready}</li>
 *   <li>{@code POST /v2/models/{m}[/versions/{v}]/infer}: see {@link V2RequestParser}; the answer
 *       echoes {@code id}, and carries one prediction id per row for feedback</li>
 * </ul>
 *
 * Errors are {@code {"error": "..."}}: 400 for a bad request (naming the tensor and field), 404
 * for an unknown model or a version not serving, 503 for a known endpoint with no model yet.
 */
public final class V2Routes {
    /** Output name of the predicted label (BYTES) or value (FP64). */
    public static final String PREDICT = "predict";
    /** Output name of the class probabilities, FP64 {@code [rows, classes]}. */
    public static final String PROBABILITIES = "probabilities";
    /** Output name of the prediction ids, BYTES {@code [rows]}: what feedback refers to. */
    public static final String PREDICTION_IDS = "prediction_ids";
    /** Metrics label for requests naming no known endpoint (client-chosen names would grow label sets without bound). */
    static final String UNKNOWN_ENDPOINT = "(unknown)";

    private final Platform platform;
    private final String serverVersion;

    /** Routes over {@code platform}'s serving runtime. */
    public V2Routes(Platform platform) {
        this.platform = platform;
        String v = V2Routes.class.getPackage().getImplementationVersion();
        this.serverVersion = v == null ? "development" : v;
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get("/v2").handler(this::server);
        router.get("/v2/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("live", true)));
        router.get("/v2/health/ready").handler(this::serverReady);
        router.get("/v2/models/:model").handler(this::metadata);
        router.get("/v2/models/:model/versions/:version").handler(this::metadata);
        router.get("/v2/models/:model/ready").handler(this::modelReady);
        router.get("/v2/models/:model/versions/:version/ready").handler(this::modelReady);
        router.post("/v2/models/:model/infer").handler(this::infer);
        router.post("/v2/models/:model/versions/:version/infer").handler(this::infer);
        router.route("/v2/*").handler(ctx -> error(ctx, 404, "no Open Inference Protocol route " + ctx.request().method()
                + " " + ctx.request().path()));
    }

    private void server(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("name", "retrainer").put("version", serverVersion).put("extensions", new JsonArray()));
    }

    private void serverReady(RoutingContext ctx) {
        platform.ready().onComplete(ar -> {
            boolean ok = ar.succeeded() && ar.result();
            json(ctx, ok ? 200 : 503, ok ? new JsonObject().put("ready", true)
                    : new JsonObject().put("ready", false).put("error", "not ready: the database or the plugins are not available"));
        });
    }

    /** The model a request names, or a reason it cannot be served. */
    private record Target(String endpoint, EndpointRouting routing, ServedModel model, String slot, boolean pinned) {
    }

    /** Thrown (and answered) when a request names no servable model. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private Target target(RoutingContext ctx) {
        String endpoint = ctx.pathParam("model");
        EndpointRouting routing = platform.serving().routing(endpoint).orElse(null);
        if (routing == null || routing.stable() == null) {
            if (platform.serving().isKnown(endpoint)) {
                throw new Refused(503, "model '" + endpoint + "' has no version deployed yet; run its pipeline first");
            }
            throw new Refused(404, "no model called '" + endpoint + "'");
        }
        String raw = ctx.pathParam("version");
        if (raw == null) {
            return new Target(endpoint, routing, routing.stable(), routing.stableSlot(), false);
        }
        int version;
        try {
            version = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new Refused(400, "version must be a whole number, got '" + raw + "'");
        }
        if (routing.stable().ref().version() == version) {
            return new Target(endpoint, routing, routing.stable(), routing.stableSlot(), true);
        }
        if (routing.canary() != null && routing.canary().ref().version() == version) {
            return new Target(endpoint, routing, routing.canary(), routing.idleSlot(), true);
        }
        throw new Refused(404, "model '" + endpoint + "' has no version " + version + " serving (serving: "
                + String.join(", ", versions(routing)) + ")");
    }

    private static List<String> versions(EndpointRouting routing) {
        Set<Integer> out = new TreeSet<>();
        out.add(routing.stable().ref().version());
        if (routing.canary() != null) {
            out.add(routing.canary().ref().version());
        }
        return out.stream().map(String::valueOf).toList();
    }

    private void metadata(RoutingContext ctx) {
        Target t;
        try {
            t = target(ctx);
        } catch (Refused r) {
            error(ctx, r.status, r.getMessage());
            return;
        }
        ServedModel m = t.model();
        JsonArray inputs = new JsonArray();
        for (Column c : m.ref().inputSchema().columns()) {
            inputs.add(tensorSpec(c.name(), switch (c.type()) {
                case NUMERIC -> "FP64";
                case TIMESTAMP -> "INT64";
                case CATEGORICAL, TEXT -> "BYTES";
            }, -1));
        }
        boolean classifier = m.predictor().task() == Task.CLASSIFICATION;
        List<String> classes = m.predictor().classes();
        JsonArray outputs = new JsonArray().add(tensorSpec(PREDICT, classifier ? "BYTES" : "FP64", -1));
        if (classifier) {
            outputs.add(tensorSpec(PROBABILITIES, "FP64", -1, classes.size()));
        }
        outputs.add(tensorSpec(PREDICTION_IDS, "BYTES", -1));
        JsonObject parameters = new JsonObject().put("registered_model", m.ref().model()).put("slot", t.slot())
                .put("since", m.since().toString()).put("task", m.predictor().task().name().toLowerCase(java.util.Locale.ROOT));
        if (classifier) {
            parameters.put("classes", new JsonArray(new ArrayList<>(classes)));
        }
        json(ctx, 200, new JsonObject().put("name", t.endpoint())
                .put("versions", new JsonArray(new ArrayList<>(t.pinned() ? List.of(String.valueOf(m.ref().version())) : versions(t.routing()))))
                .put("platform", "retrainer/" + m.ref().format())
                .put("inputs", inputs)
                .put("outputs", outputs)
                .put("parameters", parameters));
    }

    private static JsonObject tensorSpec(String name, String datatype, long... shape) {
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        return new JsonObject().put("name", name).put("datatype", datatype).put("shape", s);
    }

    private void modelReady(RoutingContext ctx) {
        Target t;
        try {
            t = target(ctx);
        } catch (Refused r) {
            ctx.response().setStatusCode(r.status).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("name", ctx.pathParam("model")).put("ready", false).put("error", r.getMessage()).encode());
            return;
        }
        json(ctx, 200, new JsonObject().put("name", t.endpoint()).put("version", String.valueOf(t.model().ref().version()))
                .put("ready", true));
    }

    private void infer(RoutingContext ctx) {
        long t0 = System.nanoTime();
        Target t;
        try {
            t = target(ctx);
        } catch (Refused r) {
            failInference(ctx, platform.serving().isKnown(ctx.pathParam("model")) ? ctx.pathParam("model") : UNKNOWN_ENDPOINT,
                    r.status, r.getMessage());
            return;
        }
        if (ctx.request().getHeader("Inference-Header-Content-Length") != null) {
            failInference(ctx, t.endpoint(), 400, "the binary tensor data extension is not supported; send the tensors as JSON");
            return;
        }
        Routed routed = t.pinned() ? new Routed(t.endpoint(), t.model(), t.slot(), null, null)
                : platform.serving().route(t.endpoint(), ctx.request().getHeader("X-Request-Key")).orElse(null);
        if (routed == null) {
            // The endpoint was undeployed between the two looks.
            failInference(ctx, t.endpoint(), 503, "model '" + t.endpoint() + "' has no version deployed; run its pipeline first");
            return;
        }
        boolean classifier = routed.model().predictor().task() == Task.CLASSIFICATION;
        List<String> outputNames = classifier ? List.of(PREDICT, PROBABILITIES, PREDICTION_IDS) : List.of(PREDICT, PREDICTION_IDS);
        V2RequestParser.Request request;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("empty body: send a JSON object with \"inputs\"");
            }
            request = new V2RequestParser(routed.model().ref().inputSchema(), outputNames).parse(body);
        } catch (DecodeException e) {
            failInference(ctx, t.endpoint(), 400, "body is not valid JSON: " + firstLine(e.getMessage()));
            return;
        } catch (ClassCastException e) {
            failInference(ctx, t.endpoint(), 400, "body must be a JSON object");
            return;
        } catch (IllegalArgumentException e) {
            failInference(ctx, t.endpoint(), 400, e.getMessage());
            return;
        }
        platform.inference().infer(routed, request.rows(), t0).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 500, "model failed to predict: " + ar.cause().getMessage());
            } else {
                json(ctx, 200, response(t.endpoint(), request, ar.result(), classifier));
            }
        });
    }

    private static JsonObject response(String endpoint, V2RequestParser.Request request, InferenceResult result, boolean classifier) {
        List<Prediction> predictions = result.predictions();
        int n = predictions.size();
        Set<String> wanted = request.outputs();
        JsonArray outputs = new JsonArray();
        if (wanted == null || wanted.contains(PREDICT)) {
            JsonArray data = new JsonArray();
            for (Prediction p : predictions) {
                if (classifier) {
                    data.add(p.label());
                } else {
                    data.add(finite(p.value()));
                }
            }
            outputs.add(tensorSpec(PREDICT, classifier ? "BYTES" : "FP64", n).put("data", data));
        }
        List<String> classes = classifier ? classes(result) : List.of();
        if (classifier && (wanted == null || wanted.contains(PROBABILITIES))) {
            JsonArray data = new JsonArray();
            for (Prediction p : predictions) {
                Map<String, Double> probs = p.probabilities();
                for (String c : classes) {
                    data.add(finite(probs.getOrDefault(c, 0.0)));
                }
            }
            outputs.add(tensorSpec(PROBABILITIES, "FP64", n, classes.size()).put("data", data)
                    .put("parameters", new JsonObject().put("classes", new JsonArray(new ArrayList<>(classes)))));
        }
        // Always returned, asked for or not: feedback needs them.
        outputs.add(tensorSpec(PREDICTION_IDS, "BYTES", n).put("data", new JsonArray(new ArrayList<>(result.ids()))));
        JsonObject out = new JsonObject().put("model_name", endpoint)
                .put("model_version", String.valueOf(result.model().ref().version()));
        if (request.id() != null) {
            out.put("id", request.id());
        }
        return out.put("parameters", new JsonObject().put("registered_model", result.model().ref().model()).put("slot", result.slot()))
                .put("outputs", outputs);
    }

    /** The class order of the probabilities tensor: the model's own, else every class any row mentions, sorted. */
    private static List<String> classes(InferenceResult result) {
        List<String> declared = result.model().predictor().classes();
        if (declared != null && !declared.isEmpty()) {
            return declared;
        }
        Set<String> seen = new TreeSet<>();
        result.predictions().forEach(p -> seen.addAll(p.probabilities().keySet()));
        return List.copyOf(seen);
    }

    /** JSON has no NaN or infinity: such values go out as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void failInference(RoutingContext ctx, String endpoint, int status, String message) {
        platform.metrics().predictionFailed(endpoint, status);
        error(ctx, status, message);
    }

    private static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
