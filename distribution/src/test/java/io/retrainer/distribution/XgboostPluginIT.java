package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The xgboost plugin jar as the distribution ships it, loaded by PF4J in its own class loader:
 * training extracts and loads XGBoost's native library from inside the plugin jar, and serving,
 * also after a restart, goes through the plugin's pure-Java model loader.
 */
class XgboostPluginIT {

    @Test
    void aPipelineTrainsWithXgboostAndServesTheModelAcrossARestart() throws Exception {
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            Path csv = app.breastCancerCsv();
            JsonObject plugin = http.get("/api/plugins").array().stream().map(o -> (JsonObject) o)
                    .filter(p -> "xgboost".equals(p.getString("id"))).findFirst()
                    .orElseThrow(() -> new AssertionError("xgboost plugin not loaded"));
            assertTrue(plugin.encode().contains("xgboost-json"), plugin.encode());

            String yaml = """
                    name: cancer-trees
                    source: { plugin: csv, config: { path: "%s", label: diagnosis } }
                    split: { strategy: holdout, test_fraction: 0.2 }
                    train: { plugin: xgboost, config: { rounds: 60, threads: 1, early_stopping_rounds: 5 } }
                    evaluate:
                      - plugin: classification-metrics
                      - plugin: champion-gate
                        config: { metric: roc_auc, min_improvement: 0.0 }
                    deploy: { plugin: local-serving, config: { endpoint: cancer-trees } }
                    """.formatted(csv);
            Http.Response created = http.post("/api/pipelines", "application/yaml", yaml);
            assertEquals(201, created.status(), created.body());
            JsonObject run = EndToEndIT.awaitRun(http, http.post("/api/pipelines/cancer-trees/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", run.getString("status"), run.encodePrettily());

            JsonObject v1 = http.get("/api/models/cancer-trees/versions/1").json();
            assertEquals("production", v1.getString("stage"));
            assertEquals("xgboost-json", v1.getString("format"));
            double auc = v1.getJsonObject("metrics").getJsonObject("values").getDouble("roc_auc");
            assertTrue(auc >= 0.98, "holdout AUC " + auc);
            JsonObject hyper = v1.getJsonObject("lineage").getJsonObject("hyperparameters");
            assertEquals("binary:logistic", hyper.getString("objective"));
            assertTrue(Integer.parseInt(hyper.getString("best_rounds")) <= 60, hyper.encode());
            JsonObject importance = new JsonObject(hyper.getString("feature_importance"));
            assertTrue(importance.size() > 3, importance.encode());

            String[] cols = Files.readAllLines(csv).get(0).split(",");
            String[] row = Files.readAllLines(csv).get(1).split(",");
            JsonObject record = new JsonObject();
            for (int i = 0; i < cols.length - 1; i++) {
                record.put(cols[i], Double.parseDouble(row[i]));
            }
            // A second record with a missing value: the trees' default directions handle it.
            JsonObject partial = record.copy();
            partial.putNull("worst_perimeter");
            String body = new JsonObject().put("dataframe_records", new JsonArray().add(record).add(partial)).encode();
            JsonObject before = http.postJson("/serving/cancer-trees/invocations", body).json();
            JsonArray predictions = before.getJsonArray("predictions");
            assertEquals("malignant", predictions.getJsonObject(0).getString("label"), before.encode());

            app.restart();
            Http.Response after = app.http.postJson("/serving/cancer-trees/invocations", body);
            assertEquals(200, after.status(), after.body());
            assertEquals(predictions, after.json().getJsonArray("predictions"));
            assertEquals(1, after.json().getJsonObject("model").getInteger("version"));
        }
    }
}
