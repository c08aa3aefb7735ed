package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A deliberately worse candidate — trained on shuffled labels — goes into the canary slot while
 * a client keeps calling the endpoint and feeding back true labels. The live-accuracy gate rolls
 * it back during its canary step, and the client sees no failed request.
 */
class RolloutIT {

    static String pipeline(Path csv) {
        return """
                name: guarded
                source: { plugin: csv, config: { path: "%s", label: diagnosis } }
                train: { plugin: logistic-regression }
                evaluate: [ { plugin: classification-metrics } ]
                deploy:
                  plugin: local-serving
                  config: { endpoint: guarded, steps: [50, 100], step_interval: 8s, quality_metric: accuracy,
                            min_labelled: 25, max_quality_drop: 0.05, max_p99_latency_ratio: 20 }
                """.formatted(csv);
    }

    @Test
    void aWorseCandidateIsRolledBackDuringItsCanaryStepWithoutFailingAClient() throws Exception {
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            Path good = app.breastCancerCsv();
            List<String> lines = Files.readAllLines(good);
            Path shuffled = app.dataDir.resolve("shuffled.csv");
            Files.write(shuffled, shuffleLabels(lines));

            assertEquals(201, http.post("/api/pipelines", "application/yaml", pipeline(good)).status());
            JsonObject first = EndToEndIT.awaitRun(http, http.post("/api/pipelines/guarded/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", first.getString("status"), first.encodePrettily());

            assertEquals(201, http.post("/api/pipelines", "application/yaml", pipeline(shuffled)).status());
            long runId = http.post("/api/pipelines/guarded/runs", null, "").json().getLong("id");

            String[] header = lines.get(0).split(",");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger byCandidate = new AtomicInteger();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            Thread client = new Thread(() -> {
                Random random = new Random(3);
                Http clientHttp = new Http(app.running.port());
                while (!stop.get()) {
                    String[] row = lines.get(1 + random.nextInt(lines.size() - 1)).split(",");
                    JsonObject record = new JsonObject();
                    for (int i = 0; i < header.length - 1; i++) {
                        record.put(header[i], Double.parseDouble(row[i]));
                    }
                    try {
                        Http.Response r = clientHttp.postJson("/serving/guarded/invocations",
                                new JsonObject().put("dataframe_records", new JsonArray().add(record)).encode());
                        if (r.status() != 200) {
                            failed.incrementAndGet();
                            failures.add(r.status() + " " + r.body());
                            continue;
                        }
                        answered.incrementAndGet();
                        JsonObject body = r.json();
                        if (body.getJsonObject("model").getInteger("version") == 2) {
                            byCandidate.incrementAndGet();
                        }
                        String id = body.getJsonArray("prediction_ids").getString(0);
                        clientHttp.postJson("/api/feedback", new JsonObject().put("prediction_id", id)
                                .put("label", row[header.length - 1]).encode());
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        failures.add(e.toString());
                    }
                }
            });
            client.start();
            JsonObject run;
            try {
                run = EndToEndIT.awaitRun(http, runId);
            } finally {
                stop.set(true);
                client.join();
            }

            assertEquals(0, failed.get(), "client failures: " + failures);
            assertTrue(byCandidate.get() > 0, "the candidate answered part of the traffic during its step");
            assertEquals("failed", run.getString("status"), run.encodePrettily());
            String error = run.getString("error");
            assertTrue(error.contains("rolled back: gate failed at 50%: live accuracy"), error);
            JsonObject v2 = http.get("/api/models/guarded/versions/2").json();
            assertEquals("rejected", v2.getString("stage"));
            assertTrue(v2.getString("stage_reason").contains("gate failed at 50%"), v2.getString("stage_reason"));
            assertEquals("production", http.get("/api/models/guarded/versions/1").json().getString("stage"));
            JsonObject rollout = http.get("/api/endpoints/guarded/rollout").json();
            assertEquals("rolled_back", rollout.getString("phase"));
            assertEquals(0, rollout.getInteger("percent"));
            // The console's endpoint page tells the story: phase, both versions' live accuracy, the gate's reason.
            Http.Response page = http.get("/endpoints/guarded");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("rolled_back"), "phase on the page");
            assertTrue(page.body().contains("Live <span>accuracy</span> since the"), "side-by-side quality on the page");
            assertTrue(page.body().contains("gate failed at 50%"), "gate reason on the page");
            // Every request after the rollback is answered by v1 again.
            for (int i = 0; i < 20; i++) {
                String[] row = lines.get(1 + i).split(",");
                JsonObject record = new JsonObject();
                for (int c = 0; c < header.length - 1; c++) {
                    record.put(header[c], Double.parseDouble(row[c]));
                }
                assertEquals(1, http.postJson("/serving/guarded/invocations",
                        new JsonObject().put("dataframe_records", new JsonArray().add(record)).encode())
                        .json().getJsonObject("model").getInteger("version"));
            }
        }
    }

    static List<String> shuffleLabels(List<String> lines) {
        List<String> labels = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            labels.add(l.substring(l.lastIndexOf(',') + 1));
        }
        Collections.shuffle(labels, new Random(11));
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            out.add(l.substring(0, l.lastIndexOf(',') + 1) + labels.get(i - 1));
        }
        return out;
    }
}
