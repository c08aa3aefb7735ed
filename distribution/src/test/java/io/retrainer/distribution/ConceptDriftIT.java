package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.trigger.TriggerService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concept drift, end to end, with the real plugins: a model trained on the first SEA concept
 * ({@code label = f1 + f2 <= 8}, 10% noise) serves; a client replays the stream through
 * {@code /serving/sea/invocations} in order, appends each row to the pipeline's CSV as it
 * "arrives", and feeds the true labels back. At row 15,000 the concept becomes {@code f1 + f2 <= 9}:
 * no input statistic moves, only live accuracy does. The performance trigger fires with its reason,
 * the retrain uses the recent window ({@code last_rows}), the new model goes live through a
 * blue-green rollout, and live accuracy recovers.
 */
class ConceptDriftIT {
    /** First 30,000 rows of ../shared/data/sea_drift.csv: two concepts, θ = 8 then 9 from row 15,000. */
    static final String SEA = "/data/sea_drift_30k.csv";
    static final int SWITCH = 15_000;
    static final double THRESHOLD = 0.85;
    /** Rows in the CSV when the test starts; v1 trains on all of them. */
    static final int INITIAL = 11_000;
    /** Rows per second the client replays, a pace this shared 2-core machine sustains with feedback. */
    static final int RATE = 200;

    @BeforeAll
    static void fastTriggerChecks() {
        System.setProperty(TriggerService.CHECK_INTERVAL_PROPERTY, "1s");
    }

    @AfterAll
    static void defaultTriggerChecks() {
        System.clearProperty(TriggerService.CHECK_INTERVAL_PROPERTY);
    }

    /** The SEA rows: f1..f3 and the label, as text exactly as in the file. */
    record Sea(String header, List<String> lines, double[][] features, String[] labels) {
        static Sea load() throws IOException {
            List<String> all;
            try (InputStream in = ConceptDriftIT.class.getResourceAsStream(SEA)) {
                all = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            List<String> lines = all.subList(1, all.size());
            double[][] x = new double[lines.size()][];
            String[] y = new String[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                x[i] = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
                y[i] = f[4];
            }
            return new Sea(all.get(0), lines, x, y);
        }
    }

    /**
     * A client replaying rows in order: each batch "arrives" as a new CSV file in the source
     * directory (written under another name and renamed, so a run never reads half a file, and
     * files already there never change while a run reads them), is sent for prediction, and its
     * labels are fed back.
     */
    static final class Replayer {
        final Http http;
        final String endpoint;
        final Path dir;
        final Sea sea;
        final List<JsonObject> pendingFeedback = new ArrayList<>();
        /** Per replayed row: the version that answered and whether it was right. */
        final List<int[]> outcomes = new ArrayList<>();
        int next;
        int files;
        int requests;
        int failedRequests;

        Replayer(Http http, String endpoint, Path dir, Sea sea, int initialRows) throws IOException {
            this.http = http;
            this.endpoint = endpoint;
            this.dir = Files.createDirectories(dir);
            this.sea = sea;
            arrive(0, initialRows);
            next = initialRows;
        }

        /** Rows [from, to) arrive as the next file of the source directory. */
        void arrive(int from, int to) throws IOException {
            StringBuilder b = new StringBuilder(sea.header()).append('\n');
            for (int i = from; i < to; i++) {
                b.append(sea.lines().get(i)).append('\n');
            }
            String name = String.format(Locale.ROOT, "%06d", files++);
            Path tmp = dir.resolve(name + ".part");
            Files.writeString(tmp, b);
            Files.move(tmp, dir.resolve(name + ".csv"), StandardCopyOption.ATOMIC_MOVE);
        }

