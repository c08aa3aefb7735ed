package io.retrainer.web.api;

import io.retrainer.core.Platform;
import io.retrainer.core.pipeline.PipelineParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** The JSON REST API under {@code /api}: pipelines, runs, models and versions, plugins, endpoints. */
public final class ApiRoutes {
    private static final int DEFAULT_LIMIT = 50;

    private final Platform platform;
    private final Vertx vertx;

    /** Routes over {@code platform}. */
    public ApiRoutes(Platform platform, Vertx vertx) {
        this.platform = platform;
        this.vertx = vertx;
    }

    /** Registers the routes; the router must already parse bodies. */
    public void mount(Router router) {
        router.get("/api/pipelines").handler(this::listPipelines);
        router.post("/api/pipelines").handler(this::savePipeline);
        router.get("/api/pipelines/:name").handler(this::getPipeline);
        router.get("/api/pipelines/:name/export").handler(this::exportPipeline);
        router.get("/api/pipelines/:name/revisions").handler(this::listRevisions);
        router.get("/api/pipelines/:name/revisions/:revision").handler(this::getRevision);
        router.post("/api/pipelines/:name/runs").handler(this::triggerRun);
        router.get("/api/pipelines/:name/runs").handler(ctx -> listRuns(ctx, ctx.pathParam("name")));
        router.get("/api/runs").handler(ctx -> listRuns(ctx, ctx.queryParams().get("pipeline")));
        router.get("/api/runs/:id").handler(this::getRun);
        router.post("/api/runs/:id/cancel").handler(this::cancelRun);
        router.get("/api/models").handler(this::listModels);
        router.get("/api/models/:name/versions").handler(this::listVersions);
        router.get("/api/models/:name/versions/:version").handler(this::getVersion);
        router.post("/api/models/:name/versions/:version/promote").handler(this::promote);
        router.get("/api/endpoints").handler(this::listEndpoints);
        router.route("/api/*").last().handler(ctx -> ApiErrors.send(ctx, 404, "no API route " + ctx.request().method()
                + " " + ctx.request().path()));
    }

    private void listPipelines(RoutingContext ctx) {
        reply(ctx, 200, platform.pipelines().list(), list -> array(list, JsonViews::pipeline));
    }

