package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A regression pipeline through the assembled distribution and its real plugin jars: random-forest
 * trains on the diabetes data, regression-metrics and slice-metrics score it, champion-gate
 * decides on two metrics, local-serving serves it; a second run is compared with the first.
 */
class RegressionPipelineIT {

    static String pipelineYaml(Path csv) {
        return """
                name: diabetes
                source: { plugin: csv, config: { path: "%s", label: progression } }
                split: { strategy: holdout, test_fraction: 0.2 }
                train: { plugin: random-forest, config: { trees: 50 } }
                evaluate:
                  - plugin: regression-metrics
                  - plugin: slice-metrics
                    config: { column: sex, metric: rmse, max_slice_drop: 5.0 }
                  - plugin: champion-gate
                    config: { metrics: [rmse, r2], min_improvement: 0.0 }
                deploy: { plugin: local-serving, config: { endpoint: diabetes } }
                """.formatted(csv);
    }

    @Test
    void randomForestRegressionIsTrainedScoredGatedAndServed() throws Exception {
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            // Each of this plugin jars loads through PF4J beside the others, with its own copy of Tribuo.
            JsonArray plugins = http.get("/api/plugins").array();
            for (String id : List.of("linear-regression", "decision-tree", "random-forest", "regression-metrics", "slice-metrics")) {
                assertEquals(List.of("started"), plugins.stream().map(p -> (JsonObject) p).filter(p -> id.equals(p.getString("id")))
                        .map(p -> p.getString("state")).toList(), id + " in " + plugins.encode());
            }
            Path csv = app.dataDir.resolve("diabetes_progression.csv");
            try (InputStream in = RegressionPipelineIT.class.getResourceAsStream("/data/diabetes_progression.csv")) {
                Files.copy(in, csv, StandardCopyOption.REPLACE_EXISTING);
            }
            Http.Response created = http.post("/api/pipelines", "application/yaml", pipelineYaml(csv));
            assertEquals(201, created.status(), created.body());

            JsonObject run1 = EndToEndIT.awaitRun(http, http.post("/api/pipelines/diabetes/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", run1.getString("status"), run1.encodePrettily());
            JsonArray stages = run1.getJsonArray("stages");
            assertEquals(List.of("source", "validate", "split", "train", "evaluate", "evaluate", "evaluate", "register", "deploy"),
                    stages.stream().map(s -> ((JsonObject) s).getString("name")).toList());
            assertEquals("promote", run1.getString("verdict"));

            JsonObject v1 = http.get("/api/models/diabetes/versions/1").json();
            assertEquals("production", v1.getString("stage"));
            assertEquals("tribuo-random-forest", v1.getString("format"));
            JsonObject values = v1.getJsonObject("metrics").getJsonObject("values");
            // The target's standard deviation is about 77.
            assertTrue(values.getDouble("rmse") < 65, values.encode());
            assertTrue(values.getDouble("r2") > 0.3, values.encode());
            assertTrue(values.getDouble("mae") < values.getDouble("rmse"), values.encode());
            assertTrue(values.getDouble("mape") > 0 && values.getDouble("mape") < 1, values.encode());
            JsonObject hyper = v1.getJsonObject("lineage").getJsonObject("hyperparameters");
            assertEquals("50", hyper.getString("trees"));
            assertEquals("regression", hyper.getString("task"));

            // slice-metrics: one rmse per value of sex (1 and 2), kept in the stage's details.
            JsonObject slices = stages.getJsonObject(5).getJsonObject("metrics").getJsonObject("details").getJsonObject("slices");
            assertEquals("sex", slices.getString("column"));
            assertEquals(List.of("1", "2"), slices.getJsonArray("slices").stream()
                    .map(s -> ((JsonObject) s).getString("value")).sorted().toList());

            // Serving: a number per row.
            String[] cols = Files.readAllLines(csv).get(0).split(",");
            String[] row = Files.readAllLines(csv).get(1).split(",");
            JsonObject record = new JsonObject();
            for (int i = 0; i < cols.length - 1; i++) {
                record.put(cols[i], Double.parseDouble(row[i]));
            }
            Http.Response p = http.postJson("/serving/diabetes/invocations",
                    new JsonObject().put("dataframe_records", new JsonArray().add(record).add(record.copy().put("sex", 7))).encode());
            assertEquals(200, p.status(), p.body());
            JsonArray predictions = p.json().getJsonArray("predictions");
            assertEquals(2, predictions.size());
            double predicted = predictions.getDouble(0);
            assertTrue(predicted > 25 && predicted < 346, p.body());

            // Second run on the same data and seed: the same forest, so both metrics tie and the gate promotes,
            // listing both comparisons; the champion was reloaded from its stored artifact to be scored.
            JsonObject run2 = EndToEndIT.awaitRun(http, http.post("/api/pipelines/diabetes/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", run2.getString("status"), run2.encodePrettily());
            JsonObject gate = run2.getJsonArray("stages").getJsonObject(6).getJsonObject("metrics");
            assertEquals(gate.getJsonObject("candidate").getDouble("gate_candidate_rmse"),
                    gate.getJsonObject("candidate").getDouble("gate_champion_rmse"), gate.encode());
            String reason = run2.getString("verdict_reason");
            assertEquals("promote", run2.getString("verdict"), reason);
            assertTrue(reason.contains("rmse") && reason.contains("r2") && reason.contains("champion"), reason);
            JsonObject sliceStage = run2.getJsonArray("stages").getJsonObject(5).getJsonObject("metrics");
            assertEquals("promote", sliceStage.getString("verdict"), sliceStage.encode());
            assertTrue(sliceStage.getString("reason").startsWith("no slice of sex is worse than the champion"), sliceStage.encode());
        }
    }
}