        /**
         * Replays rows until {@code until} (exclusive) or until {@code stop} holds, at about
         * {@code rowsPerSecond}, in batches of {@code batch}; {@code transform} may change the
         * features sent (covariate shift). Returns whether {@code stop} was met.
         */
        boolean replay(int until, int rowsPerSecond, int batch, BooleanSupplier stop, java.util.function.UnaryOperator<double[]> transform)
                throws Exception {
            long start = System.nanoTime();
            int sent = 0;
            int checks = 0;
            while (next < until) {
                int to = Math.min(until, next + batch);
                JsonArray data = new JsonArray();
                for (int i = next; i < to; i++) {
                    double[] x = transform.apply(sea.features()[i]);
                    data.add(new JsonArray().add(x[0]).add(x[1]).add(x[2]));
                }
                arrive(next, to);
                JsonObject body = new JsonObject().put("dataframe_split",
                        new JsonObject().put("columns", new JsonArray().add("f1").add("f2").add("f3")).put("data", data));
                Http.Response r = http.postJson("/serving/" + endpoint + "/invocations", body.encode());
                requests++;
                if (r.status() != 200) {
                    failedRequests++;
                    throw new AssertionError("prediction request for rows " + next + ".." + (to - 1) + " failed: " + r.status() + " " + r.body());
                }
                JsonObject answer = r.json();
                int version = answer.getJsonObject("model").getInteger("version");
                JsonArray predictions = answer.getJsonArray("predictions");
                JsonArray ids = answer.getJsonArray("prediction_ids");
                for (int i = next; i < to; i++) {
                    String predicted = predictions.getJsonObject(i - next).getString("label");
                    outcomes.add(new int[] {i, version, predicted.equals(sea.labels()[i]) ? 1 : 0});
                    pendingFeedback.add(new JsonObject().put("prediction_id", ids.getString(i - next)).put("label", sea.labels()[i]));
                }
                sendFeedback();
                sent += to - next;
                next = to;
                long due = start + (long) (sent * 1e9 / rowsPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (stop != null && ++checks % 5 == 0 && stop.getAsBoolean()) {
                    return true;
                }
            }
            return stop != null && stop.getAsBoolean();
        }

        /**
         * Feeds labels back. Predictions reach the log asynchronously, so an id may not be known
         * yet: those are kept and sent again with the next batch.
         */
        void sendFeedback() throws Exception {
            if (pendingFeedback.isEmpty()) {
                return;
            }
            JsonArray items = new JsonArray(new ArrayList<>(pendingFeedback));
            Http.Response r = http.postJson("/api/feedback", items.encode());
            assertEquals(200, r.status(), r.body());
            List<Object> unknown = r.json().getJsonArray("unknown").getList();
            pendingFeedback.removeIf(item -> !unknown.contains(item.getString("prediction_id")));
        }

        void flushFeedback() throws Exception {
            for (int attempt = 0; attempt < 50 && !pendingFeedback.isEmpty(); attempt++) {
                sendFeedback();
                Thread.sleep(100);
            }
            assertTrue(pendingFeedback.isEmpty(), pendingFeedback.size() + " feedback items stayed unknown");
        }

        /** Accuracy of {@code version} on replayed rows [from, to) it answered; NaN if none. */
        double accuracy(int version, int from, int to) {
            long n = 0;
            long right = 0;
            for (int[] o : outcomes) {
                if (o[1] == version && o[0] >= from && o[0] < to) {
                    n++;
                    right += o[2];
                }
            }
            return n == 0 ? Double.NaN : (double) right / n;
        }

        long answered(int version, int from, int to) {
            return outcomes.stream().filter(o -> o[1] == version && o[0] >= from && o[0] < to).count();
        }
    }

    /**
     * The pipeline; {@code window} (e.g. "window: { last_rows: 800 }") is what retrains use. v1
     * answers about 0.895 of the first concept right and 0.83 of the second, so the trigger's 15 s
     * window falls below 0.85 once some two thirds of it are of the new concept: at the 80 to 200
     * rows a second this shared machine manages, 800 to 2,000 new rows, so the last 800 rows a
     * retrain reads are all of the new concept.
     */
    static String pipeline(Path csv, String window) {
        return """
                name: sea
                source: { plugin: csv, config: { path: "%s", label: label, columns: [f1, f2, f3] } }
                %s
                split: { strategy: holdout, test_fraction: 0.25 }
                train: { plugin: logistic-regression }
                evaluate:
                  - plugin: classification-metrics
                  - plugin: champion-gate
                    config: { metric: accuracy, min_improvement: 0.0 }
                deploy:
                  plugin: local-serving
                  config: { endpoint: sea, steps: [50, 100], step_interval: 2s, max_p99_latency_ratio: 100 }
                triggers:
                  - performance: { metric: accuracy, below: %s, window: 15s, min_samples: 1000, cooldown: 5m }
                """.formatted(csv, window, THRESHOLD);
    }

