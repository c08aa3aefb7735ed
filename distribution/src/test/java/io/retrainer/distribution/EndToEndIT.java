package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole loop through the public HTTP interfaces, with the real plugin jars, on the embedded
 * PostgreSQL and on the server at 127.0.0.1:5432: create a pipeline, run it, predict, run again
 * and check the gate, restart and find everything still there, roll back.
 */
class EndToEndIT {

    static String pipelineYaml(Path csv) {
        return """
                name: cancer
                source: { plugin: csv, config: { path: "%s", label: diagnosis } }
                validate: { max_missing_fraction: 0.1 }
                split: { strategy: holdout, test_fraction: 0.2 }
                train: { plugin: logistic-regression, config: { epochs: 20 } }
                evaluate:
                  - plugin: classification-metrics
                  - plugin: champion-gate
                    config: { metric: roc_auc, min_improvement: 0.0 }
                deploy: { plugin: local-serving, config: { endpoint: cancer } }
                """.formatted(csv);
    }

    @ParameterizedTest(name = "external database: {0}")
    @ValueSource(booleans = {false, true})
    void theLoopWorksAndSurvivesARestart(boolean external) throws Exception {
        try (Installation app = Installation.start(external)) {
            Http http = app.http;
            Path csv = app.breastCancerCsv();
            assertEquals(200, http.get("/health/ready").status());

            Http.Response created = http.post("/api/pipelines", "application/yaml", pipelineYaml(csv));
            assertEquals(201, created.status(), created.body());
            assertEquals(1, created.json().getInteger("revision"));

            Http.Response trigger = http.post("/api/pipelines/cancer/runs", null, "");
            assertEquals(202, trigger.status(), trigger.body());
            JsonObject run1 = awaitRun(http, trigger.json().getLong("id"));
            assertEquals("succeeded", run1.getString("status"), run1.encodePrettily());
            assertEquals(1, run1.getInteger("revision"));
            assertEquals("api", run1.getString("trigger"));
            JsonArray stages = run1.getJsonArray("stages");
            assertEquals(List.of("source", "validate", "split", "train", "evaluate", "evaluate", "register", "deploy"),
                    stages.stream().map(s -> ((JsonObject) s).getString("name")).toList());
            for (Object o : stages) {
                JsonObject s = (JsonObject) o;
                assertEquals("succeeded", s.getString("status"), s.encode());
                assertNotNull(s.getString("started"));
                assertNotNull(s.getString("finished"));
                assertNotNull(s.getJsonObject("metrics"));
                assertNotNull(s.getString("log"));
            }
            assertEquals("csv", stages.getJsonObject(0).getString("plugin"));
            assertEquals(569, stages.getJsonObject(0).getJsonObject("metrics").getInteger("rows"));
            assertEquals(new JsonObject().put("model", "cancer").put("version", 1), run1.getJsonObject("model_version"));

            JsonObject v1 = http.get("/api/models/cancer/versions/1").json();
            assertEquals("production", v1.getString("stage"));
            double auc1 = v1.getJsonObject("metrics").getJsonObject("values").getDouble("roc_auc");
            assertTrue(auc1 >= 0.98, "holdout AUC " + auc1);
            JsonObject lineage = v1.getJsonObject("lineage");
            assertEquals(64, lineage.getJsonObject("dataset").getString("fingerprint").length());
            assertEquals(1, lineage.getJsonObject("pipeline").getInteger("revision"));
            assertEquals(42, lineage.getInteger("seed"));
            assertEquals("logistic-regression", lineage.getJsonObject("plugins").getJsonObject("train").getString("plugin"));
            assertEquals("20", lineage.getJsonObject("hyperparameters").getString("epochs"));

            // Predictions in each MLflow input form, each with an id.
            String[] cols = Files.readAllLines(csv).get(0).split(",");
            String[] row = Files.readAllLines(csv).get(1).split(",");
            JsonArray columns = new JsonArray();
            JsonArray values = new JsonArray();
            JsonObject record = new JsonObject();
            for (int i = 0; i < cols.length - 1; i++) {
                columns.add(cols[i]);
                values.add(Double.parseDouble(row[i]));
                record.put(cols[i], Double.parseDouble(row[i]));
            }
            List<JsonObject> bodies = List.of(
                    new JsonObject().put("dataframe_split", new JsonObject().put("columns", columns).put("data", new JsonArray().add(values))),
                    new JsonObject().put("dataframe_records", new JsonArray().add(record).add(record)),
                    new JsonObject().put("instances", new JsonArray().add(values)),
                    new JsonObject().put("inputs", new JsonArray().add(record)));
            for (JsonObject body : bodies) {
                Http.Response p = http.postJson("/serving/cancer/invocations", body.encode());
                assertEquals(200, p.status(), body.fieldNames() + ": " + p.body());
                JsonObject answer = p.json();
                JsonArray predictions = answer.getJsonArray("predictions");
                assertEquals(predictions.size(), answer.getJsonArray("prediction_ids").size());
                assertEquals("malignant", predictions.getJsonObject(0).getString("label"), p.body());
                assertTrue(predictions.getJsonObject(0).getJsonObject("probabilities").getDouble("malignant") > 0.5);
            }

            // Second run: the gate compares with the production model on the same holdout.
            JsonObject run2 = awaitRun(http, http.post("/api/pipelines/cancer/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", run2.getString("status"), run2.encodePrettily());
            String verdict = run2.getString("verdict");
            assertTrue(verdict.equals("promote") || verdict.equals("reject"), verdict);
            assertTrue(run2.getString("verdict_reason").contains("champion"), run2.getString("verdict_reason"));
            JsonObject gate = run2.getJsonArray("stages").getJsonObject(5).getJsonObject("metrics");
            assertNotNull(gate.getJsonObject("candidate").getDouble("gate_candidate_roc_auc"));
            assertNotNull(gate.getJsonObject("candidate").getDouble("gate_champion_roc_auc"), gate.encode());
            JsonObject v2 = http.get("/api/models/cancer/versions/2").json();
            assertEquals(verdict.equals("promote") ? "production" : "rejected", v2.getString("stage"));

            // Prometheus sees it all.
            String metrics = http.get("/metrics").body();
            for (String name : List.of("retrainer_runs_total{pipeline=\"cancer\",status=\"succeeded\",} 2.0",
                    "retrainer_triggers_total{pipeline=\"cancer\",trigger=\"api\",} 2.0",
                    "retrainer_stage_duration_seconds_bucket", "retrainer_model_metric{model=\"cancer\",version=\"1\",metric=\"roc_auc\",}",
                    "retrainer_predictions_total{endpoint=\"cancer\",slot=\"blue\",} 5.0", "retrainer_prediction_latency_seconds_bucket",
                    "jvm_memory_bytes_used")) {
                assertTrue(metrics.contains(name), "missing " + name + " in\n" + metrics.lines().filter(l -> l.startsWith("retrainer_")).toList());
            }

            // Restart: pipelines, runs, models and the served model are all still there.
            app.restart();
            http = app.http;
            assertEquals(200, http.get("/health/ready").status());
            assertEquals("cancer", http.get("/api/pipelines").array().getJsonObject(0).getString("name"));
            assertEquals("succeeded", http.get("/api/runs/" + run2.getLong("id")).json().getString("status"));
            assertEquals(2, http.get("/api/models/cancer/versions").array().size());
            Http.Response afterRestart = http.postJson("/serving/cancer/invocations", bodies.get(1).encode());
            assertEquals(200, afterRestart.status(), afterRestart.body());
            int served = afterRestart.json().getJsonObject("model").getInteger("version");
            assertEquals(verdict.equals("promote") ? 2 : 1, served);

            // Rollback: promote the other version and the endpoint serves it.
            int other = served == 1 ? 2 : 1;
            Http.Response promoted = http.post("/api/models/cancer/versions/" + other + "/promote", null, "");
            assertEquals(200, promoted.status(), promoted.body());
            assertEquals("production", promoted.json().getString("stage"));
            assertEquals(other, http.postJson("/serving/cancer/invocations", bodies.get(1).encode()).json()
                    .getJsonObject("model").getInteger("version"));
            assertEquals(served == 1 ? "archived" : "archived",
                    http.get("/api/models/cancer/versions/" + served).json().getString("stage"));

            // After the restart the production version's metrics are published again.
            assertTrue(http.get("/metrics").body().contains("retrainer_model_metric{model=\"cancer\",version=\"" + served
                    + "\",metric=\"roc_auc\",}"));
        }
    }

    static JsonObject awaitRun(Http http, long id) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonObject run = http.get("/api/runs/" + id).json();
            String status = run.getString("status");
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                return run;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("run " + id + " still " + status);
            }
            Thread.sleep(100);
        }
    }
}
