package io.retrainer.web.console;

import io.retrainer.core.Platform;
import io.retrainer.core.plugins.PluginView;
import io.retrainer.web.api.PluginRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Plugins page's buttons: disable, enable, reload, uninstall, and the upload form. Each is a
 * plain form POST answered with a redirect (303) to {@code /plugins} carrying what happened
 * ({@code ?done=} or {@code ?error=}), so the page works without JavaScript. The same rules as
 * the API apply: uploads and uninstalls only with {@code --plugin-upload true}, and the admin
 * token (a form field here) when one is configured.
 */
final class PluginActions {
    private static final Logger LOG = LoggerFactory.getLogger(PluginActions.class);

    private final Platform platform;
    private final Vertx vertx;

    PluginActions(Platform platform, Vertx vertx) {
        this.platform = platform;
        this.vertx = vertx;
    }

    void mount(Router router) {
        router.post("/plugins/:id/disable").handler(ctx -> manage(ctx, "disabled", () -> platform.plugins().disable(id(ctx))));
        router.post("/plugins/:id/enable").handler(ctx -> manage(ctx, "enabled", () -> platform.plugins().enable(id(ctx))));
        router.post("/plugins/:id/reload").handler(ctx -> manage(ctx, "reloaded", () -> platform.plugins().reload(id(ctx))));
        router.post("/plugins/:id/uninstall").handler(this::uninstall);
        // Before the router's general body handler: this one keeps the multipart file, up to a jar's size.
        router.post("/plugins/upload").order(-3).handler(ctx -> {
            if (!platform.config().pluginUpload()) {
                back(ctx, "error", PluginRoutes.uploadDenied(platform.config(), null).substring(4));
            } else {
                ctx.next();
            }
        });
        router.post("/plugins/upload").order(-2)
                .handler(BodyHandler.create(PluginRoutes.uploadsDir(platform).toString()).setBodyLimit(PluginRoutes.MAX_JAR_BYTES)
                        .setDeleteUploadedFilesOnEnd(true))
                .handler(this::upload);
    }

    private void manage(RoutingContext ctx, String done, Callable<PluginView> action) {
        String denied = PluginRoutes.manageDenied(platform.config(), bearer(ctx));
        if (denied != null) {
            back(ctx, "error", denied.substring(4));
            return;
        }
        vertx.executeBlocking(action, false).onComplete(ar -> {
            if (ar.succeeded()) {
                back(ctx, "done", "Plugin " + ar.result().id() + " " + done + ".");
            } else {
                back(ctx, "error", message(ar.cause()));
            }
        });
    }

    private void uninstall(RoutingContext ctx) {
        String denied = PluginRoutes.uploadDenied(platform.config(), bearer(ctx));
        if (denied != null) {
            back(ctx, "error", denied.substring(4));
            return;
        }
        String id = id(ctx);
        vertx.executeBlocking(() -> {
            platform.plugins().uninstall(id);
            return id;
        }, false).onComplete(ar -> back(ctx, ar.succeeded() ? "done" : "error",
                ar.succeeded() ? "Plugin " + id + " uninstalled." : message(ar.cause())));
    }

    private void upload(RoutingContext ctx) {
        String denied = PluginRoutes.uploadDenied(platform.config(), bearer(ctx));
        if (denied != null) {
            back(ctx, "error", denied.substring(4));
            return;
        }
        List<FileUpload> files = ctx.fileUploads();
        if (files.size() != 1 || files.get(0).size() == 0) {
            back(ctx, "error", "Choose one plugin jar to upload.");
            return;
        }
        Path jar = Path.of(files.get(0).uploadedFileName());
        vertx.executeBlocking(() -> platform.plugins().install(jar), false).onComplete(ar -> {
            if (ar.succeeded()) {
                back(ctx, "done", "Plugin " + ar.result().id() + " " + ar.result().version() + " installed.");
            } else {
                back(ctx, "error", "Upload refused: " + message(ar.cause()));
            }
        });
    }

    /** The admin token typed into the form, as the API's Authorization header would carry it. */
    private static String bearer(RoutingContext ctx) {
        String token = ctx.request().getFormAttribute("token");
        return token == null || token.isBlank() ? null : "Bearer " + token;
    }

    private static void back(RoutingContext ctx, String kind, String message) {
        ctx.response().setStatusCode(303)
                .putHeader("Location", "/plugins?" + kind + "=" + URLEncoder.encode(message, StandardCharsets.UTF_8)).end();
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (!(e instanceof RuntimeException) || m == null) {
            LOG.error("plugin action failed", e);
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }
}