    @Test
    void performanceTriggerRetrainsOnTheRecentWindowAndLiveAccuracyRecovers() throws Exception {
        Sea sea = Sea.load();
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            Path csv = app.dataDir.resolve("sea");
            Replayer stream = new Replayer(http, "sea", csv, sea, INITIAL);
            Http.Response saved = http.post("/api/pipelines", "application/yaml", pipeline(csv, ""));
            assertEquals(201, saved.status(), saved.body());

            // v1 on the first concept, trained on every row seen so far.
            JsonObject first = EndToEndIT.awaitRun(http, http.post("/api/pipelines/sea/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", first.getString("status"), first.encodePrettily());
            assertEquals(INITIAL, first.getJsonArray("stages").getJsonObject(0).getJsonObject("metrics").getInteger("rows"));
            // From now on, retrains use the most recent rows only.
            Http.Response revised = http.post("/api/pipelines", "application/yaml", pipeline(csv, "window: { last_rows: 800 }"));
            assertEquals(201, revised.status(), revised.body());

            // The first concept streams on: accuracy stays above the threshold, nothing fires.
            stream.replay(SWITCH, RATE, 50, null, x -> x);
            double v1Before = stream.accuracy(1, INITIAL, SWITCH);
            assertEquals(1, runs(http).size(), "no trigger fired on the first concept: " + runs(http).encodePrettily());
            JsonObject trigger = http.get("/api/pipelines/sea/triggers").array().getJsonObject(0);
            assertEquals("performance", trigger.getString("kind"));
            assertTrue(trigger.getString("last_observation").matches("accuracy 0\\.\\d+ ≥ 0\\.85 over last 15s \\(\\d+ labelled predictions\\)"),
                    trigger.encodePrettily());

            // The concept switches. Stream until the performance trigger queues a run ...
            boolean fired = stream.replay(sea.lines().size(), RATE, 50, () -> performanceRun(http) != null, x -> x);
            assertTrue(fired, "the performance trigger never fired; trigger state: "
                    + http.get("/api/pipelines/sea/triggers").body());
            int firedAt = stream.next;
            // ... then keep streaming, in smaller batches, while it retrains and rolls the new model out.
            long runId = performanceRun(http).getLong("id");
            boolean done = stream.replay(sea.lines().size(), RATE, 20, () -> ended(http, runId), x -> x);
            assertTrue(done, "the retraining run did not end before the stream did");
            int liveAt = stream.next;
            // More of the stream; meanwhile the trigger's checks read v2's own live accuracy: a check at
            // least one window after the run ended sees only v2's answers, as does one whose window was
            // cut to the time since v2 went live.
            java.time.Instant v2Only = java.time.Instant.parse(http.get("/api/runs/" + runId).json().getString("finished"))
                    .plusSeconds(15);
            JsonObject[] seen = new JsonObject[1];
            int until = Math.min(sea.lines().size(), liveAt + 10_000);
            stream.replay(until, RATE, 50, () -> {
                JsonObject t = firstTrigger(http);
                String o = t.getString("last_observation", "");
                boolean onlyV2 = o.contains("since sea v2 went live (") || (t.getString("last_checked") != null
                        && java.time.Instant.parse(t.getString("last_checked")).isAfter(v2Only) && o.contains("over last 15s ("));
                if (onlyV2) {
                    seen[0] = t;
                }
                return seen[0] != null && stream.next >= liveAt + 4_000;
            }, x -> x);
            stream.flushFeedback();

            JsonObject run = http.get("/api/runs/" + runId).json();
            assertEquals("succeeded", run.getString("status"), run.encodePrettily());
            assertEquals("performance", run.getString("trigger"));
            Matcher reason = Pattern.compile("performance: accuracy (0\\.\\d+) < 0\\.85 over last 15s \\((\\d+) labelled predictions\\)")
                    .matcher(run.getString("trigger_reason"));
            assertTrue(reason.matches(), run.getString("trigger_reason"));
            assertTrue(Double.parseDouble(reason.group(1)) < THRESHOLD);
            assertTrue(Long.parseLong(reason.group(2)) >= 1000);
            assertEquals("promote", run.getString("verdict"), run.getString("verdict_reason"));

            // The retrain used the recent window: the last 800 rows, all of the second concept.
            JsonObject source2 = run.getJsonArray("stages").getJsonObject(0);
            assertEquals(800, source2.getJsonObject("metrics").getInteger("rows"));
            Matcher kept = Pattern.compile("window last_rows 800: kept the last 800 of (\\d+) rows").matcher(source2.getString("log"));
            assertTrue(kept.find(), source2.getString("log"));
            assertTrue(Integer.parseInt(kept.group(1)) - 800 >= SWITCH, "window reached back into the first concept: " + kept.group());
            JsonObject v2 = http.get("/api/models/sea/versions/2").json();
            assertEquals("production", v2.getString("stage"));
            assertEquals("performance", v2.getJsonObject("lineage").getJsonObject("run").getString("trigger"));
            assertEquals(800, v2.getJsonObject("lineage").getJsonObject("settings").getJsonObject("window").getInteger("last_rows"));
            String deployLog = run.getJsonArray("stages").getJsonObject(run.getJsonArray("stages").size() - 1).getString("log");

            // Live accuracy: v1 before and after the switch, v2 once live.
            double v1After = stream.accuracy(1, SWITCH, liveAt);
            double v2After = stream.accuracy(2, liveAt, stream.next);
            String numbers = String.format(Locale.ROOT, "v1 on concept 1: %.4f (%d rows); v1 on concept 2: %.4f (%d rows); "
                            + "v2 on concept 2 once live: %.4f (%d rows); trigger fired after row %d, v2 live from row %d; "
                            + "v2 answered %d rows during the rollout; %d requests, %d failed",
                    v1Before, stream.answered(1, INITIAL, SWITCH), v1After, stream.answered(1, SWITCH, liveAt), v2After,
                    stream.answered(2, liveAt, stream.next), firedAt, liveAt, stream.answered(2, firedAt, liveAt),
                    stream.requests, stream.failedRequests);
            System.out.println("ConceptDriftIT: " + numbers);
            assertTrue(v1Before > THRESHOLD + 0.01, numbers);
            assertTrue(v1After < THRESHOLD, numbers);
            assertTrue(v2After > THRESHOLD + 0.01 && v2After > v1After + 0.03, numbers);
            assertEquals(0, stream.failedRequests);
            assertTrue(deployLog.contains("traffic 50% to the new version"), "the rollout went through its 50% step: " + deployLog);

            // The platform sees the recovery too: the trigger's checks read v2's live accuracy above the threshold.
            assertTrue(seen[0] != null, "no trigger check read v2's live accuracy: " + firstTrigger(http).encodePrettily());
            System.out.println("ConceptDriftIT: the trigger's last check of v2: " + seen[0].getString("last_observation"));
            assertTrue(seen[0].getString("last_observation").matches(
                    "accuracy 0\\.\\d+ ≥ 0\\.85 over last ([0-9ms]+, since sea v2 went live|15s) \\(\\d+ labelled predictions\\)"),
                    seen[0].encodePrettily());
            assertEquals(run.getString("trigger_reason"), seen[0].getString("last_reason"));
            assertEquals(2, runs(http).size(), "one retrain only: " + runs(http).encodePrettily());
        }
    }

    static JsonArray runs(Http http) throws Exception {
        return http.get("/api/pipelines/sea/runs").array();
    }

    static JsonObject performanceRun(Http http) {
        try {
            for (Object o : runs(http)) {
                JsonObject r = (JsonObject) o;
                if ("performance".equals(r.getString("trigger"))) {
                    return r;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean ended(Http http, long runId) {
        try {
            String status = http.get("/api/runs/" + runId).json().getString("status");
            return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject firstTrigger(Http http) {
        try {
            return http.get("/api/pipelines/sea/triggers").array().getJsonObject(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
