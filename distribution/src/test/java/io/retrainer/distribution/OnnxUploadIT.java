package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model trained elsewhere: the onnx plugin's hand-built logistic regression
 * ({@code plugins/onnx/src/test/resources/make_model.py}) uploaded through
 * {@code POST /api/models/{name}/versions}, promoted, followed by an endpoint through the
 * {@code champion} alias and served by the plugin jar as the distribution ships it — also after a
 * restart; and uploads that must be refused, leaving nothing registered.
 */
class OnnxUploadIT {
    private static final Path MODEL = Path.of("..", "plugins", "onnx", "src", "test", "resources", "logistic.onnx");
    /** The weights in make_model.py. */
    private static final double[][] W = {{0.5, -1.25}, {-0.75, 0.25}, {1.5, 0.125}, {-0.25, 2.0}};
    private static final double[] B = {0.1, -0.2};
    private static final String SCHEMA = """
            {"columns": [{"name": "a", "type": "numeric"}, {"name": "b", "type": "numeric"},
                         {"name": "c", "type": "numeric"}, {"name": "d", "type": "numeric"}],
             "label": "outcome", "task": "classification"}""";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void anUploadedOnnxModelIsPromotedFollowedAndServed() throws Exception {
        byte[] model = Files.readAllBytes(MODEL);
        try (Installation app = Installation.start(true)) {
            Http.Response uploaded = upload(app, "scorer", "logistic.onnx", model, Map.of("format", "onnx",
                    "schema", SCHEMA, "metrics", "{\"values\": {\"accuracy\": 0.91}}"));
            assertEquals(201, uploaded.status(), uploaded.body());
            JsonObject v1 = uploaded.json();
            assertEquals(1, v1.getInteger("version"));
            assertEquals("candidate", v1.getString("stage"));
            assertEquals("onnx", v1.getString("format"));
            assertEquals(model.length, v1.getJsonObject("artifact").getInteger("bytes"));
            assertEquals("upload", v1.getJsonObject("lineage").getString("source"));
            assertEquals("logistic.onnx", v1.getJsonObject("lineage").getString("filename"));
            assertTrue(v1.getJsonObject("lineage").getString("uploaded_at").startsWith("20"), v1.encode());
            assertEquals(0.91, v1.getJsonObject("metrics").getJsonObject("values").getDouble("accuracy"));
            assertEquals(4, v1.getJsonArray("input_schema").size(), "the label is not an input: " + v1.encode());

            Http.Response promoted = app.http.post("/api/models/scorer/versions/1/promote", null, "");
            assertEquals(200, promoted.status(), promoted.body());
            assertEquals("production", promoted.json().getString("stage"));
            // The champion alias follows production in a listener that runs after the promote call
            // has answered, so it may lag it by a moment.
            awaitChampion(app.http, "scorer", 1);
            Http.Response follow = put(app, "/api/endpoints/scoring/follow", "{\"model\": \"scorer\", \"alias\": \"champion\"}");
            assertEquals(202, follow.status(), follow.body());

            double[] row = {1.0, 2.0, -1.0, 0.5};
            double[] row2 = {-2.0, 0.5, 1.5, -1.0};
            String body = new JsonObject().put("dataframe_records", new JsonArray().add(record(row)).add(record(row2))).encode();
            JsonObject answer = awaitServed(app.http, "/serving/scoring/invocations", body);
            assertEquals(1, answer.getJsonObject("model").getInteger("version"), answer.encode());
            assertEquals("scorer", answer.getJsonObject("model").getString("name"), answer.encode());
            checkPrediction(answer.getJsonArray("predictions").getJsonObject(0), row);
            checkPrediction(answer.getJsonArray("predictions").getJsonObject(1), row2);
            assertEquals(2, answer.getJsonArray("prediction_ids").size());

            app.restart();
            Http.Response after = app.http.postJson("/serving/scoring/invocations", body);
            assertEquals(200, after.status(), after.body());
            assertEquals(answer.getJsonArray("predictions"), after.json().getJsonArray("predictions"));
        }
    }

