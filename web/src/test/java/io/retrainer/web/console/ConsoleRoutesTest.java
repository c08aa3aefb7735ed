package io.retrainer.web.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.Platform;
import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.pipeline.PipelineParser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against a real platform (fresh database on the test PostgreSQL, no plugins) over
 * real HTTP: empty states, the editor's invalid path, error pages.
 */
class ConsoleRoutesTest {
    @TempDir
    static Path temp;

    private static Vertx vertx;
    private static String dbUrl;
    private static Platform platform;
    private static HttpServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        dbUrl = io.retrainer.core.persistence.TestDatabases.create();
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        PlatformConfig config = PlatformConfig.local(temp.resolve("data"), dbUrl, plugins);
        platform = Platform.start(config, vertx);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        new ConsoleRoutes(platform, vertx).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (platform != null) {
            platform.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (dbUrl != null) {
            io.retrainer.core.persistence.TestDatabases.drop(dbUrl);
        }
    }

    @Test
    void dashboardListsPipelinesAndEndpoints() throws Exception {
        HttpResponse<String> res = get("/");
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String body = res.body();
        assertTrue(body.startsWith("<!DOCTYPE html>"), body);
        assertTrue(body.contains("<title>Pipelines &middot; Retrainer</title>") || body.contains("<title>Pipelines \u00b7 Retrainer</title>"), body);
        assertTrue(body.contains("href=\"/static/console.css\""), body);
        assertTrue(body.contains("No pipelines yet."), body);
        assertTrue(body.contains("href=\"/pipelines/new\""), body);
        assertTrue(body.contains("Served endpoints"), body);
        assertTrue(body.contains("href=\"/models\"") && body.contains("href=\"/plugins\""), "nav links: " + body);
        assertTrue(body.contains("aria-current=\"page\""), "the active nav item is marked");
        assertFalse(body.contains("th:"), "no Thymeleaf attributes leak into the page");
    }

    @Test
    void newPipelineShowsAnEditorWithAnExample() throws Exception {
        HttpResponse<String> res = get("/pipelines/new");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("<textarea id=\"source\" name=\"source\""), res.body());
        assertTrue(res.body().contains("name: my-pipeline"), res.body());
        assertTrue(res.body().contains("action=\"/pipelines\""), res.body());
    }

    @Test
    void invalidDefinitionIsShownAgainWithEveryProblem() throws Exception {
        String source = "# operator's draft <script>alert(1)</script>\nname: Churn Model\nsource: { plugin: nope }\n"
                + "split: { strategy: sideways }\n";
        List<String> problems = platform.pipelines().check(source, PipelineParser.Format.YAML);
        assertTrue(problems.size() >= 2, "the document has several problems: " + problems);

        HttpResponse<String> res = post("/pipelines", Map.of("source", source.replace("\n", "\r\n"), "format", "yaml"));
        assertEquals(400, res.statusCode());
        String body = res.body();
        for (String p : problems) {
            assertTrue(body.contains(escape(p)), "problem listed: " + p + "\n" + body);
        }
        assertTrue(body.contains(escape(source)), "the submitted text is kept (with LF line ends): " + body);
        assertFalse(body.contains("<script>alert(1)</script>"), "the text is escaped");
        assertTrue(body.contains("class=\"alert error\""), body);
    }

    @Test
    void syntaxErrorAndBadFormatAreRejected() throws Exception {
        HttpResponse<String> res = post("/pipelines", Map.of("source", "name: [unclosed", "format", "yaml"));
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("syntax error"), res.body());
        assertTrue(res.body().contains("name: [unclosed"), res.body());

        HttpResponse<String> json = post("/pipelines", Map.of("source", "{ not json", "format", "json"));
        assertEquals(400, json.statusCode());
        assertTrue(json.body().contains("value=\"json\" checked"), "the format choice is kept: " + json.body());

        HttpResponse<String> xml = post("/pipelines", Map.of("source", "<pipeline/>", "format", "xml"));
        assertEquals(400, xml.statusCode());
        assertTrue(xml.body().contains("format: expected yaml or json"), xml.body());

        HttpResponse<String> empty = post("/pipelines", Map.of("source", "  ", "format", "yaml"));
        assertEquals(400, empty.statusCode());
        assertTrue(empty.body().contains("the definition is empty"), empty.body());
    }

    @Test
    void pluginsPageRenders() throws Exception {
        HttpResponse<String> res = get("/plugins");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("<h1>Plugins</h1>"), res.body());
        if (platform.plugins().plugins().isEmpty()) {
            assertTrue(res.body().contains("No plugins loaded."), res.body());
        }
    }

    @Test
    void modelsPageShowsTheEmptyState() throws Exception {
        HttpResponse<String> res = get("/models");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("No models registered yet."), res.body());
    }

    @Test
    void unknownThingsAnswer404Pages() throws Exception {
        HttpResponse<String> pipeline = get("/pipelines/nope");
        assertEquals(404, pipeline.statusCode());
        assertTrue(pipeline.body().contains("no pipeline called &#39;nope&#39;")
                || pipeline.body().contains("no pipeline called 'nope'"), pipeline.body());
        assertTrue(pipeline.body().contains("<h1>Not found</h1>"), pipeline.body());

        assertEquals(404, get("/pipelines/nope/edit").statusCode());
        assertEquals(404, get("/runs/987654").statusCode());
        assertEquals(404, get("/runs/not-a-number").statusCode());
        assertEquals(404, get("/models/nope").statusCode());
        assertEquals(404, post("/pipelines/nope/runs", Map.of()).statusCode());
        assertEquals(404, post("/runs/987654/cancel", Map.of()).statusCode());
        assertEquals(404, post("/models/nope/versions/1/promote", Map.of()).statusCode());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** HTML escaping as Thymeleaf's th:text does it. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
