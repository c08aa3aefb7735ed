package io.retrainer.web.console;

import io.retrainer.core.Platform;
import io.retrainer.core.drift.DriftReport;
import io.retrainer.core.drift.FeatureDrift;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's drift page, {@code /endpoints/{endpoint}/drift?window=1h}: per feature of the
 * model serving there, PSI and KS with a traffic light, and a server-rendered SVG of reference
 * against live bin fractions (bars side by side). No JavaScript. The numbers come from the drift
 * monitor's in-memory counters, so the page is computed on the event loop.
 */
public final class DriftPages {
    private static final Logger LOG = LoggerFactory.getLogger(DriftPages.class);
    /** Windows offered on the page; others can be given in the query string (whole minutes or hours, up to 24h). */
    static final List<String> WINDOWS = List.of("15m", "1h", "6h", "24h");
    /** PSI below this is "stable", from it to {@link #PSI_ALERT} "moderate" (the customary rule of thumb). */
    static final double PSI_WARN = 0.1;
    /** PSI from this up is "drift". */
    static final double PSI_ALERT = 0.2;
    static final int BAR_WIDTH = 9;
    static final int BAR_GAP = 1;
    static final int GROUP_GAP = 8;
    static final int CHART_HEIGHT = 90;

    private final Platform platform;
    private final ThymeleafTemplateEngine engine;

    /** The pages over {@code platform}. */
    public DriftPages(Platform platform, Vertx vertx) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.engine = ThymeleafTemplateEngine.create(Objects.requireNonNull(vertx, "vertx"));
    }

    /** Adds the drift page's route to {@code router}. */
    public void mount(Router router) {
        router.get("/endpoints/:endpoint/drift").handler(this::page);
    }

    private void page(RoutingContext ctx) {
        String endpoint = ctx.pathParam("endpoint");
        String windowParam = Optional.ofNullable(ctx.request().getParam("window")).orElse("1h").trim();
        Duration window;
        try {
            window = parseWindow(windowParam);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "Invalid input", e.getMessage());
            return;
        }
        if (!platform.serving().isKnown(endpoint)) {
            error(ctx, 404, "Not found", "endpoint '" + endpoint + "' does not exist");
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("nav", "endpoints");
        data.put("title", "Drift of " + endpoint);
        data.put("endpoint", endpoint);
        data.put("window", windowParam);
        data.put("windows", WINDOWS);
        Optional<DriftReport> report;
        try {
            report = platform.drift().report(endpoint, window);
        } catch (RuntimeException e) {
            LOG.error("drift report of {} failed", endpoint, e);
            error(ctx, 500, "Something went wrong", "drift of '" + endpoint + "' could not be computed: " + e.getMessage());
            return;
        }
        data.put("served", platform.serving().served(endpoint).isPresent());
        if (report.isPresent()) {
            DriftReport r = report.get();
            data.put("model", r.model());
            data.put("version", r.version());
            data.put("referenceRows", r.referenceRows());
            List<Map<String, Object>> features = new ArrayList<>();
            for (DriftReport.FeatureReport f : r.features()) {
                features.add(feature(f));
            }
            data.put("features", features);
            data.put("drifting", features.stream().filter(f -> "alert".equals(f.get("light"))).count());
        }
        render(ctx, "drift", data);
    }

    /**
     * A window such as {@code 30m}, {@code 1h} or {@code 24h}.
     *
     * @throws IllegalArgumentException naming the parameter and the accepted forms
     */
    static Duration parseWindow(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,4})([mh])").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("window: expected minutes or hours such as 15m, 1h or 24h, got \"" + s + "\"");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = m.group(2).equals("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
        if (d.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("window: at most 24h, got \"" + s + "\"");
        }
        return d;
    }

    /** One feature's row: numbers, traffic light and the chart's bars. */
    static Map<String, Object> feature(DriftReport.FeatureReport f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.feature());
        m.put("kind", f.kind());
        m.put("live", f.liveCount());
        boolean none = Double.isNaN(f.psi());
        m.put("psi", none ? "–" : String.format(Locale.ROOT, "%.3f", f.psi()));
        m.put("ks", f.ks() == null ? "–" : String.format(Locale.ROOT, "%.3f", f.ks()));
        String light = none ? "none" : f.psi() >= PSI_ALERT ? "alert" : f.psi() >= PSI_WARN ? "warn" : "ok";
        m.put("light", light);
        m.put("lightText", switch (light) {
            case "alert" -> "drift";
            case "warn" -> "moderate";
            case "ok" -> "stable";
            default -> "no live rows";
        });
        m.put("prediction", FeatureDrift.PREDICTION.equals(f.kind()));
        double max = 0;
        for (int i = 0; i < f.bins().size(); i++) {
            max = Math.max(max, Math.max(f.reference()[i], f.live()[i]));
        }
        double scale = max > 0 ? (CHART_HEIGHT - 2) / max : 0;
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        int x = GROUP_GAP / 2;
        for (int i = 0; i < f.bins().size(); i++) {
            String label = f.bins().get(i);
            double ref = f.reference()[i];
            double live = f.live()[i];
            String tip = label + ": reference " + percent(ref) + ", live " + percent(live);
            bars.add(bar(x, ref, scale, "ref", tip));
            bars.add(bar(x + BAR_WIDTH + BAR_GAP, live, scale, "live", tip));
            x += 2 * BAR_WIDTH + BAR_GAP + GROUP_GAP;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bin", label);
            row.put("ref", percent(ref));
            row.put("live", percent(live));
            rows.add(row);
        }
        m.put("bars", bars);
        m.put("bins", rows);
        m.put("width", x - GROUP_GAP / 2);
        m.put("height", CHART_HEIGHT);
        m.put("firstBin", f.bins().isEmpty() ? "" : f.bins().get(0));
        m.put("lastBin", f.bins().isEmpty() ? "" : f.bins().get(f.bins().size() - 1));
        return m;
    }

    private static Map<String, Object> bar(int x, double fraction, double scale, String series, String tip) {
        int h = (int) Math.round(fraction * scale);
        if (fraction > 0 && h == 0) {
            h = 1; // a non-empty bin stays visible
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("x", x);
        b.put("y", CHART_HEIGHT - h);
        b.put("w", BAR_WIDTH);
        b.put("h", h);
        b.put("series", series);
        b.put("tip", tip);
        return b;
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * f);
    }

    private void error(RoutingContext ctx, int status, String heading, String message) {
        Map<String, Object> data = new HashMap<>();
        data.put("nav", "");
        data.put("title", heading);
        data.put("status", status);
        data.put("heading", heading);
        data.put("message", message);
        data.put("problems", List.of());
        render(ctx, status, "error", data);
    }

    private void render(RoutingContext ctx, String template, Map<String, Object> data) {
        render(ctx, 200, template, data);
    }

    private void render(RoutingContext ctx, int status, String template, Map<String, Object> data) {
        engine.render(data, "templates/" + template + ".html").onComplete(ar -> {
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
                res.setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("The console could not render this page: " + ar.cause().getMessage());
            }
        });
    }
}
