package io.retrainer.web.api;

import io.retrainer.core.Platform;
import io.retrainer.core.serving.RolloutController;
import io.retrainer.core.serving.RolloutStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Deployments beyond a pipeline run: rollouts under {@code /api/endpoints/{endpoint}/rollout}
 * (status, and the operator's {@code promote} — all traffic to the new version now — {@code
 * pause}, {@code resume} and {@code abort}); model aliases under
 * {@code /api/models/{name}/aliases}; and endpoints following an alias
 * ({@code PUT /api/endpoints/{endpoint}/follow}), which redeploy through the same blue-green
 * path whenever the alias moves.
 */
public final class DeploymentRoutes {
    private final Platform platform;
    private final io.vertx.core.Vertx vertx;

    /** Routes over {@code platform}. */
    public DeploymentRoutes(Platform platform, io.vertx.core.Vertx vertx) {
        this.platform = platform;
        this.vertx = vertx;
    }

    /** Registers the routes. */
    public void mount(Router router) {
        router.get("/api/endpoints/:endpoint/rollout").handler(this::status);
        router.post("/api/endpoints/:endpoint/rollout/:command").handler(this::command);
        router.get("/api/models/:name/aliases").handler(this::aliases);
        router.put("/api/models/:name/aliases/:alias").handler(this::moveAlias);
        router.delete("/api/models/:name/aliases/:alias").handler(this::deleteAlias);
        router.put("/api/endpoints/:endpoint/follow").handler(this::follow);
        router.delete("/api/endpoints/:endpoint/follow").handler(this::unfollow);
    }

    private void aliases(RoutingContext ctx) {
        platform.aliases().aliases(ctx.pathParam("name")).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                send(ctx, 200, new JsonObject(new java.util.LinkedHashMap<>(ar.result())));
            }
        });
    }

    private void moveAlias(RoutingContext ctx) {
        String model = ctx.pathParam("name");
        String alias = ctx.pathParam("alias");
        Integer version = body(ctx).getInteger("version");
        if (version == null) {
            ApiErrors.send(ctx, 400, "body must be {\"version\": <number>}");
            return;
        }
        platform.aliases().move(model, alias, version)
                .compose(v -> platform.serving().followers(model, alias))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ApiErrors.respond(ctx, ar.cause());
                    } else {
                        send(ctx, 200, new JsonObject().put("model", model).put("alias", alias).put("version", version)
                                .put("redeploying", new JsonArray(ar.result())));
                    }
                });
    }

    private void deleteAlias(RoutingContext ctx) {
        platform.aliases().delete(ctx.pathParam("name"), ctx.pathParam("alias")).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    private void follow(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        JsonObject body = body(ctx);
        String model = body.getString("model");
        String alias = body.getString("alias");
        if (model == null || alias == null) {
            ApiErrors.send(ctx, 400, "body must be {\"model\": <name>, \"alias\": <alias>}");
            return;
        }
        platform.aliases().resolve(model, alias).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
                return;
            }
            int version = ar.result();
            // Following may roll a version out step by step: blocking, and possibly long, so it is
            // started on a worker and the request answers at once.
            vertx.executeBlocking(() -> {
                platform.serving().follow(endpoint, model, alias, version);
                return null;
            }, false);
            send(ctx, 202, new JsonObject().put("endpoint", endpoint).put("model", model).put("alias", alias)
                    .put("version", version));
        });
    }

    private void unfollow(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            platform.serving().unfollow(ctx.pathParam("endpoint"));
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    private static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject b = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
            return b == null ? new JsonObject() : b;
        } catch (RuntimeException e) {
            throw new ApiErrors.BadRequest("body must be a JSON object: " + e.getMessage());
        }
    }

    private void status(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (!platform.serving().isKnown(endpoint)) {
            ApiErrors.send(ctx, 404, "no endpoint called '" + endpoint + "'");
            return;
        }
        platform.rollouts().status(endpoint).ifPresentOrElse(s -> send(ctx, 200, json(s)),
                () -> ApiErrors.send(ctx, 404, "endpoint '" + endpoint + "' has had no rollout since the platform started"));
    }

    private void command(RoutingContext ctx) {
        String name = ctx.pathParam("command");
        RolloutController.Command command;
        try {
            command = RolloutController.Command.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            ApiErrors.send(ctx, 400, "unknown rollout command '" + name + "' (use promote, pause, resume or abort)");
            return;
        }
        try {
            send(ctx, 202, json(platform.rollouts().command(ctx.pathParam("endpoint"), command)));
        } catch (RuntimeException e) {
            ApiErrors.respond(ctx, e);
        }
    }

    /** The JSON shape of a rollout. */
    public static JsonObject json(RolloutStatus s) {
        return new JsonObject().put("endpoint", s.endpoint()).put("model", s.model()).put("version", s.version())
                .put("from_version", s.fromVersion()).put("slot", s.slot()).put("phase", s.phase()).put("percent", s.percent())
                .put("steps", new JsonArray(s.steps())).put("started", s.started().toString())
                .put("events", new JsonArray(s.events()));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
