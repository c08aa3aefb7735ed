package io.retrainer.web;

import io.prometheus.client.exporter.common.TextFormat;
import io.retrainer.core.Platform;
import io.retrainer.web.api.ApiErrors;
import io.retrainer.web.api.ApiRoutes;
import io.retrainer.web.api.DeploymentRoutes;
import io.retrainer.web.console.ConsoleRoutes;
import io.retrainer.web.serving.InvocationsHandler;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The HTTP front: console, REST API, inference, {@code /metrics} and health, on one port.
 * {@link #start(Promise)} completes only once the server listens.
 */
public final class WebServer extends AbstractVerticle {
    /** Largest request body accepted (pipeline documents, inference batches). */
    public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final Platform platform;
    private HttpServer server;

    /** A server for {@code platform}, listening on its configured host and port. */
    public WebServer(Platform platform) {
        this.platform = platform;
    }

    @Override
    public void start(Promise<Void> started) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
        router.get("/health/ready").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        InvocationsHandler invocations = new InvocationsHandler(platform.serving(), platform.inference(), platform.metrics());
        router.post("/serving/:endpoint/invocations").handler(invocations::handle);
        new io.retrainer.web.serving.V2Routes(platform).mount(router);
        new DeploymentRoutes(platform, vertx).mount(router);
        new io.retrainer.web.api.FeedbackRoutes(platform).mount(router);
        new io.retrainer.web.api.TriggersRoutes(platform).mount(router);
        new io.retrainer.web.api.PluginRoutes(platform, vertx).mount(router);
        new io.retrainer.web.api.ModelUploadRoutes(platform, vertx).mount(router);
        new ApiRoutes(platform, vertx).mount(router);
        router.route("/static/*").handler(StaticHandler.create("webroot/static").setCachingEnabled(true).setMaxAgeSeconds(3600));
        new ConsoleRoutes(platform, vertx).mount(router);
        new io.retrainer.web.console.DriftPages(platform, vertx).mount(router);
        router.route().failureHandler(this::failure);
        vertx.createHttpServer()
                .requestHandler(router)
                .listen(platform.config().port(), platform.config().host())
                .onSuccess(s -> {
                    server = s;
                    started.complete();
                })
                .onFailure(e -> started.fail("cannot listen on " + platform.config().host() + ":" + platform.config().port()
                        + ": " + e.getMessage()));
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void ready(RoutingContext ctx) {
        platform.ready().onComplete(ar -> {
            boolean ok = ar.succeeded() && ar.result();
            json(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "ready" : "not ready")
                    .put("database", ar.succeeded() ? "up" : "down")
                    .put("plugins", platform.plugins().startedCount()));
        });
    }

    private void metrics(RoutingContext ctx) {
        StringWriter out = new StringWriter();
        try {
            TextFormat.write004(out, platform.metrics().registry().metricFamilySamples());
        } catch (IOException e) {
            ctx.fail(e);
            return;
        }
        ctx.response().putHeader("Content-Type", TextFormat.CONTENT_TYPE_004).end(out.toString());
    }

    private void failure(RoutingContext ctx) {
        Throwable error = ctx.failure();
        if (error == null) {
            int status = ctx.statusCode();
            ApiErrors.send(ctx, status, status == 413 ? "request body larger than " + MAX_BODY_BYTES + " bytes"
                    : "request failed with status " + status);
            return;
        }
        ApiErrors.respond(ctx, error);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