    private void savePipeline(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        PipelineParser.Format format;
        try {
            format = formatOf(type);
        } catch (ApiErrors.BadRequest e) {
            ApiErrors.send(ctx, 415, e.getMessage());
            return;
        }
        String body = ctx.body().asString();
        if (body == null || body.isBlank()) {
            ApiErrors.send(ctx, 400, "empty body: send the pipeline definition as " + format.name());
            return;
        }
        platform.pipelines().saveRevision(body, format).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                send(ctx, ar.result().newRevision() ? 201 : 200, JsonViews.pipeline(ar.result().pipeline()));
            }
        });
    }

    static PipelineParser.Format formatOf(String contentType) {
        String t = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        return switch (t) {
            case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> PipelineParser.Format.YAML;
            case "application/json" -> PipelineParser.Format.JSON;
            default -> throw new ApiErrors.BadRequest("Content-Type must be application/yaml or application/json, got '"
                    + (t.isEmpty() ? "none" : t) + "'");
        };
    }

    private void getPipeline(RoutingContext ctx) {
        reply(ctx, 200, platform.pipelines().get(ctx.pathParam("name")), JsonViews::pipeline);
    }

    private void exportPipeline(RoutingContext ctx) {
        platform.pipelines().get(ctx.pathParam("name")).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
                return;
            }
            boolean json = ar.result().format() == PipelineParser.Format.JSON;
            ctx.response().putHeader("Content-Type", json ? "application/json" : "application/yaml")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + ar.result().name() + (json ? ".json" : ".yaml") + "\"")
                    .end(ar.result().source());
        });
    }

    private void listRevisions(RoutingContext ctx) {
        reply(ctx, 200, platform.pipelines().revisions(ctx.pathParam("name")), list -> array(list, JsonViews::pipeline));
    }

    private void getRevision(RoutingContext ctx) {
        int revision = intParam(ctx, "revision");
        reply(ctx, 200, platform.pipelines().get(ctx.pathParam("name"), revision), JsonViews::pipeline);
    }

    private void triggerRun(RoutingContext ctx) {
        String reason = "requested through the API";
        JsonObject body = ctx.body().length() > 0 ? safeJson(ctx) : null;
        if (body != null && body.getString("reason") != null) {
            reason = body.getString("reason");
        }
        reply(ctx, 202, platform.runs().trigger(ctx.pathParam("name"), "api", reason),
                id -> new JsonObject().put("id", id).put("status", "queued"));
    }

    private void listRuns(RoutingContext ctx, String pipeline) {
        int limit = ctx.queryParams().contains("limit") ? intQuery(ctx, "limit") : DEFAULT_LIMIT;
        reply(ctx, 200, platform.runs().list(pipeline, Math.min(limit, 1000)), list -> array(list, JsonViews::run));
    }

    private void getRun(RoutingContext ctx) {
        reply(ctx, 200, platform.runs().get(longParam(ctx, "id")), JsonViews::run);
    }

    private void cancelRun(RoutingContext ctx) {
        reply(ctx, 202, platform.runs().cancel(longParam(ctx, "id")), JsonViews::run);
    }

    private void listModels(RoutingContext ctx) {
        reply(ctx, 200, platform.registry().models(), list -> array(list, JsonViews::model));
    }

    private void listVersions(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        platform.registry().versions(name).onComplete(ar -> {
            if (ar.succeeded() && ar.result().isEmpty()) {
                ApiErrors.send(ctx, 404, "no model called '" + name + "'");
            } else if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                platform.aliases().aliases(name).onComplete(aliases -> {
                    java.util.Map<String, Integer> byAlias = aliases.succeeded() ? aliases.result() : java.util.Map.of();
                    send(ctx, 200, array(ar.result(), v -> withAliases(JsonViews.version(v), byAlias, v.version())));
                });
            }
        });
    }

    private void getVersion(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        int version = intParam(ctx, "version");
        reply(ctx, 200, platform.registry().version(name, version).compose(v -> platform.aliases().aliases(name)
                .map(aliases -> withAliases(JsonViews.version(v), aliases, version))), json -> json);
    }

    private void promote(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        int version = intParam(ctx, "version");
        // Promotion loads the model and calls the deployer plugin: blocking work, off the event loop.
        reply(ctx, 200, vertx.executeBlocking(() -> platform.promotion().promote(name, version), false), JsonViews::version);
    }

    private void listEndpoints(RoutingContext ctx) {
        send(ctx, 200, array(platform.serving().endpoints(), JsonViews::endpoint));
    }

    private static JsonObject withAliases(JsonObject version, java.util.Map<String, Integer> aliases, int number) {
        JsonArray names = new JsonArray();
        aliases.forEach((alias, v) -> {
            if (v == number) {
                names.add(alias);
            }
        });
        return version.put("aliases", names);
    }

    private static <T> void reply(RoutingContext ctx, int status, Future<T> future, Function<T, Object> render) {
        future.onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                send(ctx, status, render.apply(ar.result()));
            }
        });
    }

    private static void send(RoutingContext ctx, int status, Object json) {
        String body = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static <T> JsonArray array(java.util.List<T> list, Function<T, JsonObject> f) {
        JsonArray a = new JsonArray();
        list.forEach(x -> a.add(f.apply(x)));
        return a;
    }

    private static JsonObject safeJson(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw new ApiErrors.BadRequest("body must be a JSON object: " + e.getMessage());
        }
    }

    private static int intParam(RoutingContext ctx, String name) {
        return (int) parse(ctx.pathParam(name), name);
    }

    private static long longParam(RoutingContext ctx, String name) {
        return parse(ctx.pathParam(name), name);
    }

    private static int intQuery(RoutingContext ctx, String name) {
        return (int) parse(ctx.queryParams().get(name), name);
    }

    private static long parse(String value, String name) {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiErrors.BadRequest(name + " must be a non-negative whole number, got '" + value + "'");
        }
    }
}
