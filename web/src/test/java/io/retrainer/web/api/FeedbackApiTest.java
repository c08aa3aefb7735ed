package io.retrainer.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.Db;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prediction log, feedback, sampling, live quality and the endpoint console page through
 * HTTP, on a real platform and PostgreSQL with a deliberately small prediction log queue.
 */
class FeedbackApiTest {
    static final int CAPACITY = 200;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Main.Running app;
    static String db;

    static final String PIPELINE = """
            name: fb
            source: { plugin: test-threshold-data, config: { rows: 300 } }
            train: { plugin: test-threshold }
            evaluate: [ { plugin: test-accuracy-gate } ]
            deploy: { plugin: test-serving, config: { endpoint: fb } }
            """;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create();
        app = Main.start(PlatformConfig.local(Files.createTempDirectory("fb-data"), db, Files.createTempDirectory("fb-plugins"))
                .withPredictionLogCapacity(CAPACITY));
        assertEquals(201, send("POST", "/api/pipelines", "application/yaml", PIPELINE).statusCode());
        long id = new JsonObject(send("POST", "/api/pipelines/fb/runs", null, "").body()).getLong("id");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!new JsonObject(send("GET", "/api/runs/" + id, null, null).body()).getString("status").equals("succeeded")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(send("GET", "/api/runs/" + id, null, null).body());
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
    void aBurstLargerThanTheQueueLeavesServingAloneAndCountsEveryDrop() throws Exception {
        double droppedBefore = metric("retrainer_prediction_log_dropped_total{endpoint=\"fb\"}");
        double writtenBefore = metric("retrainer_prediction_log_written_total{endpoint=\"fb\"}");
        long rowsBefore = rows();
        int requests = 200;
        int rowsPerRequest = 100;
        StringBuilder records = new StringBuilder("{\"dataframe_records\": [");
        for (int i = 0; i < rowsPerRequest; i++) {
            records.append(i == 0 ? "" : ",").append("{\"x\": ").append(i / (double) rowsPerRequest).append('}');
        }
        String body = records.append("]}").toString();
        // HTTP/1.1, one connection per request in flight: the whole burst arrives at once.
        HttpClient burst = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            sent.add(burst.sendAsync(request("POST", "/serving/fb/invocations", "application/json", body),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(rowsPerRequest, new JsonObject(r.body()).getJsonArray("prediction_ids").size());
        }
        Db.await(app.platform().monitoring().predictionLog().flush());

        long total = (long) requests * rowsPerRequest;
        double dropped = metric("retrainer_prediction_log_dropped_total{endpoint=\"fb\"}") - droppedBefore;
        double written = metric("retrainer_prediction_log_written_total{endpoint=\"fb\"}") - writtenBefore;
        long stored = rows() - rowsBefore;
        assertTrue(dropped > 0, total + " rows into a queue of " + CAPACITY + " must overflow it");
        assertEquals(total, (long) (dropped + written), "every row is written or counted as dropped");
        assertEquals((long) written, stored, "the written counter matches the rows in the table");
        assertEquals(0, metric("retrainer_prediction_log_write_failed_total{endpoint=\"fb\"}"), 0.0);
    }

    @Test
    void feedbackIsIdempotentKeepsCorrectionsAndReportsUnknownIds() throws Exception {
        List<String> ids = predict(0.9, 0.1);
        String unknown = UUID.randomUUID().toString();
        // Sent right after predicting: the rows may still be queued, and must not be reported unknown.
        JsonArray first = new JsonArray().add(item(ids.get(0), "high")).add(item(unknown, "low")).add(item(ids.get(1), "low"));
        assertEquals(new JsonObject().put("accepted", 2).put("unchanged", 0).put("corrected", 0).put("unknown", new JsonArray().add(unknown)),
                new JsonObject(ok(send("POST", "/api/feedback", "application/json", first.encode()))));
        assertEquals(new JsonObject().put("accepted", 0).put("unchanged", 2).put("corrected", 0).put("unknown", new JsonArray().add(unknown)),
                new JsonObject(ok(send("POST", "/api/feedback", "application/json", first.encode()))));
        JsonObject corrected = new JsonObject(ok(send("POST", "/api/feedback", "application/json", item(ids.get(1), "high").encode())));
        assertEquals(1, corrected.getInteger("corrected"));

        JsonObject history = new JsonObject(ok(send("GET", "/api/feedback/" + ids.get(1), null, null)));
        assertEquals("high", history.getString("label"));
        assertEquals(1, history.getInteger("corrections"));
        JsonArray events = history.getJsonArray("history");
        assertEquals(2, events.size());
        assertEquals("correction", events.getJsonObject(1).getString("kind"));
        assertEquals("low", events.getJsonObject(1).getString("previous_label"));
        assertEquals(404, send("GET", "/api/feedback/" + unknown, null, null).statusCode());
    }

    @Test
    void malformedFeedbackNamesEveryBadItemByIndexAndField() throws Exception {
        String id = predict(0.5).get(0);
        String body = new JsonArray().add(item(id, "high")).add(new JsonObject().put("label", "x")).add(5)
                .add(new JsonObject().put("prediction_id", 12).put("label", "x"))
                .add(new JsonObject().put("prediction_id", id).put("lable", "x"))
                .add(new JsonObject().put("prediction_id", "abc").put("value", "big")).encode();
        HttpResponse<String> bad = send("POST", "/api/feedback", "application/json", body);
        assertEquals(400, bad.statusCode());
        assertEquals(new JsonArray().add("[1].prediction_id: required")
                .add("[2]: expected an object with prediction_id and label or value, got 5")
                .add("[3].prediction_id: expected a string, got 12")
                .add("[4].lable: unknown field (known: label, prediction_id, value)")
                .add("[5].value: expected a number, got \"big\""), new JsonObject(bad.body()).getJsonArray("problems"));
        assertEquals(404, send("GET", "/api/feedback/" + id, null, null).statusCode(), "nothing of a refused request is recorded");

        HttpResponse<String> single = send("POST", "/api/feedback", "application/json", "{\"label\": \"high\"}");
        assertEquals(400, single.statusCode());
        assertEquals(new JsonArray().add("prediction_id: required"), new JsonObject(single.body()).getJsonArray("problems"));
        HttpResponse<String> notJson = send("POST", "/api/feedback", "application/json", "{x");
        assertEquals(400, notJson.statusCode());
        assertTrue(new JsonObject(notJson.body()).getString("error").startsWith("body is not valid JSON"), notJson.body());
        assertEquals("body must be a feedback object or an array of them, got \"x\"",
                new JsonObject(send("POST", "/api/feedback", "application/json", "\"x\"").body()).getString("error"));
    }

    @Test
    void theSamplingRateIsSetPerEndpointAndUnloggedPredictionsAreUnknown() throws Exception {
        assertEquals(1.0, new JsonObject(ok(send("GET", "/api/endpoints/fb/prediction-log", null, null))).getDouble("sample_rate"));
        try {
            assertEquals(0.0, new JsonObject(ok(send("PUT", "/api/endpoints/fb/prediction-log", "application/json",
                    "{\"sample_rate\": 0}"))).getDouble("sample_rate"));
            String id = predict(0.7).get(0);
            JsonObject out = new JsonObject(ok(send("POST", "/api/feedback", "application/json", item(id, "high").encode())));
            assertEquals(new JsonArray().add(id), out.getJsonArray("unknown"), "a prediction sampled out of the log cannot take feedback");
        } finally {
            ok(send("PUT", "/api/endpoints/fb/prediction-log", "application/json", "{\"sample_rate\": 1.0}"));
        }
        assertEquals("sample_rate: must be between 0 and 1, got 1.5", new JsonObject(send("PUT", "/api/endpoints/fb/prediction-log",
                "application/json", "{\"sample_rate\": 1.5}").body()).getString("error"));
        assertEquals(400, send("PUT", "/api/endpoints/fb/prediction-log", "application/json", "{}").statusCode());
        assertEquals(404, send("PUT", "/api/endpoints/nope/prediction-log", "application/json", "{\"sample_rate\": 1}").statusCode());
    }

    @Test
    void liveQualityAndTheEndpointPageShowTheFeedback() throws Exception {
        List<String> ids = predict(0.95, 0.97, 0.02);
        // Two right (high, low), one wrong: the model says high for 0.97, the label says low.
        JsonArray labels = new JsonArray().add(item(ids.get(0), "high")).add(item(ids.get(1), "low")).add(item(ids.get(2), "low"));
        ok(send("POST", "/api/feedback", "application/json", labels.encode()));
        JsonObject q = new JsonObject(ok(send("GET", "/api/endpoints/fb/quality?window=2h", null, null)));
        assertEquals(7200, q.getLong("window_seconds"));
        JsonObject accuracy = q.getJsonObject("metrics").getJsonObject("accuracy");
        var direct = Db.await(app.platform().liveQuality().read("fb", "accuracy", Duration.ofHours(2))).orElseThrow();
        assertEquals(direct.labelled(), accuracy.getLong("labelled"));
        assertEquals(direct.value(), accuracy.getDouble("value"), 1e-12);
        assertTrue(accuracy.getLong("labelled") >= 3);
        assertEquals("window: expected a duration like 15m, 1h or 7d, got \"soon\"",
                new JsonObject(send("GET", "/api/endpoints/fb/quality?window=soon", null, null).body()).getString("error"));

        Db.await(app.platform().monitoring().quality().refresh());
        String slot = app.platform().serving().routing("fb").orElseThrow().stableSlot();
        assertTrue(metric("retrainer_live_labelled{endpoint=\"fb\",model=\"fb\",version=\"1\",slot=\"" + slot + "\"}") >= 3,
                "live quality gauges after a refresh");
        HttpResponse<String> page = send("GET", "/endpoints/fb", null, null);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<section id=\"rollout\""), "a place for the rollout view");
        assertTrue(html.contains("<section id=\"drift\""), "a place for the drift view");
        assertTrue(html.contains("<svg class=\"chart\""), "a chart drawn from the snapshot");
        assertTrue(html.contains("fb v1 (" + slot + ")"), "the chart's legend names the version and slot");
        assertTrue(html.contains("stable"), html);
        assertTrue(send("GET", "/endpoints", null, null).body().contains("href=\"/endpoints/fb\""));
        assertEquals(404, send("GET", "/endpoints/nope", null, null).statusCode());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static List<String> predict(double... xs) throws Exception {
        JsonArray records = new JsonArray();
        for (double x : xs) {
            records.add(new JsonObject().put("x", x));
        }
        JsonObject answer = new JsonObject(ok(send("POST", "/serving/fb/invocations", "application/json",
                new JsonObject().put("dataframe_records", records).encode())));
        List<String> ids = new ArrayList<>();
        answer.getJsonArray("prediction_ids").forEach(id -> ids.add((String) id));
        return ids;
    }

    private static JsonObject item(String id, String label) {
        return new JsonObject().put("prediction_id", id).put("label", label);
    }

    private static long rows() {
        return Db.await(app.platform().database().db().stateless(s -> s.createNativeQuery(
                "select count(*) from prediction where endpoint = 'fb'", Long.class).getSingleResult()));
    }

    private static double metric(String series) throws Exception {
        // simpleclient writes a comma after the last label: {endpoint="fb",}
        String text = send("GET", "/metrics", null, null).body().replace(",}", "}");
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static HttpRequest request(String method, String path, String type, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).timeout(Duration.ofSeconds(60));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return CLIENT.send(request(method, path, type, body), HttpResponse.BodyHandlers.ofString());
    }
}
