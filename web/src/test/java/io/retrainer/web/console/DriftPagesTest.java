package io.retrainer.web.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.web.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drift page over real HTTP: a model trained on SEA-like rows (test extensions from
 * platform-core's test jar) is deployed, rows with {@code f1} shifted by 3 go through
 * {@code /serving/{endpoint}/invocations}, and the page shows f1 (and the output) drifting with
 * a chart, the other features stable.
 */
class DriftPagesTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static Main.Running app;
    static String db;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create();
        app = Main.start(PlatformConfig.local(Files.createTempDirectory("web-data"), db, Files.createTempDirectory("web-plugins")));
        String pipeline = """
                name: sea
                source: { plugin: test-sea, config: { rows: 4000 } }
                train: { plugin: test-sea-sum }
                deploy: { plugin: test-serving, config: { endpoint: sea } }
                """;
        assertEquals(201, send("POST", "/api/pipelines", "application/yaml", pipeline).statusCode());
        long id = new JsonObject(send("POST", "/api/pipelines/sea/runs", null, "").body()).getLong("id");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!new JsonObject(send("GET", "/api/runs/" + id, null, null).body()).getString("status").equals("succeeded")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(send("GET", "/api/runs/" + id, null, null).body());
            }
            Thread.sleep(50);
        }
        Random r = new Random(5);
        for (int request = 0; request < 10; request++) {
            JsonArray rows = new JsonArray();
            for (int i = 0; i < 200; i++) {
                String color = r.nextDouble() < 0.5 ? "red" : r.nextDouble() < 0.6 ? "green" : "blue";
                rows.add(new JsonArray().add(10 * r.nextDouble() + 3).add(10 * r.nextDouble()).add(10 * r.nextDouble()).add(color));
            }
            JsonObject body = new JsonObject().put("dataframe_split", new JsonObject()
                    .put("columns", new JsonArray().add("f1").add("f2").add("f3").add("color")).put("data", rows));
            HttpResponse<String> res = send("POST", "/serving/sea/invocations", "application/json", body.encode());
            assertEquals(200, res.statusCode(), res.body());
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        TestDatabases.drop(db);
    }

    static HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The traffic-light class of {@code feature}'s row. */
    static String light(String html, String feature) {
        Matcher m = Pattern.compile("<td class=\"strong\">" + Pattern.quote(feature)
                + "</td>\\s*<td>[a-z]+</td>\\s*<td><span class=\"drift-light drift-(ok|warn|alert|none)\">").matcher(html);
        assertTrue(m.find(), "no row for " + feature + " in " + html);
        return m.group(1);
    }

    @Test
    void theShiftedFeatureAndTheOutputShowAsDriftingWithCharts() throws Exception {
        HttpResponse<String> page = send("GET", "/endpoints/sea/drift", null, null);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("Drift of <span>sea</span>"), html);
        assertEquals("alert", light(html, "f1"));
        assertEquals("ok", light(html, "f2"));
        assertEquals("ok", light(html, "f3"));
        assertEquals("ok", light(html, "color"));
        assertEquals("alert", light(html, "model output"));
        // One chart per feature and output, with reference and live bars side by side.
        assertEquals(5, html.split("<svg class=\"drift-chart\"", -1).length - 1);
        assertTrue(html.contains("class=\"ref\"") && html.contains("class=\"live\""), html);
        assertTrue(html.contains("(unseen): reference 0.0 %, live 0.0 %"), html);
        assertTrue(html.contains("2 of 5 drifting"), html);
        assertTrue(!html.contains("<script"), "no JavaScript");
    }

    @Test
    void otherWindowsWorkAndBadInputIsAnErrorPage() throws Exception {
        assertEquals(200, send("GET", "/endpoints/sea/drift?window=24h", null, null).statusCode());
        HttpResponse<String> bad = send("GET", "/endpoints/sea/drift?window=soon", null, null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("window: expected minutes or hours such as 15m, 1h or 24h, got &quot;soon&quot;"), bad.body());
        HttpResponse<String> unknown = send("GET", "/endpoints/nowhere/drift", null, null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("endpoint &#39;nowhere&#39; does not exist"), unknown.body());
    }
}
