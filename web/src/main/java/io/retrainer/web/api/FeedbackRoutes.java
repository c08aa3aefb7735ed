package io.retrainer.web.api;

import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.Platform;
import io.retrainer.core.monitoring.FeedbackEvent;
import io.retrainer.core.monitoring.FeedbackHistory;
import io.retrainer.core.monitoring.FeedbackItem;
import io.retrainer.core.monitoring.FeedbackOutcome;
import io.retrainer.core.monitoring.FeedbackService;
import io.retrainer.core.monitoring.LiveQuality;
import io.retrainer.core.monitoring.PredictionLog;
import io.retrainer.core.monitoring.QualityReading;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Monitoring under {@code /api}: ground-truth feedback ({@code POST /api/feedback} with one
 * {@code {"prediction_id": ..., "label": ...}} object, or {@code "value"} for regression, or an
 * array of them; {@code GET /api/feedback/{prediction_id}} for its history), each endpoint's
 * prediction log sampling rate ({@code GET|PUT /api/endpoints/{endpoint}/prediction-log}), and
 * live quality ({@code GET /api/endpoints/{endpoint}/quality?window=1h}).
 */
public final class FeedbackRoutes {
    private static final Set<String> ITEM_FIELDS = Set.of("prediction_id", "label", "value");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private final Platform platform;

    /** Routes over {@code platform}. */
    public FeedbackRoutes(Platform platform) {
        this.platform = platform;
    }

    /** Registers the routes; the router must already parse bodies. */
    public void mount(Router router) {
        router.post("/api/feedback").handler(this::feedback);
        router.get("/api/feedback/:id").handler(this::history);
        router.get("/api/endpoints/:endpoint/prediction-log").handler(this::logSettings);
        router.put("/api/endpoints/:endpoint/prediction-log").handler(this::setSampleRate);
        router.get("/api/endpoints/:endpoint/quality").handler(this::quality);
    }