    @Test
    void badUploadsAreRefusedAndRegisterNothing() throws Exception {
        byte[] model = Files.readAllBytes(MODEL);
        try (Installation app = Installation.start(false)) {
            Http.Response unknownFormat = upload(app, "m", "model.pmml", model, Map.of("format", "pmml", "schema", SCHEMA));
            assertEquals(400, unknownFormat.status(), unknownFormat.body());
            assertTrue(unknownFormat.json().getString("error").contains("no model loader for 'pmml'"), unknownFormat.body());

            Http.Response garbage = upload(app, "m", "broken.onnx", "not a model at all".getBytes(StandardCharsets.UTF_8),
                    Map.of("format", "onnx", "schema", SCHEMA));
            assertEquals(400, garbage.status(), garbage.body());
            String error = garbage.json().getString("error");
            assertTrue(error.contains("'broken.onnx' does not load as onnx: not a model ONNX Runtime can load"), error);

            Http.Response badJson = upload(app, "m", "logistic.onnx", model, Map.of("format", "onnx", "schema", "{\"columns\": ["));
            assertEquals(400, badJson.status(), badJson.body());
            assertTrue(badJson.json().getString("error").startsWith("schema: not a JSON object"), badJson.body());

            Http.Response badType = upload(app, "m", "logistic.onnx", model, Map.of("format", "onnx",
                    "schema", SCHEMA.replace("\"d\", \"type\": \"numeric\"", "\"d\", \"type\": \"colour\"")));
            assertEquals(400, badType.status(), badType.body());
            assertTrue(badType.json().getString("error").startsWith("schema.columns[3].type: expected numeric"), badType.body());

            // It loads, but it cannot take a categorical input: refused now, not at the first request.
            Http.Response categorical = upload(app, "m", "logistic.onnx", model, Map.of("format", "onnx",
                    "schema", SCHEMA.replace("\"d\", \"type\": \"numeric\"", "\"d\", \"type\": \"categorical\"")));
            assertEquals(400, categorical.status(), categorical.body());
            assertTrue(categorical.json().getString("error").contains("column 'd' is categorical"), categorical.body());

            Http.Response wrongTask = upload(app, "m", "logistic.onnx", model, Map.of("format", "onnx",
                    "schema", SCHEMA.replace("classification", "regression")));
            assertEquals(400, wrongTask.status(), wrongTask.body());
            assertTrue(wrongTask.json().getString("error").contains("makes this regression but the model does classification"),
                    wrongTask.body());

            Http.Response noFile = upload(app, "m", null, null, Map.of("format", "onnx", "schema", SCHEMA));
            assertEquals(400, noFile.status(), noFile.body());
            assertTrue(noFile.json().getString("error").startsWith("artifact:"), noFile.body());

            Http.Response versions = app.http.get("/api/models/m/versions");
            assertTrue(versions.status() == 404 || versions.array().isEmpty(), versions.status() + " " + versions.body());
        }
    }

    private static void checkPrediction(JsonObject prediction, double[] row) {
        double[] logits = B.clone();
        for (int f = 0; f < 4; f++) {
            for (int c = 0; c < 2; c++) {
                logits[c] += row[f] * W[f][c];
            }
        }
        double yes = 1 / (1 + Math.exp(logits[0] - logits[1]));
        JsonObject probabilities = prediction.getJsonObject("probabilities");
        assertEquals(yes, probabilities.getDouble("yes"), 1e-5, prediction.encode());
        assertEquals(1 - yes, probabilities.getDouble("no"), 1e-5, prediction.encode());
        assertEquals(yes > 0.5 ? "yes" : "no", prediction.getString("label"), prediction.encode());
    }

    private static JsonObject record(double[] row) {
        return new JsonObject().put("a", row[0]).put("b", row[1]).put("c", row[2]).put("d", row[3]);
    }

    private static void awaitChampion(Http http, String model, int version) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Http.Response r = http.get("/api/models/" + model + "/aliases");
            if (r.status() == 200 && Integer.valueOf(version).equals(r.json().getInteger("champion"))) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("alias champion of " + model + " not at v" + version + ": " + r.status() + " " + r.body());
            }
            Thread.sleep(50);
        }
    }

    /** Following deploys on a worker after the 202: wait until the endpoint answers. */
    private static JsonObject awaitServed(Http http, String path, String body) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Http.Response r = http.postJson(path, body);
            if (r.status() == 200) {
                return r.json();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(path + " still answers " + r.status() + " " + r.body());
            }
            Thread.sleep(100);
        }
    }

    private Http.Response put(Installation app, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.running.port() + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    /** A multipart/form-data upload: {@code fields} as text parts, then the file (if any) as {@code artifact}. */
    private Http.Response upload(Installation app, String model, String filename, byte[] file, Map<String, String> fields)
            throws IOException, InterruptedException {
        String boundary = "retrainer-test-boundary-7d3f";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new LinkedHashMap<>(fields).entrySet()) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(file);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.running.port()
                        + "/api/models/" + model + "/versions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
