package io.retrainer.web.api;

import io.retrainer.core.Platform;
import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.plugins.PluginRefusedException;
import io.retrainer.core.plugins.PluginUse;
import io.retrainer.core.plugins.PluginView;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Plugin management under {@code /api/plugins}: list, enable, disable, reload, install by upload
 * and uninstall.
 *
 * <p>Upload ({@code POST /api/plugins}, the jar as the raw body or as a multipart file) and
 * uninstall ({@code DELETE /api/plugins/{id}}) are refused with 403 unless the platform was
 * started with {@code --plugin-upload true}, and then need {@code Authorization: Bearer
 * <admin-token>} (401 without it). Enable, disable and reload need the token when one is
 * configured. Management calls load classes and touch files, so they run on worker threads.
 */
public final class PluginRoutes {
    /** Largest plugin jar accepted by upload (shaded jars with native libraries are large). */
    public static final long MAX_JAR_BYTES = 256L * 1024 * 1024;
    private static final List<String> JAR_TYPES = List.of("application/java-archive", "application/x-java-archive",
            "application/octet-stream", "application/zip");

    private final Platform platform;
    private final Vertx vertx;

    /** Routes over {@code platform}. */
    public PluginRoutes(Platform platform, Vertx vertx) {
        this.platform = platform;
        this.vertx = vertx;
    }

    /**
     * Registers the routes. The upload route runs before the router's general body handler (which
     * neither keeps multipart files nor accepts bodies as large as a jar), and checks permission
     * before it reads the body.
     */
    public void mount(Router router) {
        router.get("/api/plugins").handler(this::list);
        router.get("/api/plugins/:id").handler(this::get);
        router.post("/api/plugins").order(-3).handler(ctx -> {
            String denied = uploadDenied(platform.config(), ctx.request().getHeader("Authorization"));
            if (denied != null) {
                // Refused before the jar was read: the rest of the body is still on the wire, so
                // this connection cannot carry another request. Close it after the answer, or the
                // client's next request on it waits forever.
                ctx.response().putHeader("Connection", "close");
                deny(ctx, denied);
            } else {
                ctx.next();
            }
        });
        router.post("/api/plugins").order(-2)
                .handler(BodyHandler.create(uploadsDir(platform).toString()).setBodyLimit(MAX_JAR_BYTES)
                        .setDeleteUploadedFilesOnEnd(true))
                .handler(this::upload);
        router.delete("/api/plugins/:id").handler(this::uninstall);
        router.post("/api/plugins/:id/disable").handler(ctx -> manage(ctx, () -> platform.plugins().disable(id(ctx))));
        router.post("/api/plugins/:id/enable").handler(ctx -> manage(ctx, () -> platform.plugins().enable(id(ctx))));
        router.post("/api/plugins/:id/reload").handler(ctx -> manage(ctx, () -> platform.plugins().reload(id(ctx))));
    }

    /** Where uploaded jars wait while they are checked. */
    public static Path uploadsDir(Platform platform) {
        return platform.config().dataDir().toAbsolutePath().resolve("scratch").resolve("plugin-uploads");
    }

    private void list(RoutingContext ctx) {
        JsonArray a = new JsonArray();
        platform.plugins().plugins().forEach(p -> a.add(json(p)));
        ctx.response().putHeader("Content-Type", "application/json").end(a.encode());
    }

    private void get(RoutingContext ctx) {
        platform.plugins().plugin(id(ctx)).ifPresentOrElse(
                p -> send(ctx, 200, json(p)),
                () -> ApiErrors.send(ctx, 404, "no plugin called '" + id(ctx) + "'"));
    }

