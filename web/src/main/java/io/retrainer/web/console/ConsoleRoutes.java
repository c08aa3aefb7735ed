package io.retrainer.web.console;

import io.retrainer.core.ConflictException;
import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.Platform;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.PipelineSummary;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunSummary;
import io.retrainer.core.pipeline.StageView;
import io.retrainer.core.plugins.PluginView;
import io.retrainer.core.registry.ModelSummary;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.serving.EndpointView;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: server-rendered HTML pages (Thymeleaf) over the platform's services.
 * Every page works without JavaScript; forms POST and redirect (303) on success. Platform calls
 * answer with futures and run on the event loop, except a promotion, which blocks and therefore
 * runs on a worker thread.
 *
 * <p>The web server installs a {@code BodyHandler} before calling {@link #mount}.
 */
public final class ConsoleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    /** Where templates live on the class path (the Vert.x resolver reads paths as given). */
    private static final String TEMPLATES = "templates/";
    /** Header / form field of Vert.x's {@code CSRFHandler}, echoed into forms when the server installs one. */
    private static final String CSRF_FIELD = "X-XSRF-TOKEN";
    private static final int RECENT_RUNS = 20;

    static final String EXAMPLE = """
            # A pipeline: where the data comes from, how to train and judge a model, where it goes live.
            # Open "Plugins" for every plugin's settings.
            name: my-pipeline
            source:
              plugin: csv
              config: { path: /path/to/data.csv, label: label }
            validate: { max_missing_fraction: 0.1 }
            split: { strategy: holdout, test_fraction: 0.2, seed: 42 }
            train:
              plugin: logistic-regression
            evaluate:
              - plugin: classification-metrics
              - plugin: champion-gate
                config: { metric: roc_auc, min_improvement: 0.0 }
            deploy:
              plugin: local-serving
              config: { endpoint: my-pipeline }
            triggers:
              - schedule: "0 3 * * MON"
            """;

    private final Platform platform;
    private final Vertx vertx;
    private final ThymeleafTemplateEngine engine;

    /** The console over {@code platform}. */
    public ConsoleRoutes(Platform platform, Vertx vertx) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.engine = ThymeleafTemplateEngine.create(vertx);
    }

    /** Adds the console's routes to {@code router}. */
    public void mount(Router router) {
        route(router.get("/"), this::dashboard);
        route(router.get("/pipelines/new"), this::newPipeline);
        route(router.post("/pipelines"), this::savePipeline);
        route(router.get("/pipelines/:name"), this::pipeline);
        route(router.get("/pipelines/:name/edit"), this::editPipeline);
        route(router.post("/pipelines/:name/runs"), this::runNow);
        route(router.get("/runs/:id"), this::run);
        route(router.post("/runs/:id/cancel"), this::cancelRun);
        route(router.get("/models"), this::models);
        route(router.get("/models/:name"), this::model);
        route(router.post("/models/:name/versions/:version/promote"), this::promote);
        route(router.get("/plugins"), this::plugins);
        new PluginActions(platform, vertx).mount(router);
        new EndpointPages(platform, vertx).mount(router);
    }

    /** A console route: anything a handler throws becomes the console's error page. */
    private void route(Route route, Handler<RoutingContext> handler) {
        route.handler(handler).failureHandler(ctx -> {
            if (ctx.response().ended() || ctx.response().headWritten()) {
                return;
            }
            if (ctx.failure() == null) {
                ctx.next();
            } else {
                fail(ctx, ctx.failure());
            }
        });
    }

    // ---- pipelines -------------------------------------------------------------------------

    private void dashboard(RoutingContext ctx) {
        platform.pipelines().list().onSuccess(list -> {
            Map<String, Object> data = page(ctx, "pipelines", "Pipelines");
            List<Map<String, Object>> pipelines = new ArrayList<>();
            for (PipelineSummary p : list) {
                pipelines.add(ConsoleViews.pipelineSummary(p));
            }
            data.put("pipelines", pipelines);
            List<Map<String, Object>> endpoints = new ArrayList<>();
            for (EndpointView e : platform.serving().endpoints()) {
                endpoints.add(ConsoleViews.endpoint(e));
            }
            data.put("endpoints", endpoints);
            render(ctx, 200, "dashboard", data);
        }).onFailure(e -> fail(ctx, e));
    }

    private void newPipeline(RoutingContext ctx) {
        editor(ctx, 200, null, EXAMPLE, "yaml", List.of());
    }

    private void editPipeline(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        platform.pipelines().get(name)
                .onSuccess(v -> editor(ctx, 200, v.name(), v.source(),
                        v.format() == PipelineParser.Format.JSON ? "json" : "yaml", List.of()))
                .onFailure(e -> fail(ctx, e));
    }

    private void savePipeline(RoutingContext ctx) {
        String raw = ctx.request().getFormAttribute("source");
        // Browsers submit text areas with CRLF line ends; store what the operator typed, with LF.
        String source = raw == null ? "" : raw.replace("\r\n", "\n").replace('\r', '\n');
        String formatField = ctx.request().getFormAttribute("format");
        String format = formatField == null || formatField.isBlank() ? "yaml" : formatField.trim().toLowerCase();
        String editing = ctx.request().getFormAttribute("editing");
        String editingName = editing == null || editing.isBlank() ? null : editing;
        if (!format.equals("yaml") && !format.equals("json")) {
            editor(ctx, 400, editingName, source, "yaml", List.of("format: expected yaml or json, got \"" + format + "\""));
            return;
        }
        if (source.isBlank()) {
            editor(ctx, 400, editingName, source, format, List.of("the definition is empty"));
            return;
        }
        Future<PipelineView> saved;
        try {
            saved = platform.pipelines().save(source,
                    format.equals("json") ? PipelineParser.Format.JSON : PipelineParser.Format.YAML);
        } catch (InvalidInputException e) {
            saved = Future.failedFuture(e);
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        saved.onSuccess(v -> seeOther(ctx, "/pipelines/" + segment(v.name())))
                .onFailure(e -> {
                    if (e instanceof InvalidInputException invalid) {
                        editor(ctx, 400, editingName, source, format, invalid.problems());
                    } else {
                        fail(ctx, e);
                    }
                });
    }

    private void editor(RoutingContext ctx, int status, String editing, String source, String format, List<String> problems) {
        Map<String, Object> data = page(ctx, "pipelines", editing == null ? "New pipeline" : "Edit " + editing);
        data.put("editing", editing);
        // An HTML parser drops one newline right after <textarea>: keep a leading blank line by doubling it.
        data.put("source", source.startsWith("\n") ? "\n" + source : source);
        data.put("format", format);
        data.put("problems", problems);
        render(ctx, status, "editor", data);
    }

    private void pipeline(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Future<PipelineView> current = platform.pipelines().get(name);
        Future<List<PipelineView>> revisions = current.compose(v -> platform.pipelines().revisions(name));
        Future<List<RunSummary>> runs = revisions.compose(v -> platform.runs().list(name, RECENT_RUNS));
        runs.onSuccess(all -> {
            PipelineView v = current.result();
            Map<String, Object> data = page(ctx, "pipelines", "Pipeline " + v.name());
            data.put("pipeline", ConsoleViews.pipeline(v));
            List<Map<String, Object>> revs = new ArrayList<>();
            for (PipelineView r : revisions.result()) {
                revs.add(ConsoleViews.pipeline(r));
            }
            data.put("revisions", revs);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (RunSummary r : runs.result()) {
                rs.add(ConsoleViews.runSummary(r));
            }
            data.put("runs", rs);
            render(ctx, 200, "pipeline", data);
        }).onFailure(e -> fail(ctx, e));
    }

    private void runNow(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        platform.runs().trigger(name, "manual", "started from the console")
                .onSuccess(id -> seeOther(ctx, "/runs/" + id))
                .onFailure(e -> fail(ctx, e));
    }

    // ---- runs ------------------------------------------------------------------------------

    private void run(RoutingContext ctx) {
        Long id = runId(ctx);
        if (id != null) {
            showRun(ctx, id, 200, null);
        }
    }

    private void showRun(RoutingContext ctx, long id, int status, String message) {
        platform.runs().get(id).onSuccess(view -> {
            Map<String, Object> run = ConsoleViews.runSummary(view.summary());
            Map<String, Object> data = page(ctx, "pipelines", "Run " + id + " of " + view.summary().pipeline());
            data.put("run", run);
            List<Map<String, Object>> stages = new ArrayList<>();
            for (StageView s : view.stages()) {
                stages.add(ConsoleViews.stage(s));
            }
            data.put("stages", stages);
            data.put("message", message);
            data.put("refresh", Boolean.TRUE.equals(run.get("active")) && message == null);
            render(ctx, status, "run", data);
        }).onFailure(e -> fail(ctx, e));
    }

    private void cancelRun(RoutingContext ctx) {
        Long id = runId(ctx);
        if (id == null) {
            return;
        }
        platform.runs().cancel(id)
                .onSuccess(r -> seeOther(ctx, "/runs/" + id))
                .onFailure(e -> {
                    if (e instanceof ConflictException) {
                        showRun(ctx, id, 409, e.getMessage());
                    } else {
                        fail(ctx, e);
                    }
                });
    }

    /** The run id of the path, or {@code null} after answering 404 for one that is not a number. */
    private Long runId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            fail(ctx, new NotFoundException("no run with id '" + raw + "'"));
            return null;
        }
    }

    // ---- models ----------------------------------------------------------------------------

    private void models(RoutingContext ctx) {
        platform.registry().models().onSuccess(list -> {
            Map<String, Object> data = page(ctx, "models", "Models");
            List<Map<String, Object>> models = new ArrayList<>();
            for (ModelSummary m : list) {
                models.add(ConsoleViews.modelSummary(m));
            }
            data.put("models", models);
            render(ctx, 200, "models", data);
        }).onFailure(e -> fail(ctx, e));
    }

    private void model(RoutingContext ctx) {
        showModel(ctx, ctx.pathParam("name"), 200, null, ctx.queryParams().get("promoted"));
    }

    private void showModel(RoutingContext ctx, String name, int status, String error, String promoted) {
        platform.registry().versions(name).onSuccess(list -> {
            if (list.isEmpty()) {
                fail(ctx, new NotFoundException("no model called '" + name + "'"));
                return;
            }
            Map<String, Object> data = page(ctx, "models", "Model " + name);
            List<String> keys = ConsoleViews.keyMetrics(list);
            List<Map<String, Object>> versions = new ArrayList<>();
            for (ModelVersionView v : list) {
                versions.add(ConsoleViews.modelVersion(v, keys));
            }
            List<Map<String, Object>> endpoints = new ArrayList<>();
            for (EndpointView e : platform.serving().endpoints()) {
                if (name.equals(e.model())) {
                    endpoints.add(ConsoleViews.endpoint(e));
                }
            }
            data.put("name", name);
            data.put("keyMetrics", keys);
            data.put("versions", versions);
            data.put("endpoints", endpoints);
            data.put("error", error);
            data.put("promoted", promoted != null && promoted.matches("\\d{1,9}") ? promoted : null);
            render(ctx, status, "model", data);
        }).onFailure(e -> fail(ctx, e));
    }

    private void promote(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        int version;
        try {
            version = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            fail(ctx, new NotFoundException("model " + name + " has no version '" + ctx.pathParam("version") + "'"));
            return;
        }
        // Promotion deploys through the pipeline's deployer and waits for it: never on the event loop.
        vertx.<ModelVersionView>executeBlocking(() -> platform.promotion().promote(name, version), false)
                .onSuccess(v -> seeOther(ctx, "/models/" + segment(name) + "?promoted=" + version))
                .onFailure(e -> {
                    if (e instanceof NotFoundException) {
                        fail(ctx, e);
                        return;
                    }
                    int status = e instanceof ConflictException ? 409 : e instanceof InvalidInputException ? 400 : 500;
                    if (status == 500) {
                        LOG.error("promoting {} v{} failed", name, version, e);
                    }
                    showModel(ctx, name, status, "Promoting v" + version + " failed: " + message(e), null);
                });
    }

    // ---- plugins ---------------------------------------------------------------------------

    private void plugins(RoutingContext ctx) {
        try {
            Map<String, Object> data = page(ctx, "plugins", "Plugins");
            List<Map<String, Object>> plugins = new ArrayList<>();
            for (PluginView p : platform.plugins().plugins()) {
                Map<String, Object> m = ConsoleViews.plugin(p);
                m.put("usedBy", p.usedBy().stream().map(Object::toString).toList());
                m.put("manageable", p.id() != null && !io.retrainer.core.plugins.PluginHost.SYSTEM.equals(p.id()));
                plugins.add(m);
            }
            data.put("plugins", plugins);
            // The buttons' outcome (PluginActions redirects here) and what the forms need.
            data.put("done", ctx.queryParams().get("done"));
            data.put("error", ctx.queryParams().get("error"));
            data.put("uploadEnabled", platform.config().pluginUpload());
            data.put("tokenRequired", platform.config().adminToken() != null);
            render(ctx, 200, "plugins", data);
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    // ---- shared ----------------------------------------------------------------------------

    /** The data every page has: the active nav item, the page title and the CSRF token if any. */
    private static Map<String, Object> page(RoutingContext ctx, String nav, String title) {
        Map<String, Object> data = new HashMap<>();
        data.put("nav", nav);
        data.put("title", title);
        Object token = ctx.get(CSRF_FIELD);
        data.put("csrfField", CSRF_FIELD);
        data.put("csrf", token == null ? null : token.toString());
        return data;
    }

    private void render(RoutingContext ctx, int status, String template, Map<String, Object> data) {
        engine.render(data, TEMPLATES + template + ".html").onComplete(ar -> {
            HttpServerResponse res = ctx.response();
            if (res.ended()) {
                return;
            }
            if (ar.succeeded()) {
                res.setStatusCode(status)
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .end(ar.result());
            } else {
                LOG.error("console template {} failed", template, ar.cause());
                res.setStatusCode(500)
                        .putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("The console could not render this page: " + message(ar.cause()));
            }
        });
    }

    /** Answers with the error page: 404, 400 (with every problem), 409, or 500 (logged). */
    private void fail(RoutingContext ctx, Throwable e) {
        int status;
        String heading;
        List<String> problems = List.of();
        if (e instanceof NotFoundException) {
            status = 404;
            heading = "Not found";
        } else if (e instanceof InvalidInputException invalid) {
            status = 400;
            heading = "Invalid input";
            problems = invalid.problems();
        } else if (e instanceof ConflictException) {
            status = 409;
            heading = "Not possible now";
        } else {
            status = 500;
            heading = "Something went wrong";
            LOG.error("console {} {} failed", ctx.request().method(), ctx.request().path(), e);
        }
        Map<String, Object> data = page(ctx, "", heading);
        data.put("status", status);
        data.put("heading", heading);
        data.put("message", message(e));
        data.put("problems", problems);
        render(ctx, status, "error", data);
    }

    private static void seeOther(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** One URL path segment, percent-encoded. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
