package io.retrainer.web.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.web.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboard and Prometheus config ({@code distribution/src/main/dist}) against
 * a real platform: the dashboard parses and uses only metrics the platform exports; and, when
 * Debian's {@code prometheus} and {@code promtool} are installed, the config passes
 * {@code promtool check config}, a real Prometheus scrapes the platform, {@code retrainer_runs_total}
 * comes back through its HTTP API, and every dashboard query parses and evaluates there.
 * The Prometheus parts are skipped only when the binaries are absent.
 */
class PrometheusDashboardTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path DIST = Path.of("..", "distribution", "src", "main", "dist");
    static final Path DASHBOARD = DIST.resolve("grafana/retrainer-dashboard.json");
    static final Path PROMETHEUS_YML = DIST.resolve("prometheus/prometheus.yml");
    static final Pattern METRIC = Pattern.compile("\\b((?:retrainer|jvm)_[a-z0-9_]+)\\b");

    static Main.Running app;
    static String db;
    static Process prometheus;
    static Path promDir;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create();
        app = Main.start(PlatformConfig.local(Files.createTempDirectory("prom-data"), db, Files.createTempDirectory("prom-plugins")));
        assertEquals(201, post("/api/pipelines", """
                name: scraped
                source: { plugin: test-v2-mixed-data }
                train: { plugin: test-v2-mixed }
                deploy: { plugin: test-serving, config: { endpoint: scraped } }
                """).statusCode());
        long id = new JsonObject(post("/api/pipelines/scraped/runs", "").body()).getLong("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!new JsonObject(get(base() + "/api/runs/" + id).body()).getString("status").equals("succeeded")) {
            assertTrue(System.nanoTime() < deadline, "run " + id + " did not succeed");
            Thread.sleep(50);
        }
        assertEquals(200, post("/v2/models/scraped/infer", new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "x").put("datatype", "FP64").put("shape", new JsonArray().add(1)).put("data", new JsonArray().add(0.3)))
                .add(new JsonObject().put("name", "z").put("datatype", "FP64").put("shape", new JsonArray().add(1))
                        .put("data", new JsonArray().add(0.3)))
                .add(new JsonObject().put("name", "color").put("datatype", "BYTES").put("shape", new JsonArray().add(1))
                        .put("data", new JsonArray().add("red")))).encode()).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (app != null) {
            app.stop();
        }
        TestDatabases.drop(db);
    }

    @Test
    void theDashboardParsesAndUsesOnlyMetricsThePlatformExports() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertEquals("retrainer", dashboard.getString("uid"));
        List<String> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 30, "queries: " + exprs.size());
        Set<Integer> ids = new HashSet<>();
        for (Object o : dashboard.getJsonArray("panels")) {
            JsonObject panel = (JsonObject) o;
            assertTrue(ids.add(panel.getInteger("id")), "duplicate panel id " + panel.getInteger("id"));
            assertTrue(panel.getJsonObject("gridPos").getInteger("w") <= 24, panel.getString("title"));
            if (!"row".equals(panel.getString("type"))) {
                assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
                assertTrue(!panel.getJsonArray("targets").isEmpty(), panel.getString("title"));
            }
        }

        Set<String> exported = new TreeSet<>();
        for (String line : get(base() + "/metrics").body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                exported.add(line.split(" ")[2]);
            }
        }
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                used.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "the dashboard queries metrics /metrics does not export");
        for (String family : List.of("retrainer_predictions_total", "retrainer_prediction_latency_seconds", "retrainer_live_quality",
                "retrainer_drift_psi", "retrainer_drift_ks", "retrainer_runs_total", "retrainer_triggers_total",
                "retrainer_stage_duration_seconds", "retrainer_rollout_traffic_percent", "retrainer_rollouts_total",
                "retrainer_notifications_total")) {
            assertTrue(used.contains(family), "the dashboard shows " + family);
        }
    }

    @Test
    void promtoolAcceptsTheShippedConfig() throws Exception {
        Path promtool = binary("promtool").orElse(null);
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "config", PROMETHEUS_YML.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void aRealPrometheusScrapesThePlatformAndEveryDashboardQueryEvaluates() throws Exception {
        Path binary = binary("prometheus").orElse(null);
        Assumptions.assumeTrue(binary != null, "prometheus is not installed (Debian: apt-get install prometheus)");
        promDir = Files.createTempDirectory("prometheus");
        // The shipped config, pointed at this test's platform and scraping every second.
        String config = Files.readString(PROMETHEUS_YML)
                .replace("localhost:8080", "127.0.0.1:" + app.port())
                .replaceAll("(scrape|evaluation)_interval: 15s", "$1_interval: 1s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 1s");
        assertTrue(config.contains("127.0.0.1:" + app.port()), config);
        Path yml = promDir.resolve("prometheus.yml");
        Files.writeString(yml, config);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + yml, "--storage.tsdb.path=" + promDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(promDir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + port;

        JsonArray runs = awaitResult(api, "retrainer_runs_total{pipeline=\"scraped\",status=\"succeeded\"}");
        assertEquals("1", runs.getJsonObject(0).getJsonArray("value").getString(1));
        assertEquals("retrainer", runs.getJsonObject(0).getJsonObject("metric").getString("job"));
        assertEquals("1", awaitResult(api, "retrainer_predictions_total{endpoint=\"scraped\"}").getJsonObject(0)
                .getJsonArray("value").getString(1));

        List<String> problems = new ArrayList<>();
        for (String expr : expressions(new JsonObject(Files.readString(DASHBOARD)))) {
            String concrete = expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "1m")
                    .replace("$endpoint", ".*").replace("$pipeline", ".*");
            HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(concrete, StandardCharsets.UTF_8));
            if (r.statusCode() != 200 || !"success".equals(new JsonObject(r.body()).getString("status"))) {
                problems.add(expr + " -> " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every PromQL expression of the dashboard: panel targets and annotations (template variables use Grafana's own syntax). */
    static List<String> expressions(JsonObject dashboard) {
        Set<String> out = new LinkedHashSet<>();
        for (Object o : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) o).getJsonArray("targets");
            if (targets != null) {
                targets.forEach(t -> out.add(((JsonObject) t).getString("expr")));
            }
        }
        for (Object o : dashboard.getJsonObject("annotations").getJsonArray("list")) {
            String expr = ((JsonObject) o).getString("expr");
            if (expr != null) {
                out.add(expr);
            }
        }
        for (Object o : dashboard.getJsonObject("templating").getJsonArray("list")) {
            JsonObject v = (JsonObject) o;
            if ("query".equals(v.getString("type"))) {
                // label_values(metric, label): the metric must exist, checked like the others.
                out.add(v.getString("definition").replaceAll("label_values\\(([a-z_]+), *[a-z_]+\\)", "$1"));
            }
        }
        return List.copyOf(out);
    }

    /** Polls an instant query until it has a result (the first scrapes take a moment). */
    static JsonArray awaitResult(String api, String query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
                last = r.body();
                if (r.statusCode() == 200) {
                    JsonArray result = new JsonObject(r.body()).getJsonObject("data").getJsonArray("result");
                    if (!result.isEmpty()) {
                        return result;
                    }
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus never returned " + query + "; last answer: " + last + "; log: "
                + (promDir == null ? "" : Files.readString(promDir.resolve("prometheus.log"))));
    }

    static Optional<Path> binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String base() {
        return "http://127.0.0.1:" + app.port();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        String type = body.startsWith("{") ? "application/json" : "application/yaml";
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
