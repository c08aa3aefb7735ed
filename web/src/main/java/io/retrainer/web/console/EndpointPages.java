package io.retrainer.web.console;

import io.retrainer.core.Platform;
import io.retrainer.core.serving.RolloutController;
import io.retrainer.core.monitoring.EndpointActivity;
import io.retrainer.core.monitoring.LiveQuality;
import io.retrainer.core.monitoring.QualityReading;
import io.retrainer.core.monitoring.QualitySnapshotRecord;
import io.retrainer.core.serving.EndpointRouting;
import io.retrainer.core.serving.EndpointView;
import io.retrainer.core.serving.ServedModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console pages of served endpoints: {@code /endpoints} (every endpoint with its model and log
 * sampling) and {@code /endpoints/{endpoint}} (slots and traffic, prediction and feedback counts,
 * sampling rate, live quality now, and charts of live quality over time drawn as inline SVG from
 * the recorded snapshots — no JavaScript). The page keeps {@code <section id="rollout">} and
 * {@code <section id="drift">} for the rollout and drift views.
 */
public final class EndpointPages {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPages.class);
    private static final String CSRF_FIELD = "X-XSRF-TOKEN";
    private static final Duration NOW_WINDOW = Duration.ofHours(1);
    private static final int[] CHART_HOURS = {1, 6, 24, 168};

    private final Platform platform;
    private final ThymeleafTemplateEngine engine;

    /** The pages over {@code platform}. */
    public EndpointPages(Platform platform, Vertx vertx) {
        this.platform = platform;
        this.engine = ThymeleafTemplateEngine.create(vertx);
    }

    /** Adds {@code /endpoints} and {@code /endpoints/:endpoint}. */
    public void mount(Router router) {
        router.get("/endpoints").handler(this::list);
        router.get("/endpoints/:endpoint").handler(this::endpoint);
        router.post("/endpoints/:endpoint/rollout/:command").handler(this::rolloutCommand);
    }

    private void list(RoutingContext ctx) {
        Map<String, Object> data = page(ctx, "Endpoints");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EndpointView e : platform.serving().endpoints()) {
            Map<String, Object> m = new HashMap<>();
            m.put("endpoint", e.endpoint());
            m.put("model", e.model());
            m.put("version", e.version());
            m.put("since", e.since() == null ? null : time(e.since()));
            m.put("sampleRate", percent(platform.monitoring().predictionLog().sampleRate(e.endpoint())));
            rows.add(m);
        }
        data.put("endpoints", rows);
        data.put("list", true);
        render(ctx, 200, data);
    }

    private void endpoint(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (!platform.serving().isKnown(endpoint)) {
            error(ctx, 404, "Not found", "no endpoint called '" + endpoint + "'");
            return;
        }
        int hours = chartHours(ctx.queryParams().get("hours"));
        Instant now = Instant.now();
        LiveQuality quality = platform.liveQuality();
        List<Future<Optional<QualityReading>>> readings = new ArrayList<>();
        for (String metric : LiveQuality.METRICS) {
            readings.add(quality.read(endpoint, metric, NOW_WINDOW));
        }
        Future<EndpointActivity> activity = platform.monitoring().activity(endpoint);
        Future<List<QualitySnapshotRecord>> snapshots = platform.monitoring().quality()
                .snapshots(endpoint, now.minus(Duration.ofHours(hours)));
        List<Future<?>> all = new ArrayList<>(readings);
        all.add(activity);
        all.add(snapshots);
        List<Future<Optional<QualityReading>>> sideBySide = rolloutQuality(endpoint);
        all.addAll(sideBySide);
        Future.all(all).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("endpoint page {} failed", endpoint, ar.cause());
                error(ctx, 500, "Something went wrong", String.valueOf(ar.cause().getMessage()));
                return;
            }
            Map<String, Object> data = page(ctx, "Endpoint " + endpoint);
            data.put("list", false);
            data.put("endpoint", endpoint);
            data.put("slots", slots(platform.serving().routing(endpoint).orElse(null)));
            data.put("sampleRate", percent(platform.monitoring().predictionLog().sampleRate(endpoint)));
            data.put("queued", platform.monitoring().predictionLog().pending());
            data.put("retentionDays", platform.monitoring().retention().keep().toHours() / 24.0);
            data.put("activity", activity.result());
            List<Map<String, Object>> now1h = new ArrayList<>();
            for (Future<Optional<QualityReading>> f : readings) {
                f.result().ifPresent(r -> now1h.add(Map.of("metric", r.metric(), "value", number(r.value()),
                        "labelled", r.labelled())));
            }
            data.put("quality", now1h);
            data.put("hours", hours);
            data.put("hourChoices", CHART_HOURS);
            data.put("charts", charts(snapshots.result(), now.minus(Duration.ofHours(hours)), now));
            Map<String, Object> rollout = rollout(endpoint);
            if (rollout != null && sideBySide.size() == 2) {
                sideBySide.get(0).result().ifPresent(q -> rollout.put("qualityNew", number(q.value()) + " (" + q.labelled() + " labelled)"));
                sideBySide.get(1).result().ifPresent(q -> rollout.put("qualityOld", number(q.value()) + " (" + q.labelled() + " labelled)"));
                rollout.put("qualityMetric", qualityMetric(endpoint));
            }
            data.put("rollout", rollout);
            data.put("driftTop", driftTop(endpoint));
            render(ctx, 200, data);
        });
    }

    /**
     * Live quality of the new and the old version since the rollout began (the shadow's or
     * canary's answers against the stable version's), from fed-back labels; empty without a rollout.
     */
    private List<Future<Optional<QualityReading>>> rolloutQuality(String endpoint) {
        var status = platform.rollouts().status(endpoint);
        if (status.isEmpty() || status.get().fromVersion() == null) {
            return List.of();
        }
        var st = status.get();
        String metric = qualityMetric(endpoint);
        LiveQuality q = platform.liveQuality();
        return List.of(q.readVersion(endpoint, st.model(), st.version(), metric, st.started()),
                q.readVersion(endpoint, st.model(), st.fromVersion(), metric, st.started()));
    }

    private String qualityMetric(String endpoint) {
        return platform.serving().served(endpoint)
                .map(m -> m.predictor().task() == io.retrainer.api.Task.REGRESSION ? "rmse" : "accuracy").orElse("accuracy");
    }

    /** The rollout at this endpoint (in progress or last ended) and shadow agreement, for the page. */
    private Map<String, Object> rollout(String endpoint) {
        Map<String, Object> r = new HashMap<>();
        platform.rollouts().status(endpoint).ifPresent(st -> {
            r.put("model", st.model());
            r.put("version", st.version());
            r.put("fromVersion", st.fromVersion());
            r.put("phase", st.phase());
            r.put("percent", st.percent());
            r.put("steps", st.steps().toString());
            r.put("started", time(st.started()));
            r.put("events", st.events());
            boolean live = List.of("shadow", "canary", "paused", "starting").contains(st.phase());
            r.put("live", live);
            r.put("paused", st.phase().equals("paused"));
        });
        platform.shadows().agreement(endpoint).ifPresent(a -> {
            r.put("shadowVersion", a.version());
            r.put("shadowCompared", a.compared());
            r.put("shadowAgreement", a.compared() == 0 ? "-" : String.format("%.1f%%", a.rate() * 100));
        });
        return r.isEmpty() ? null : r;
    }

    /** The five features drifting most over the last hour (in-memory counters: cheap on the event loop). */
    private List<Map<String, Object>> driftTop(String endpoint) {
        List<Map<String, Object>> out = new ArrayList<>();
        platform.drift().drift(endpoint, Duration.ofHours(1)).stream()
                .filter(d -> !Double.isNaN(d.psi()))
                .sorted(java.util.Comparator.comparingDouble(io.retrainer.core.drift.FeatureDrift::psi).reversed())
                .limit(5)
                .forEach(d -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("feature", d.feature());
                    m.put("kind", d.kind());
                    m.put("psi", String.format("%.3f", d.psi()));
                    m.put("ks", d.ks() == null ? "-" : String.format("%.3f", d.ks()));
                    m.put("live", d.liveCount());
                    m.put("alarm", d.psi() >= 0.2);
                    out.add(m);
                });
        return out;
    }

    /** Operator buttons: promote now, pause, resume, abort; redirect back to the page. */
    private void rolloutCommand(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        try {
            RolloutController.Command command = RolloutController.Command.valueOf(ctx.pathParam("command").toUpperCase(java.util.Locale.ROOT));
            platform.rollouts().command(endpoint, command);
            ctx.response().setStatusCode(303).putHeader("Location", "/endpoints/" + endpoint).end();
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "Unknown rollout command", "use promote, pause, resume or abort");
        } catch (io.retrainer.core.NotFoundException e) {
            error(ctx, 404, "Not found", e.getMessage());
        } catch (io.retrainer.core.ConflictException e) {
            error(ctx, 409, "Nothing to do", e.getMessage());
        }
    }

    private static int chartHours(String raw) {
        if (raw != null) {
            for (int h : CHART_HOURS) {
                if (raw.equals(Integer.toString(h))) {
                    return h;
                }
            }
        }
        return 24;
    }

    private static List<Map<String, Object>> slots(EndpointRouting r) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (r == null || r.stable() == null) {
            return out;
        }
        int canary = r.canary() == null ? 0 : r.canaryPercent();
        out.add(slot("stable", r.stableSlot(), r.stable(), (100 - canary) + "% of traffic"));
        if (r.canary() != null) {
            out.add(slot("canary", r.idleSlot(), r.canary(), canary + "% of traffic"));
        }
        if (r.shadow() != null) {
            out.add(slot("shadow", r.idleSlot(), r.shadow(), percent(r.shadowFraction()) + " of requests mirrored, answers never returned"));
        }
        return out;
    }

    private static Map<String, Object> slot(String role, String slot, ServedModel m, String traffic) {
        Map<String, Object> s = new HashMap<>();
        s.put("role", role);
        s.put("slot", slot);
        s.put("model", m.ref().model());
        s.put("version", m.ref().version());
        s.put("since", time(m.since()));
        s.put("traffic", traffic);
        return s;
    }

    /** One chart per metric with snapshots, one line per version and slot. */
    static List<Map<String, Object>> charts(List<QualitySnapshotRecord> snapshots, Instant from, Instant to) {
        Map<String, Map<String, List<double[]>>> byMetric = new LinkedHashMap<>();
        for (String metric : LiveQuality.METRICS) {
            byMetric.put(metric, new LinkedHashMap<>());
        }
        for (QualitySnapshotRecord s : snapshots) {
            Map<String, List<double[]>> series = byMetric.get(s.metric);
            if (series != null) {
                series.computeIfAbsent(s.modelName + " v" + s.modelVersion + " (" + s.slot + ")", k -> new ArrayList<>())
                        .add(new double[] {s.at.toEpochMilli(), s.value});
            }
        }
        List<Map<String, Object>> charts = new ArrayList<>();
        byMetric.forEach((metric, series) -> {
            if (!series.isEmpty()) {
                boolean bounded = !metric.equals("mae") && !metric.equals("rmse");
                charts.add(Map.of("metric", metric, "svg", LineChart.svg(metric, series, from, to, bounded),
                        "legend", LineChart.legend(series)));
            }
        });
        return charts;
    }

    // ---- shared with the console's look ------------------------------------------------------

    private static Map<String, Object> page(RoutingContext ctx, String title) {
        Map<String, Object> data = new HashMap<>();
        data.put("nav", "endpoints");
        data.put("title", title);
        Object token = ctx.get(CSRF_FIELD);
        data.put("csrfField", CSRF_FIELD);
        data.put("csrf", token == null ? null : token.toString());
        return data;
    }

    private void error(RoutingContext ctx, int status, String heading, String message) {
        Map<String, Object> data = page(ctx, heading);
        data.put("nav", "");
        data.put("status", status);
        data.put("heading", heading);
        data.put("message", message);
        data.put("problems", List.of());
        renderTemplate(ctx, status, "error", data);
    }

    private void render(RoutingContext ctx, int status, Map<String, Object> data) {
        renderTemplate(ctx, status, "endpoint", data);
    }

    private void renderTemplate(RoutingContext ctx, int status, String template, Map<String, Object> data) {
        engine.render(data, "templates/" + template + ".html").onComplete(ar -> {
            HttpServerResponse res = ctx.response();
            if (res.ended()) {
                return;
            }
            if (ar.succeeded()) {
                res.setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                        .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
                        .end(ar.result());
            } else {
                LOG.error("console template {} failed", template, ar.cause());
                res.setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("The console could not render this page: " + ar.cause().getMessage());
            }
        });
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC).format(t);
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * A server-rendered SVG line chart: time on x, the metric on y ([0, 1] for bounded metrics, from
     * 0 to the largest value otherwise), one polyline per series. Text is escaped; nothing else
     * from the database reaches the markup.
     */
    static final class LineChart {
        static final String[] COLOURS = {"#1f5fbf", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490"};
        private static final int W = 640;
        private static final int H = 200;
        private static final int LEFT = 48;
        private static final int RIGHT = 12;
        private static final int TOP = 10;
        private static final int BOTTOM = 26;

        private LineChart() {
        }

        static String svg(String metric, Map<String, List<double[]>> series, Instant from, Instant to, boolean bounded) {
            double max = 1;
            if (!bounded) {
                max = 0;
                for (List<double[]> pts : series.values()) {
                    for (double[] p : pts) {
                        max = Math.max(max, p[1]);
                    }
                }
                max = max <= 0 ? 1 : max * 1.1;
            }
            double x0 = from.toEpochMilli();
            double x1 = Math.max(to.toEpochMilli(), x0 + 1);
            double pw = W - LEFT - RIGHT;
            double ph = H - TOP - BOTTOM;
            StringBuilder b = new StringBuilder();
            b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                    .append("\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>")
                    .append(escape(metric + " over time")).append("</title>");
            for (int i = 0; i <= 4; i++) {
                double y = TOP + ph * i / 4;
                double v = max * (4 - i) / 4;
                b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT)
                        .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
                b.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                        .append("\" text-anchor=\"end\">").append(escape(String.format(Locale.ROOT, max > 10 ? "%.0f" : "%.2f", v)))
                        .append("</text>");
            }
            DateTimeFormatter hhmm = DateTimeFormatter.ofPattern(to.toEpochMilli() - from.toEpochMilli() > 86_400_000L
                    ? "MM-dd HH:mm" : "HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
            b.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(H - 6).append("\">")
                    .append(hhmm.format(from)).append("</text>");
            b.append("<text class=\"axis\" x=\"").append(W - RIGHT).append("\" y=\"").append(H - 6)
                    .append("\" text-anchor=\"end\">").append(hhmm.format(to)).append(" UTC</text>");
            int c = 0;
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                String colour = COLOURS[c++ % COLOURS.length];
                StringBuilder pts = new StringBuilder();
                for (double[] p : e.getValue()) {
                    double x = LEFT + pw * (p[0] - x0) / (x1 - x0);
                    double y = TOP + ph * (1 - Math.min(1, Math.max(0, p[1] / max)));
                    pts.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                }
                b.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour).append("\" points=\"")
                        .append(pts.toString().trim()).append("\"><title>").append(escape(e.getKey())).append("</title></polyline>");
                if (e.getValue().size() == 1) {
                    // A single reading has no line to draw: show it as a dot.
                    String[] xy = pts.toString().trim().split(",");
                    b.append("<circle r=\"3\" fill=\"").append(colour).append("\" cx=\"").append(xy[0]).append("\" cy=\"")
                            .append(xy[1]).append("\"/>");
                }
            }
            return b.append("</svg>").toString();
        }

        static List<Map<String, Object>> legend(Map<String, List<double[]>> series) {
            List<Map<String, Object>> out = new ArrayList<>();
            int c = 0;
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                List<double[]> pts = e.getValue();
                out.add(Map.of("name", e.getKey(), "colour", COLOURS[c++ % COLOURS.length],
                        "last", number(pts.get(pts.size() - 1)[1])));
            }
            return out;
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }

        static String escape(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '&' -> b.append("&amp;");
                    case '"' -> b.append("&quot;");
                    case '\'' -> b.append("&#39;");
                    default -> b.append(ch);
                }
            }
            return b.toString();
        }
    }
}