    private void manage(RoutingContext ctx, Callable<PluginView> action) {
        String denied = manageDenied(platform.config(), ctx.request().getHeader("Authorization"));
        if (denied != null) {
            deny(ctx, denied);
            return;
        }
        vertx.executeBlocking(action, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else {
                send(ctx, 200, json(ar.result()));
            }
        });
    }

    private void uninstall(RoutingContext ctx) {
        String denied = uploadDenied(platform.config(), ctx.request().getHeader("Authorization"));
        if (denied != null) {
            deny(ctx, denied);
            return;
        }
        String id = id(ctx);
        vertx.executeBlocking(() -> {
            platform.plugins().uninstall(id);
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else {
                send(ctx, 200, new JsonObject().put("id", id).put("state", "uninstalled"));
            }
        });
    }

    private void upload(RoutingContext ctx) {
        String type = contentType(ctx);
        Path jar;
        boolean temporary;
        if (type.startsWith("multipart/form-data")) {
            List<FileUpload> files = ctx.fileUploads();
            if (files.size() != 1) {
                ApiErrors.send(ctx, 400, "send exactly one file (the plugin jar) in the multipart body, got " + files.size());
                return;
            }
            jar = Path.of(files.get(0).uploadedFileName());
            temporary = false;
        } else if (JAR_TYPES.contains(type)) {
            if (ctx.body().length() == 0) {
                ApiErrors.send(ctx, 400, "empty body: send the plugin jar");
                return;
            }
            try {
                Files.createDirectories(uploadsDir(platform));
                jar = Files.createTempFile(uploadsDir(platform), "upload-", ".jar");
                Files.write(jar, ctx.body().buffer().getBytes());
            } catch (IOException e) {
                ApiErrors.respond(ctx, new IllegalStateException("cannot store the upload: " + e.getMessage(), e));
                return;
            }
            temporary = true;
        } else {
            ApiErrors.send(ctx, 415, "Content-Type must be application/java-archive (the jar as the body) or "
                    + "multipart/form-data (the jar as a file), got '" + (type.isEmpty() ? "none" : type) + "'");
            return;
        }
        Path uploaded = jar;
        vertx.executeBlocking(() -> {
            try {
                return platform.plugins().install(uploaded);
            } finally {
                if (temporary) {
                    Files.deleteIfExists(uploaded);
                }
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
            } else {
                send(ctx, 201, json(ar.result()));
            }
        });
    }

    /**
     * Why installing or uninstalling is not allowed with {@code authorization} (the header),
     * or {@code null} when it is. Starts with the status code: {@code "403 ..."} or {@code "401 ..."}.
     */
    public static String uploadDenied(PlatformConfig config, String authorization) {
        if (!config.pluginUpload()) {
            return "403 plugin upload is off: start the platform with --plugin-upload true and an --admin-token "
                    + "(or RETRAINER_PLUGIN_UPLOAD and RETRAINER_ADMIN_TOKEN) to install and uninstall plugins over HTTP; "
                    + "otherwise put the jar in the plugins directory";
        }
        return tokenDenied(config, authorization);
    }

    /** Why enabling, disabling or reloading is not allowed; {@code null} when it is (always, without an admin token). */
    public static String manageDenied(PlatformConfig config, String authorization) {
        return config.adminToken() == null ? null : tokenDenied(config, authorization);
    }

    private static String tokenDenied(PlatformConfig config, String authorization) {
        if (config.adminToken() == null) {
            return "403 no admin token is configured: set --admin-token (or RETRAINER_ADMIN_TOKEN)";
        }
        if (authorization == null || authorization.isBlank()) {
            return "401 this needs the admin token: send the header 'Authorization: Bearer <admin-token>'";
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return "401 the Authorization header must be 'Bearer <admin-token>'";
        }
        return tokenMatches(config, parts[1]) ? null : "401 the admin token is wrong";
    }

    /** Whether {@code token} is the configured admin token (compared in constant time). */
    public static boolean tokenMatches(PlatformConfig config, String token) {
        return config.adminToken() != null && token != null && MessageDigest.isEqual(
                config.adminToken().getBytes(StandardCharsets.UTF_8), token.trim().getBytes(StandardCharsets.UTF_8));
    }

    private static void deny(RoutingContext ctx, String denied) {
        int status = Integer.parseInt(denied.substring(0, 3));
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"retrainer\"");
        }
        ApiErrors.send(ctx, status, denied.substring(4));
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof PluginRefusedException r) {
            send(ctx, 400, new JsonObject().put("error", "plugin refused: " + r.reason()).put("reason", r.reason()));
        } else {
            ApiErrors.respond(ctx, e);
        }
    }

    /** A plugin as JSON: {@link JsonViews#plugin} plus the runs using it now. */
    public static JsonObject json(PluginView p) {
        JsonArray used = new JsonArray();
        for (PluginUse u : p.usedBy()) {
            used.add(new JsonObject().put("run", u.runId()).put("pipeline", u.pipeline()));
        }
        return JsonViews.plugin(p).put("used_by", used);
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    private static String contentType(RoutingContext ctx) {
        String t = ctx.request().getHeader("Content-Type");
        return t == null ? "" : t.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