    private void feedback(RoutingContext ctx) {
        Object body;
        try {
            String text = ctx.body().asString();
            if (text == null || text.isBlank()) {
                throw new ApiErrors.BadRequest("empty body: send {\"prediction_id\": ..., \"label\": ...} or an array of them");
            }
            body = Json.decodeValue(text);
        } catch (DecodeException e) {
            ApiErrors.send(ctx, 400, "body is not valid JSON: " + e.getMessage());
            return;
        } catch (ApiErrors.BadRequest e) {
            ApiErrors.respond(ctx, e);
            return;
        }
        boolean single = body instanceof JsonObject;
        if (!single && !(body instanceof JsonArray)) {
            ApiErrors.send(ctx, 400, "body must be a feedback object or an array of them, got " + describe(body));
            return;
        }
        JsonArray array = single ? new JsonArray().add(body) : (JsonArray) body;
        List<String> problems = new ArrayList<>();
        List<FeedbackItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            int before = problems.size();
            FeedbackItem item = item(i, array.getValue(i), problems);
            if (problems.size() == before) {
                // Well-typed: check presence and the id's form too, so one response names every bad item.
                problems.addAll(FeedbackService.problems(i, item));
            }
            items.add(item);
        }
        Future<FeedbackOutcome> outcome = problems.isEmpty() ? platform.monitoring().feedback().submit(items)
                : Future.failedFuture(new InvalidInputException(problems));
        outcome.onComplete(ar -> {
            if (ar.succeeded()) {
                FeedbackOutcome o = ar.result();
                send(ctx, 200, new JsonObject().put("accepted", o.accepted()).put("unchanged", o.unchanged())
                        .put("corrected", o.corrected()).put("unknown", new JsonArray(o.unknown())));
            } else if (single && ar.cause() instanceof InvalidInputException invalid) {
                // One object sent, not an array: name its fields without the "[0]" an array would need.
                List<String> plain = invalid.problems().stream().map(p -> p.replaceFirst("^\\[0]\\.", "").replaceFirst("^\\[0]: ", ""))
                        .toList();
                ApiErrors.respond(ctx, new InvalidInputException(plain));
            } else {
                ApiErrors.respond(ctx, ar.cause());
            }
        });
    }

    /** Reads one item; type problems are added as {@code [i].field: ...}, presence and ids are checked by the service. */
    private static FeedbackItem item(int i, Object raw, List<String> problems) {
        if (!(raw instanceof JsonObject o)) {
            problems.add("[" + i + "]: expected an object with prediction_id and label or value, got " + describe(raw));
            return null;
        }
        for (String field : o.fieldNames()) {
            if (!ITEM_FIELDS.contains(field)) {
                problems.add("[" + i + "]." + field + ": unknown field (known: label, prediction_id, value)");
            }
        }
        String id = null;
        Object rawId = o.getValue("prediction_id");
        if (rawId instanceof String s) {
            id = s;
        } else if (rawId != null) {
            problems.add("[" + i + "].prediction_id: expected a string, got " + describe(rawId));
        }
        String label = null;
        Double value = null;
        Object rawLabel = o.getValue("label");
        if (rawLabel instanceof String s) {
            label = s;
        } else if (rawLabel instanceof Number n) {
            // A numeric class (0/1) or a regression target sent as "label": the service decides by the prediction's task.
            value = n.doubleValue();
        } else if (rawLabel != null) {
            problems.add("[" + i + "].label: expected a string, got " + describe(rawLabel));
        }
        Object rawValue = o.getValue("value");
        if (rawValue instanceof Number n) {
            if (value != null) {
                problems.add("[" + i + "]: give either \"label\" or \"value\", not both");
            }
            value = n.doubleValue();
        } else if (rawValue != null) {
            problems.add("[" + i + "].value: expected a number, got " + describe(rawValue));
        }
        return new FeedbackItem(id, label, value);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return v.toString();
    }

    private void history(RoutingContext ctx) {
        platform.monitoring().feedback().history(ctx.pathParam("id")).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
                return;
            }
            FeedbackHistory h = ar.result();
            JsonArray events = new JsonArray();
            for (FeedbackEvent e : h.events()) {
                events.add(new JsonObject().put("kind", e.kind()).put("label", e.label()).put("value", e.value())
                        .put("previous_label", e.previousLabel()).put("previous_value", e.previousValue())
                        .put("at", e.at().toString()));
            }
            send(ctx, 200, new JsonObject().put("prediction_id", h.predictionId()).put("endpoint", h.endpoint())
                    .put("label", h.label()).put("value", h.value()).put("corrections", h.corrections()).put("history", events));
        });
    }

    private boolean knownEndpoint(RoutingContext ctx, String endpoint) {
        if (!platform.serving().isKnown(endpoint)) {
            ApiErrors.respond(ctx, new NotFoundException("no endpoint called '" + endpoint + "'"));
            return false;
        }
        return true;
    }

    private void logSettings(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (knownEndpoint(ctx, endpoint)) {
            send(ctx, 200, logJson(endpoint));
        }
    }

    private JsonObject logJson(String endpoint) {
        PredictionLog log = platform.monitoring().predictionLog();
        return new JsonObject().put("endpoint", endpoint).put("sample_rate", log.sampleRate(endpoint))
                .put("retention_seconds", platform.monitoring().retention().keep().toSeconds());
    }

    private void setSampleRate(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (!knownEndpoint(ctx, endpoint)) {
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        Object rate = body == null ? null : body.getValue("sample_rate");
        if (!(rate instanceof Number n)) {
            ApiErrors.send(ctx, 400, "body must be {\"sample_rate\": <number from 0 to 1>}, got sample_rate "
                    + (body == null ? "missing (body is not a JSON object)" : describe(rate)));
            return;
        }
        double r = n.doubleValue();
        if (!(r >= 0 && r <= 1)) {
            ApiErrors.send(ctx, 400, "sample_rate: must be between 0 and 1, got " + n);
            return;
        }
        platform.monitoring().predictionLog().setSampleRate(endpoint, r).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                send(ctx, 200, logJson(endpoint));
            }
        });
    }

    private void quality(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (!knownEndpoint(ctx, endpoint)) {
            return;
        }
        Duration window;
        try {
            window = duration(ctx.queryParams().get("window"), Duration.ofHours(1));
        } catch (ApiErrors.BadRequest e) {
            ApiErrors.respond(ctx, e);
            return;
        }
        LiveQuality quality = platform.liveQuality();
        List<Future<Optional<QualityReading>>> readings = new ArrayList<>();
        for (String metric : LiveQuality.METRICS) {
            readings.add(quality.read(endpoint, metric, window));
        }
        Future.all(readings).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
                return;
            }
            JsonObject metrics = new JsonObject();
            for (int i = 0; i < readings.size(); i++) {
                readings.get(i).result().ifPresent(r -> metrics.put(r.metric(),
                        new JsonObject().put("value", r.value()).put("labelled", r.labelled())));
            }
            send(ctx, 200, new JsonObject().put("endpoint", endpoint).put("window_seconds", window.toSeconds())
                    .put("metrics", metrics));
        });
    }

    /** {@code 15s}, {@code 30m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}); {@code fallback} when absent. */
    static Duration duration(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text.trim());
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiErrors.BadRequest("window: expected a duration like 15m, 1h or 7d, got \"" + text + "\"");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new ApiErrors.BadRequest("window: must be positive, got \"" + text + "\"");
        }
        return d;
    }

    private static void send(RoutingContext ctx, int status, JsonObject json) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.encode());
    }
}
