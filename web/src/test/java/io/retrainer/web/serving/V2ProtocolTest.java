package io.retrainer.web.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol (KServe V2 REST) against a real platform on PostgreSQL: metadata,
 * readiness, inference by column tensors and by one 2-D tensor, version pinning including a canary,
 * and every error case with its status and message.
 */
class V2ProtocolTest {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Main.Running app;
    static String db;

    static String pipeline(String name, String sourceConfig, String trainConfig) {
        return """
                name: %s
                source: { plugin: test-v2-mixed-data, config: %s }
                train: { plugin: test-v2-mixed, config: %s }
                deploy: { plugin: test-serving, config: { endpoint: %s } }
                """.formatted(name, sourceConfig, trainConfig, name);
    }

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create();
        app = Main.start(PlatformConfig.local(Files.createTempDirectory("v2-data"), db, Files.createTempDirectory("v2-plugins")));
        assertEquals(201, post("/api/pipelines", "application/yaml", pipeline("mixed", "{}", "{}")).statusCode());
        assertEquals(201, post("/api/pipelines", "application/yaml", pipeline("sums", "{ color: false }", "{ regression: true }"))
                .statusCode());
        assertEquals(201, post("/api/pipelines", "application/yaml", pipeline("idle", "{}", "{}")).statusCode());
        runToSuccess("mixed");
        runToSuccess("sums");
    }

    static void runToSuccess(String pipeline) throws Exception {
        long id = new JsonObject(post("/api/pipelines/" + pipeline + "/runs", null, "").body()).getLong("id");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!new JsonObject(get("/api/runs/" + id).body()).getString("status").equals("succeeded")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(get("/api/runs/" + id).body());
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        TestDatabases.drop(db);
    }

    // ---- server and model metadata, readiness ------------------------------------------------

    @Test
    void serverMetadataAndHealth() throws Exception {
        JsonObject server = ok(get("/v2"));
        assertEquals("retrainer", server.getString("name"));
        assertTrue(server.getString("version") != null && !server.getString("version").isEmpty());
        assertEquals(new JsonArray(), server.getJsonArray("extensions"));
        assertEquals(true, ok(get("/v2/health/live")).getBoolean("live"));
        assertEquals(true, ok(get("/v2/health/ready")).getBoolean("ready"));
        assertError(get("/v2/nothing/here"), 404, "no Open Inference Protocol route GET /v2/nothing/here");
    }

    @Test
    void modelMetadataDescribesInputsAndOutputs() throws Exception {
        JsonObject m = ok(get("/v2/models/mixed"));
        assertEquals("mixed", m.getString("name"));
        assertEquals(new JsonArray().add("1"), m.getJsonArray("versions"));
        assertEquals("retrainer/test-v2-mixed", m.getString("platform"));
        assertEquals(new JsonArray()
                .add(spec("x", "FP64", -1)).add(spec("z", "FP64", -1)).add(spec("color", "BYTES", -1)), m.getJsonArray("inputs"));
        assertEquals(new JsonArray()
                .add(spec("predict", "BYTES", -1)).add(spec("probabilities", "FP64", -1, 2)).add(spec("prediction_ids", "BYTES", -1)),
                m.getJsonArray("outputs"));
        assertEquals(List.of("high", "low"), m.getJsonObject("parameters").getJsonArray("classes").getList());
        assertEquals("mixed", m.getJsonObject("parameters").getString("registered_model"));
        assertEquals(m, ok(get("/v2/models/mixed/versions/1")));

        JsonObject sums = ok(get("/v2/models/sums"));
        assertEquals(new JsonArray().add(spec("predict", "FP64", -1)).add(spec("prediction_ids", "BYTES", -1)),
                sums.getJsonArray("outputs"), "a regressor has no probabilities");
        assertEquals("regression", sums.getJsonObject("parameters").getString("task"));

        assertError(get("/v2/models/nope"), 404, "no model called 'nope'");
        assertError(get("/v2/models/idle"), 503, "model 'idle' has no version deployed yet; run its pipeline first");
        assertError(get("/v2/models/mixed/versions/4"), 404, "model 'mixed' has no version 4 serving (serving: 1)");
        assertError(get("/v2/models/mixed/versions/latest"), 400, "version must be a whole number, got 'latest'");
    }

    @Test
    void modelReadiness() throws Exception {
        JsonObject ready = ok(get("/v2/models/mixed/ready"));
        assertEquals(true, ready.getBoolean("ready"));
        assertEquals("1", ready.getString("version"));
        assertEquals(true, ok(get("/v2/models/mixed/versions/1/ready")).getBoolean("ready"));
        HttpResponse<String> idle = get("/v2/models/idle/ready");
        assertEquals(503, idle.statusCode());
        assertEquals(false, new JsonObject(idle.body()).getBoolean("ready"));
        assertEquals(404, get("/v2/models/nope/ready").statusCode());
        assertEquals(404, get("/v2/models/mixed/versions/9/ready").statusCode());
    }

    // ---- inference ---------------------------------------------------------------------------

    @Test
    void infersFromOneTensorPerColumnWithBytesForCategoricalsAndEchoesTheId() throws Exception {
        Double before = predictions("mixed");
        JsonObject req = new JsonObject().put("id", "req-42").put("parameters", new JsonObject().put("anything", 1))
                .put("inputs", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {3}, 0.9, 0.1, 0.2))
                        .add(tensor("z", "FP32", new long[] {3, 1}, 0.5, 0.1, 0.1))
                        .add(tensor("color", "BYTES", new long[] {3}, "blue", "blue", "red")));
        JsonObject answer = ok(post("/v2/models/mixed/infer", "application/json", req.encode()));
        assertEquals("req-42", answer.getString("id"));
        assertEquals("mixed", answer.getString("model_name"));
        assertEquals("1", answer.getString("model_version"));
        Map<String, JsonObject> outputs = outputs(answer);
        assertEquals(List.of("predict", "probabilities", "prediction_ids"), List.copyOf(outputs.keySet()));
        JsonObject predict = outputs.get("predict");
        assertEquals("BYTES", predict.getString("datatype"));
        assertEquals(List.of(3), predict.getJsonArray("shape").getList());
        assertEquals(List.of("high", "low", "high"), predict.getJsonArray("data").getList());
        JsonObject probabilities = outputs.get("probabilities");
        assertEquals(List.of(3, 2), probabilities.getJsonArray("shape").getList());
        assertEquals(List.of(0.9, 0.1, 0.2, 0.8, 0.9, 0.1), probabilities.getJsonArray("data").getList());
        assertEquals(List.of("high", "low"), probabilities.getJsonObject("parameters").getJsonArray("classes").getList());
        JsonArray ids = outputs.get("prediction_ids").getJsonArray("data");
        assertEquals(3, new HashSet<>(ids.getList()).size(), "one distinct prediction id per row: " + ids);
        assertEquals(before + 3, predictions("mixed"), "V2 predictions go through the same serving path and metrics");
    }

    @Test
    void infersFromOne2dTensorInInputColumnOrderFlatOrNested() throws Exception {
        JsonObject flat = new JsonObject().put("inputs", new JsonArray()
                .add(tensor("input-0", "FP32", new long[] {2, 2}, 1.0, 2.0, 0.25, 0.5)));
        JsonObject answer = ok(post("/v2/models/sums/infer", "application/json", flat.encode()));
        JsonObject predict = outputs(answer).get("predict");
        assertEquals("FP64", predict.getString("datatype"));
        assertEquals(List.of(3.0, 0.75), predict.getJsonArray("data").getList());
        assertNull(answer.getValue("id"), "no id asked, none echoed");
        assertEquals(List.of("predict", "prediction_ids"), List.copyOf(outputs(answer).keySet()));

        JsonObject nested = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "features")
                .put("datatype", "INT64").put("shape", new JsonArray().add(2).add(2))
                .put("data", new JsonArray().add(new JsonArray().add(1).add(2)).add(new JsonArray().add(3).add(4)))));
        assertEquals(List.of(3.0, 7.0), outputs(ok(post("/v2/models/sums/infer", "application/json", nested.encode())))
                .get("predict").getJsonArray("data").getList());

        // null is a missing value (JSON has no NaN); the model decides what that means.
        JsonObject missing = new JsonObject().put("inputs", new JsonArray()
                .add(new JsonObject().put("name", "x").put("datatype", "FP64").put("shape", new JsonArray().add(1))
                        .put("data", new JsonArray().addNull()))
                .add(tensor("z", "FP64", new long[] {1}, 0.5)));
        assertEquals(List.of(0.5), outputs(ok(post("/v2/models/sums/infer", "application/json", missing.encode())))
                .get("predict").getJsonArray("data").getList());
    }

    @Test
    void requestedOutputsNarrowTheAnswerButPredictionIdsAlwaysComeBack() throws Exception {
        JsonObject req = mixedRequest().put("outputs", new JsonArray().add(new JsonObject().put("name", "predict")));
        assertEquals(List.of("predict", "prediction_ids"), List.copyOf(outputs(ok(post("/v2/models/mixed/infer", "application/json",
                req.encode()))).keySet()));
        assertError(post("/v2/models/mixed/infer", "application/json",
                        mixedRequest().put("outputs", new JsonArray().add(new JsonObject().put("name", "logits"))).encode()), 400,
                "outputs[0].name: unknown output \"logits\"; this model has [predict, probabilities, prediction_ids]");
    }

    @Test
    void aPinnedVersionIsServedOnlyWhileItIsStableOrCanary() throws Exception {
        assertEquals("1", ok(post("/v2/models/mixed/versions/1/infer", "application/json", mixedRequest().encode()))
                .getString("model_version"));
        assertError(post("/v2/models/mixed/versions/2/infer", "application/json", mixedRequest().encode()), 404,
                "model 'mixed' has no version 2 serving (serving: 1)");

        // A second version of sums goes live; version 1 comes back as a canary with 0 % of traffic.
        runToSuccess("sums");
        var serving = app.platform().serving();
        var v1 = Db.await(app.platform().registry().version("sums", 1)).ref();
        String canarySlot = serving.startCanary("sums", serving.load(v1), 0);
        try {
            assertEquals(List.of("1", "2"), ok(get("/v2/models/sums")).getJsonArray("versions").getList());
            JsonObject req = new JsonObject().put("inputs", new JsonArray().add(tensor("m", "FP64", new long[] {1, 2}, 1.0, 1.0)));
            JsonObject pinned = ok(post("/v2/models/sums/versions/1/infer", "application/json", req.encode()));
            assertEquals("1", pinned.getString("model_version"));
            assertEquals(canarySlot, pinned.getJsonObject("parameters").getString("slot"));
            JsonObject unpinned = ok(post("/v2/models/sums/infer", "application/json", req.encode()));
            assertEquals("2", unpinned.getString("model_version"), "the canary has 0 % of unpinned traffic");
            assertNotEquals(canarySlot, unpinned.getJsonObject("parameters").getString("slot"));
            assertEquals(List.of("1"), ok(get("/v2/models/sums/versions/1")).getJsonArray("versions").getList());
        } finally {
            serving.dropCanary("sums");
        }
        assertError(post("/v2/models/sums/versions/1/infer", "application/json", mixedRequest().encode()), 404,
                "model 'sums' has no version 1 serving (serving: 2)");
    }

    // ---- errors ------------------------------------------------------------------------------

    @Test
    void shapeAndDatatypeErrorsNameTheTensorAndField() throws Exception {
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {3}, 0.1, 0.2, 0.3))
                        .add(tensor("z", "FP64", new long[] {3}, 0.1, 0.2, 0.3))
                        .add(tensor("extra", "FP64", new long[] {3, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
                "inputs[2].data: expected 12 values for shape [3,4], got 11");
        assertInferError("mixed", new JsonArray().add(tensor("x", "FP64", new long[] {2}, 0.1, "abc")),
                "inputs[0].data[1]: expected FP64 (a number), got \"abc\"");
        assertInferError("mixed", new JsonArray().add(tensor("color", "BYTES", new long[] {1}, 7)),
                "inputs[0].data[0]: expected BYTES (a string), got 7");
        assertInferError("mixed", new JsonArray().add(tensor("x", "INT8", new long[] {1}, 300)),
                "inputs[0].data[0]: expected INT8 (a whole number in range), got 300");
        assertInferError("mixed", new JsonArray().add(tensor("x", "UINT8", new long[] {1}, 1.5)),
                "inputs[0].data[0]: expected UINT8 (a whole number >= 0 in range), got 1.5");
        assertInferError("mixed", new JsonArray().add(tensor("x", "BOOL", new long[] {1}, 1)),
                "inputs[0].data[0]: expected BOOL (true or false), got 1");
        assertInferError("mixed", new JsonArray().add(tensor("x", "FLOAT", new long[] {1}, 1.0)),
                "inputs[0].datatype: unknown datatype \"FLOAT\" (known: BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, "
                        + "INT64, FP16, FP32, FP64, BYTES)");
        assertInferError("mixed", new JsonArray().add(new JsonObject().put("name", "x").put("datatype", "FP64")
                        .put("shape", new JsonArray().add(-1)).put("data", new JsonArray().add(1.0))),
                "inputs[0].shape[0]: expected a non-negative whole number, got -1");
        assertInferError("mixed", new JsonArray().add(new JsonObject().put("name", "x").put("datatype", "FP64")
                        .put("shape", new JsonArray().add(1))),
                "inputs[0].data: missing");
        assertInferError("mixed", new JsonArray().add(new JsonObject().put("datatype", "FP64")
                        .put("shape", new JsonArray().add(1)).put("data", new JsonArray().add(1))),
                "inputs[0].name: expected a string, got nothing");
        assertInferError("mixed", new JsonArray().add(tensor("x", "FP64", new long[] {100_000, 100_000}, 1.0)),
                "inputs[0].shape: [100000,100000] is more than the 30000 values allowed in one request");
    }

    @Test
    void columnMappingErrorsNameTheColumn() throws Exception {
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "BYTES", new long[] {1}, "0.5"))
                        .add(tensor("z", "FP64", new long[] {1}, 0.5))
                        .add(tensor("color", "BYTES", new long[] {1}, "red")),
                "inputs[0].datatype: BYTES cannot fill numeric column 'x'; send FP32 or FP64");
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {1}, 0.5))
                        .add(tensor("z", "FP64", new long[] {1}, 0.5))
                        .add(tensor("color", "FP64", new long[] {1}, 1.0)),
                "inputs[2].datatype: FP64 cannot fill categorical column 'color'; send BYTES");
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {1}, 0.5))
                        .add(tensor("color", "BYTES", new long[] {1}, "red")),
                "inputs: no tensor for column 'z'; the model takes [x, z, color]");
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {1}, 0.5))
                        .add(tensor("q", "FP64", new long[] {1}, 0.5)),
                "inputs[1].name: unknown column \"q\"; the model takes [x, z, color] (one tensor each, or a single 2-D tensor "
                        + "[rows, 3] in that order)");
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {1}, 0.5))
                        .add(tensor("x", "FP64", new long[] {1}, 0.5)),
                "inputs[1].name: tensor \"x\" appears twice");
        assertInferError("mixed", new JsonArray()
                        .add(tensor("x", "FP64", new long[] {2}, 0.5, 0.1))
                        .add(tensor("z", "FP64", new long[] {1}, 0.5))
                        .add(tensor("color", "BYTES", new long[] {1}, "red")),
                "inputs[1].shape: 1 rows, but inputs[0] (x) has 2");
        assertInferError("mixed", new JsonArray().add(tensor("x", "FP64", new long[] {1, 2}, 0.5, 0.1)),
                "inputs[0].shape: a column tensor must be [rows] or [rows,1], got [1,2]");
        assertInferError("mixed", new JsonArray().add(tensor("m", "FP64", new long[] {1, 3}, 0.5, 0.1, 0.2)),
                "inputs[0].datatype: FP64 cannot fill categorical column 'color'; send BYTES in a tensor of its own");
        assertInferError("sums", new JsonArray().add(tensor("m", "FP64", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)),
                "inputs[0].shape: [2,3] has 3 values per row; the model takes 2 columns in this order: [x, z]");
        assertInferError("sums", new JsonArray().add(tensor("m", "FP64", new long[] {0, 2})), "inputs: no rows to predict");
    }

    @Test
    void malformedRequestsUnknownModelsAndIdleEndpoints() throws Exception {
        assertError(post("/v2/models/mixed/infer", "application/json", "{}"), 400,
                "inputs: missing; send a list of tensors, one per column [x, z, color] or one 2-D tensor [rows, 3]");
        assertError(post("/v2/models/mixed/infer", "application/json", "{\"inputs\": []}"), 400,
                "inputs: empty; send one tensor per column [x, z, color] or one 2-D tensor [rows, 3]");
        assertError(post("/v2/models/mixed/infer", "application/json", "{\"inputs\": {}}"), 400,
                "inputs: expected a list, got an object");
        assertError(post("/v2/models/mixed/infer", "application/json", mixedRequest().put("id", 5).encode()), 400,
                "id: expected a string, got 5");
        assertError(post("/v2/models/mixed/infer", "application/json", "[1]"), 400, "body must be a JSON object");
        assertError(post("/v2/models/mixed/infer", "application/json", ""), 400, "empty body: send a JSON object with \"inputs\"");
        HttpResponse<String> notJson = post("/v2/models/mixed/infer", "application/json", "{inputs");
        assertEquals(400, notJson.statusCode());
        assertTrue(new JsonObject(notJson.body()).getString("error").startsWith("body is not valid JSON"), notJson.body());
        assertError(post("/v2/models/nope/infer", "application/json", mixedRequest().encode()), 404, "no model called 'nope'");
        assertError(post("/v2/models/idle/infer", "application/json", mixedRequest().encode()), 503,
                "model 'idle' has no version deployed yet; run its pipeline first");
        assertError(post("/v2/models/mixed/versions/x/infer", "application/json", mixedRequest().encode()), 400,
                "version must be a whole number, got 'x'");
    }

    // ---- helpers -----------------------------------------------------------------------------

    static JsonObject mixedRequest() {
        return new JsonObject().put("inputs", new JsonArray()
                .add(tensor("x", "FP64", new long[] {1}, 0.1))
                .add(tensor("z", "FP64", new long[] {1}, 0.1))
                .add(tensor("color", "BYTES", new long[] {1}, "blue")));
    }

    static JsonObject tensor(String name, String datatype, long[] shape, Object... data) {
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        return new JsonObject().put("name", name).put("datatype", datatype).put("shape", s).put("data", new JsonArray(List.of(data)));
    }

    static JsonObject spec(String name, String datatype, long... shape) {
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        return new JsonObject().put("name", name).put("datatype", datatype).put("shape", s);
    }

    static Map<String, JsonObject> outputs(JsonObject answer) {
        return answer.getJsonArray("outputs").stream().map(o -> (JsonObject) o)
                .collect(Collectors.toMap(o -> o.getString("name"), o -> o, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Rows predicted at {@code endpoint}, summed over its slots. */
    static Double predictions(String endpoint) {
        double total = 0;
        for (String slot : List.of("blue", "green")) {
            Double v = app.platform().metrics().registry().getSampleValue("retrainer_predictions_total",
                    new String[] {"endpoint", "slot"}, new String[] {endpoint, slot});
            total += v == null ? 0.0 : v;
        }
        return total;
    }

    static void assertInferError(String model, JsonArray inputs, String message) throws Exception {
        assertError(post("/v2/models/" + model + "/infer", "application/json", new JsonObject().put("inputs", inputs).encode()), 400,
                message);
    }

    static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return new JsonObject(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, new JsonObject(r.body()).getString("error"));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
