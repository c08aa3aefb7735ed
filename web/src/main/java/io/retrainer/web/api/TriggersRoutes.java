package io.retrainer.web.api;

import io.retrainer.core.Platform;
import io.retrainer.core.trigger.TriggerView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/pipelines/{name}/triggers}: each trigger of the pipeline's current revision with
 * its kind, settings (cooldown and policy included), when it last fired and why, what its last
 * check saw, and when it is checked next.
 */
public final class TriggersRoutes {
    private final Platform platform;

    /** Routes over {@code platform}. */
    public TriggersRoutes(Platform platform) {
        this.platform = platform;
    }

    /** Registers the routes; mount before the API's catch-all. */
    public void mount(Router router) {
        router.get("/api/pipelines/:name/triggers").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        // The pipeline lookup answers 404 for an unknown name; the triggers come from its current revision.
        platform.pipelines().get(name)
                .compose(p -> platform.triggers().views(name))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ApiErrors.respond(ctx, ar.cause());
                        return;
                    }
                    JsonArray out = new JsonArray();
                    ar.result().forEach(t -> out.add(json(t)));
                    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
                });
    }

    /** One trigger as JSON. */
    static JsonObject json(TriggerView t) {
        return new JsonObject().put("key", t.key()).put("kind", t.kind()).put("description", t.description())
                .put("settings", new JsonObject(new java.util.LinkedHashMap<>(t.settings())))
                .put("last_fired", JsonViews.time(t.lastFired())).put("last_reason", t.lastReason())
                .put("last_checked", JsonViews.time(t.lastChecked())).put("last_observation", t.lastObservation())
                .put("next_check", JsonViews.time(t.nextCheck()));
    }
}
