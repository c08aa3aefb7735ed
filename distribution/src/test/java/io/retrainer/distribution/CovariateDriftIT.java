package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.trigger.TriggerService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Covariate drift, end to end, with the real plugins: two endpoints serve models trained on the
 * same SEA rows and watch their inputs with the same drift trigger. Both receive the same stream,
 * except that one sees feature {@code f2} shifted by +4 (uniform on [4, 14] instead of [0, 10]).
 * The shifted one fires a drift run naming f2, and only f2; the unshifted one does not fire.
 */
class CovariateDriftIT {
    @BeforeAll
    static void fastTriggerChecks() {
        System.setProperty(TriggerService.CHECK_INTERVAL_PROPERTY, "1s");
    }

    @AfterAll
    static void defaultTriggerChecks() {
        System.clearProperty(TriggerService.CHECK_INTERVAL_PROPERTY);
    }

    static String pipeline(String name, Path csv) {
        return """
                name: %s
                source: { plugin: csv, config: { path: "%s", label: label, columns: [f1, f2, f3] } }
                train: { plugin: logistic-regression, config: { epochs: 10 } }
                evaluate: [ { plugin: classification-metrics } ]
                deploy: { plugin: local-serving, config: { endpoint: %s } }
                triggers:
                  - drift: { psi_above: 0.2, window: 1m, min_samples: 500, cooldown: 5m }
                """.formatted(name, csv, name);
    }

    @Test
    void aShiftedFeatureFiresTheDriftTriggerNamingItAndAnUnshiftedStreamDoesNot() throws Exception {
        ConceptDriftIT.Sea sea = ConceptDriftIT.Sea.load();
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            ConceptDriftIT.Replayer calm = new ConceptDriftIT.Replayer(http, "calm", app.dataDir.resolve("calm"), sea, 5_000);
            ConceptDriftIT.Replayer shifted = new ConceptDriftIT.Replayer(http, "shifted", app.dataDir.resolve("shifted"), sea, 5_000);
            for (String name : new String[] {"calm", "shifted"}) {
                Path csv = app.dataDir.resolve(name);
                Http.Response saved = http.post("/api/pipelines", "application/yaml", pipeline(name, csv));
                assertEquals(201, saved.status(), saved.body());
                JsonObject run = EndToEndIT.awaitRun(http, http.post("/api/pipelines/" + name + "/runs", null, "").json().getLong("id"));
                assertEquals("succeeded", run.getString("status"), run.encodePrettily());
            }

            // Both streams in step, 500 rows at a time each, until the shifted endpoint's trigger fires.
            JsonObject fired = null;
            int end = ConceptDriftIT.SWITCH;
            while (calm.next < end && fired == null) {
                int to = Math.min(end, calm.next + 500);
                calm.replay(to, 2000, 100, null, x -> x);
                shifted.replay(to, 2000, 100, null, x -> new double[] {x[0], x[1] + 4, x[2]});
                fired = driftRun(http, "shifted");
            }
            assertNotNull(fired, "the drift trigger of the shifted stream never fired: " + trigger(http, "shifted").encodePrettily());
            int firedAt = shifted.next;
            // The unshifted stream goes on as long again; its trigger keeps checking and must stay quiet.
            int quietUntil = Math.min(end, calm.next + Math.max(2000, firedAt - 5_000));
            calm.replay(quietUntil, 2000, 100, null, x -> x);
            Thread.sleep(2_000);

            String reason = fired.getString("trigger_reason");
            System.out.println("CovariateDriftIT: fired after " + (firedAt - 5_000) + " shifted rows: " + reason);
            Matcher m = Pattern.compile("drift: PSI (\\d+(\\.\\d+)?) > 0\\.2 on f2 \\(1 of 3 features\\) over last .+").matcher(reason);
            assertTrue(m.matches(), reason);
            assertTrue(Double.parseDouble(m.group(1)) > 0.2, reason);
            assertEquals("drift", fired.getString("trigger"));
            JsonObject shiftedTrigger = trigger(http, "shifted");
            assertEquals(reason, shiftedTrigger.getString("last_reason"));
            assertNotNull(shiftedTrigger.getString("last_fired"));

            JsonArray calmRuns = http.get("/api/pipelines/calm/runs").array();
            assertEquals(1, calmRuns.size(), "the unshifted stream fired: " + calmRuns.encodePrettily());
            JsonObject calmTrigger = trigger(http, "calm");
            String observed = calmTrigger.getString("last_observation");
            System.out.println("CovariateDriftIT: unshifted stream after " + (calm.next - 5_000) + " rows: " + observed);
            Matcher q = Pattern.compile("PSI above 0\\.2 on 0 of 3 features, 1 needed; highest (\\d+(\\.\\d+)?) on f\\d over last .+")
                    .matcher(observed);
            assertTrue(q.matches(), calmTrigger.encodePrettily());
            assertTrue(Double.parseDouble(q.group(1)) < 0.2, observed);
            assertEquals(null, calmTrigger.getString("last_fired"));
        }
    }

    static JsonObject driftRun(Http http, String pipeline) throws Exception {
        for (Object o : http.get("/api/pipelines/" + pipeline + "/runs").array()) {
            JsonObject r = (JsonObject) o;
            if ("drift".equals(r.getString("trigger"))) {
                return r;
            }
        }
        return null;
    }

    static JsonObject trigger(Http http, String pipeline) throws Exception {
        return http.get("/api/pipelines/" + pipeline + "/triggers").array().getJsonObject(0);
    }
}
