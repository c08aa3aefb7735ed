package io.retrainer.web.api;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad input of the REST API and the inference endpoint gets its status and a message
 * naming what is wrong. Real platform and PostgreSQL; the test extensions of platform-core stand
 * in for plugins.
 */
class ApiAndServingTest {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Main.Running app;
    static String db;

    static final String PIPELINE = """
            name: thresholds
            source: { plugin: test-threshold-data, config: { rows: 300 } }
            train: { plugin: test-threshold }
            evaluate: [ { plugin: test-accuracy-gate } ]
            deploy: { plugin: test-serving, config: { endpoint: thresholds } }
            """;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create();
        app = Main.start(PlatformConfig.local(Files.createTempDirectory("web-data"), db, Files.createTempDirectory("web-plugins")));
        assertEquals(201, post("/api/pipelines", "application/yaml", PIPELINE).statusCode());
        long id = new JsonObject(post("/api/pipelines/thresholds/runs", null, "").body()).getLong("id");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!new JsonObject(get("/api/runs/" + id).body()).getString("status").equals("succeeded")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(get("/api/runs/" + id).body());
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        app.stop();
        TestDatabases.drop(db);
    }

    @Test
    void invalidPipelinesAreRefusedWithEveryProblemByPath() throws Exception {
        HttpResponse<String> bad = post("/api/pipelines", "application/yaml",
                PIPELINE.replace("test-threshold }", "test-threshold, config: { fixed: \"ten\", depth: 3 } }"));
        assertEquals(400, bad.statusCode());
        JsonArray problems = new JsonObject(bad.body()).getJsonArray("problems");
        assertTrue(problems.contains("train.config.fixed: expected number, got \"ten\""), problems.encode());
        assertTrue(problems.contains("train.config.depth: unknown setting (known: fixed, wait_for_cancel, broken)"), problems.encode());

        HttpResponse<String> yamlSyntax = post("/api/pipelines", "application/yaml", "name: [unclosed");
        assertEquals(400, yamlSyntax.statusCode());
        assertTrue(new JsonObject(yamlSyntax.body()).getJsonArray("problems").getString(0).startsWith("line "), yamlSyntax.body());

        HttpResponse<String> wrongType = post("/api/pipelines", "text/plain", PIPELINE);
        assertEquals(415, wrongType.statusCode());
        assertEquals("Content-Type must be application/yaml or application/json, got 'text/plain'",
                new JsonObject(wrongType.body()).getString("error"));
        assertEquals(400, post("/api/pipelines", "application/json", "").statusCode());
    }

    @Test
    void jsonDefinitionsAndRevisionsWork() throws Exception {
        String json = new JsonObject().put("name", "from-json")
                .put("source", new JsonObject().put("plugin", "test-threshold-data"))
                .put("train", new JsonObject().put("plugin", "test-threshold")).encode();
        HttpResponse<String> created = post("/api/pipelines", "application/json", json);
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> again = post("/api/pipelines", "application/json", json);
        assertEquals(200, again.statusCode());
        assertEquals(1, new JsonObject(again.body()).getInteger("revision"));
        HttpResponse<String> export = get("/api/pipelines/from-json/export");
        assertEquals("application/json", export.headers().firstValue("Content-Type").orElse(""));
        assertEquals(json, export.body());
    }

    @Test
    void unknownThingsAre404AndMalformedIdsAre400() throws Exception {
        assertError(get("/api/pipelines/nope"), 404, "no pipeline called 'nope'");
        assertError(post("/api/pipelines/nope/runs", null, ""), 404, "no pipeline called 'nope'");
        assertError(get("/api/runs/987654"), 404, "no run with id 987654");
        assertError(get("/api/runs/abc"), 400, "id must be a non-negative whole number, got 'abc'");
        assertError(get("/api/models/nope/versions"), 404, "no model called 'nope'");
        assertError(get("/api/models/thresholds/versions/9"), 404, "model thresholds has no version 9");
        assertError(post("/api/runs/1/cancel", null, ""), 409, "run 1 has already succeeded");
    }

    @Test
    void inferenceErrorsNameTheField() throws Exception {
        String ok = "{\"dataframe_records\": [{\"x\": 0.9}, {\"x\": 0.1}]}";
        HttpResponse<String> good = post("/serving/thresholds/invocations", "application/json", ok);
        assertEquals(200, good.statusCode(), good.body());
        JsonObject answer = new JsonObject(good.body());
        assertEquals("high", answer.getJsonArray("predictions").getJsonObject(0).getString("label"));
        assertEquals(2, answer.getJsonArray("prediction_ids").size());

        assertError(post("/serving/thresholds/invocations", "application/json", "{\"dataframe_records\": [{}]}"), 400,
                "dataframe_records[0]: missing column 'x'");
        assertError(post("/serving/thresholds/invocations", "application/json", "{\"dataframe_records\": [{\"x\": 1, \"q\": 2}]}"),
                400, "dataframe_records[0].q: unknown column; the model takes [x]");
        assertError(post("/serving/thresholds/invocations", "application/json", "{\"instances\": [{\"x\": \"abc\"}]}"), 400,
                "instances[0].x: expected a number, got \"abc\"");
        assertError(post("/serving/thresholds/invocations", "application/json",
                "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1, 2]]}}"), 400, "dataframe_split.data[0]: has 2 values for 1 columns");
        assertError(post("/serving/thresholds/invocations", "application/json", "{\"inputs\": [], \"instances\": []}"), 400,
                "request must have exactly one of dataframe_split, dataframe_records, instances, inputs; got [inputs, instances]");
        HttpResponse<String> notJson = post("/serving/thresholds/invocations", "application/json", "{x");
        assertEquals(400, notJson.statusCode());
        assertTrue(new JsonObject(notJson.body()).getString("error").startsWith("body is not valid JSON"), notJson.body());
        assertError(post("/serving/nowhere/invocations", "application/json", ok), 404, "no endpoint called 'nowhere'");

        assertEquals(201, post("/api/pipelines", "application/yaml",
                PIPELINE.replace("name: thresholds", "name: idle").replace("endpoint: thresholds", "endpoint: idle")).statusCode());
        assertError(post("/serving/idle/invocations", "application/json", ok), 503,
                "endpoint 'idle' has no model deployed yet; run its pipeline first");
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("retrainer_runs_total{pipeline=\"thresholds\",status=\"succeeded\",} 1.0"), metrics.body());
        JsonArray plugins = new JsonArray(get("/api/plugins").body());
        assertTrue(plugins.encode().contains("\"test-threshold\""), plugins.encode());
    }

    static void assertError(HttpResponse<String> r, int status, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, new JsonObject(r.body()).getString("error"));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }
}
