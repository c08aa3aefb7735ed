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
 * Rollouts under {@code /api/endpoints/{endpoint}/rollout}: status, and the operator's
 * {@code promote} (all traffic to the new version now), {@code pause}, {@code resume} and
 * {@code abort} (roll back now).
 */
public final class DeploymentRoutes {
    private final Platform platform;

    /** Routes over {@code platform}. */
    public DeploymentRoutes(Platform platform) {
        this.platform = platform;
    }

    /** Registers the routes. */
    public void mount(Router router) {
        router.get("/api/endpoints/:endpoint/rollout").handler(this::status);
        router.post("/api/endpoints/:endpoint/rollout/:command").handler(this::command);
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
