package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managing plugins on a running platform started with upload off (and an admin token): disable,
 * enable, reload (refused while a run uses the plugin), and isolation: two plugins bundling
 * different versions of one library, a plugin that throws and plugins that hang affect only
 * their own stage.
 */
class PluginManagementIT {
    static final Duration STAGE_TIMEOUT = Duration.ofSeconds(8);
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String TOKEN = PluginTestPlatform.TOKEN;
    static PluginTestPlatform app;
    static Path markers;

    @BeforeAll
    static void start() throws Exception {
        Path jars = Files.createTempDirectory("managed-jars");
        markers = Files.createTempDirectory("hang-markers");
        Path echo = ThirdPartyPluginIT.buildEcho("0.1.0");
        Path libA = PluginCompiler.fromSources(Map.of("com.example.lib.Version", version("1.0"),
                "com.example.liba.LibSource", libSource("com.example.liba", "lib-a-data")), jars.resolve("lib-a.jar"), "lib-a", "1.0.0",
                ">=1.0.0 & <2.0.0");
        Path libB = PluginCompiler.fromSources(Map.of("com.example.lib.Version", version("2.0"),
                "com.example.libb.LibSource", libSource("com.example.libb", "lib-b-data")), jars.resolve("lib-b.jar"), "lib-b", "1.0.0",
                ">=1.0.0 & <2.0.0");
        Path misbehaving = PluginCompiler.fromSources(Map.of("com.example.bad.Boom", BOOM, "com.example.bad.Hang", HANG),
                jars.resolve("misbehaving.jar"), "misbehaving", "1.0.0", ">=1.0.0 & <2.0.0");
        // Dropped into the plugins directory before the start (installing into a running platform is ThirdPartyPluginIT's).
        app = PluginTestPlatform.start(false, STAGE_TIMEOUT, echo, libA, libB, misbehaving);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String version(String v) {
        return "package com.example.lib; public final class Version { public static final String VALUE = \"" + v + "\"; "
                + "public static String value() { return VALUE; } }";
    }

    /** A data source whose fingerprint says which com.example.lib.Version its class loader sees. */
    static String libSource(String pkg, String id) {
        return """
                package %s;
                import io.retrainer.api.*;
                import java.util.List;
                @org.pf4j.Extension
                public final class LibSource implements DataSource {
                    public String id() { return "%s"; }
                    public Dataset load(StageContext c) {
                        String seen = com.example.lib.Version.value();
                        c.log().info("sees com.example.lib.Version " + seen);
                        Dataset.Builder b = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                                new Column("y", ColumnType.NUMERIC), new Column("side", ColumnType.CATEGORICAL)), "side"));
                        java.util.Random r = new java.util.Random(1);
                        for (int i = 0; i < 200; i++) {
                            double x = r.nextDouble(), y = r.nextDouble();
                            b.addRow(x, y, x + y > 1 ? "high" : "low");
                        }
                        return b.fingerprint("lib-" + seen).build();
                    }
                }
                """.formatted(pkg, id);
    }

    static final String BOOM = """
            package com.example.bad;
            import io.retrainer.api.*;
            @org.pf4j.Extension
            public final class Boom implements Trainer {
                public String id() { return "boom"; }
                public TrainedModel train(Dataset d, StageContext c) { throw new IllegalStateException("boom: deliberate failure"); }
            }
            """;

    /** Hangs until cancelled (writing a marker when it notices) or, with obey: false, forever. */
    static final String HANG = """
            package com.example.bad;
            import io.retrainer.api.*;
            @org.pf4j.Extension
            public final class Hang implements Trainer {
                public String id() { return "hang"; }
                public ConfigSpec configSpec() {
                    return ConfigSpec.builder().optional("obey", SettingType.BOOLEAN, true, "stop when cancelled")
                            .required("marker", SettingType.STRING, "file written when cancellation is seen").build();
                }
                public TrainedModel train(Dataset d, StageContext c) throws Exception {
                    boolean obey = c.settings().bool("obey");
                    while (true) {
                        if (obey && c.isCancelled()) {
                            // A plain stream: NIO channels refuse to write on a thread with its interrupt flag set.
                            try (java.io.FileWriter w = new java.io.FileWriter(c.settings().requireString("marker"))) {
                                w.write("saw cancel");
                            }
                            throw new IllegalStateException("stopped: cancelled");
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            // Swallowed on purpose: an obedient plugin looks at isCancelled() next, a stubborn one carries on.
                        }
                    }
                }
            }
            """;

    static String pipeline(String name, String source, String train) {
        return """
                name: %s
                source: %s
                split: { test_fraction: 0.25 }
                train: %s
                evaluate:
                  - { plugin: echo-accuracy }
                """.formatted(name, source, train);
    }

    static final String ECHO_SOURCE = "{ plugin: echo-data, config: { rows: 300 } }";
    static final String CENTROID = "{ plugin: nearest-centroid }";

    @Test
    void everyPluginLoadedAndUploadIsOff() throws Exception {
        for (String id : new String[] {"echo", "lib-a", "lib-b", "misbehaving"}) {
            assertEquals("started", app.plugin(id).getString("state"), id);
        }
        PluginTestPlatform.Reply upload = app.upload(ThirdPartyPluginIT.buildEcho("0.2.0"), TOKEN);
        assertEquals(403, upload.status(), upload.body());
        assertTrue(upload.json().getString("error").startsWith("plugin upload is off: start the platform with --plugin-upload true"),
                upload.body());
        assertEquals(403, app.send("DELETE", "/api/plugins/echo", TOKEN, null, null).status());
        assertEquals("started", app.plugin("echo").getString("state"));
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwn() throws Exception {
        JsonObject a = app.awaitRun(app.saveAndRun(pipeline("lib-a", "{ plugin: lib-a-data }", CENTROID)), WAIT);
        JsonObject b = app.awaitRun(app.saveAndRun(pipeline("lib-b", "{ plugin: lib-b-data }", CENTROID)), WAIT);
        assertEquals("succeeded", a.getString("status"), a.encodePrettily());
        assertEquals("succeeded", b.getString("status"), b.encodePrettily());
        assertEquals("lib-1.0", PluginTestPlatform.stage(a, "source").getJsonObject("metrics").getString("fingerprint"));
        assertEquals("lib-2.0", PluginTestPlatform.stage(b, "source").getJsonObject("metrics").getString("fingerprint"));
        assertTrue(PluginTestPlatform.stage(b, "source").getString("log").contains("sees com.example.lib.Version 2.0"));
        // Neither copy leaks into the host.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.lib.Version"));
    }

    @Test
    void aThrowingAndTwoHangingPluginsFailOnlyTheirStageAndThePlatformStaysHealthy() throws Exception {
        Path obeyMarker = markers.resolve("obey");
        Path ignoreMarker = markers.resolve("ignore");
        long boom = app.saveAndRun(pipeline("boom", ECHO_SOURCE, "{ plugin: boom }"));
        long obeys = app.saveAndRun(pipeline("hang-obeys", ECHO_SOURCE, "{ plugin: hang, config: { marker: \"" + obeyMarker + "\" } }"));
        long ignores = app.saveAndRun(pipeline("hang-ignores", ECHO_SOURCE,
                "{ plugin: hang, config: { obey: false, marker: \"" + ignoreMarker + "\" } }"));

        JsonObject thrown = app.awaitRun(boom, WAIT);
        assertEquals("failed", thrown.getString("status"));
        assertEquals("stage train (boom) failed: boom: deliberate failure", thrown.getString("error"));
        assertEquals("succeeded", PluginTestPlatform.stage(thrown, "source").getString("status"));
        assertEquals("skipped", PluginTestPlatform.stage(thrown, "evaluate").getString("status"));

        for (long id : new long[] {obeys, ignores}) {
            JsonObject hung = app.awaitRun(id, WAIT);
            assertEquals("failed", hung.getString("status"), hung.encodePrettily());
            assertTrue(hung.getString("error").endsWith("failed: timed out after 8.0 s (stage-timeout)"), hung.getString("error"));
        }
        // The timeout reached the cooperative plugin through StageContext.isCancelled().
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(obeyMarker) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("saw cancel", Files.readString(obeyMarker));

        assertEquals(200, app.http.get("/health/ready").status());
        JsonObject fine = app.awaitRun(app.saveAndRun(pipeline("after-trouble", ECHO_SOURCE, CENTROID)), WAIT);
        assertEquals("succeeded", fine.getString("status"), fine.encodePrettily());
    }

    @Test
    void aDisabledPluginIsNotOfferedAndPipelinesUsingItFailValidation() throws Exception {
        assertEquals(401, app.send("POST", "/api/plugins/lib-b/disable", null, null, null).status());
        PluginTestPlatform.Reply off = app.send("POST", "/api/plugins/lib-b/disable", TOKEN, null, null);
        assertEquals(200, off.status(), off.body());
        assertEquals("disabled", off.json().getString("state"));
        assertEquals("disabled", app.plugin("lib-b").getString("state"));
        assertTrue(Files.readString(app.pluginsDir.resolve("disabled-plugins.txt")).contains("lib-b"));

        Http.Response invalid = app.http.post("/api/pipelines", "application/yaml", pipeline("uses-b", "{ plugin: lib-b-data }", CENTROID));
        assertEquals(400, invalid.status());
        assertTrue(invalid.body().contains("source.plugin: data-source 'lib-b-data' belongs to plugin lib-b, which is disabled"),
                invalid.body());

        PluginTestPlatform.Reply on = app.send("POST", "/api/plugins/lib-b/enable", TOKEN, null, null);
        assertEquals(200, on.status(), on.body());
        assertEquals("started", on.json().getString("state"));
        assertTrue(!Files.exists(app.pluginsDir.resolve("disabled-plugins.txt")));
        Http.Response valid = app.http.post("/api/pipelines", "application/yaml", pipeline("uses-b", "{ plugin: lib-b-data }", CENTROID));
        assertEquals(201, valid.status(), valid.body());

        assertEquals(404, app.send("POST", "/api/plugins/nope/disable", TOKEN, null, null).status());
        assertEquals(409, app.send("POST", "/api/plugins/system/disable", TOKEN, null, null).status());
    }

    @Test
    void aPluginInUseIsNotReloadedAndTheRefusalNamesTheRun() throws Exception {
        Path marker = markers.resolve("reload");
        long run = app.saveAndRun(pipeline("holds-misbehaving", ECHO_SOURCE, "{ plugin: hang, config: { marker: \"" + marker + "\" } }"));
        app.awaitStage(run, "train", WAIT);

        PluginTestPlatform.Reply refused = app.send("POST", "/api/plugins/misbehaving/reload", TOKEN, null, null);
        assertEquals(409, refused.status(), refused.body());
        assertEquals("plugin misbehaving cannot be reloaded while runs use it: run " + run + " (holds-misbehaving); "
                + "wait for them to finish or cancel them", refused.json().getString("error"));
        JsonArray usedBy = app.plugin("misbehaving").getJsonArray("used_by");
        assertEquals(new JsonArray().add(new JsonObject().put("run", run).put("pipeline", "holds-misbehaving")), usedBy);

        assertEquals(202, app.http.post("/api/runs/" + run + "/cancel", null, "").status());
        JsonObject cancelled = app.awaitRun(run, WAIT);
        assertEquals("cancelled", cancelled.getString("status"), cancelled.encodePrettily());
        assertEquals(new JsonArray(), app.plugin("misbehaving").getJsonArray("used_by"));

        PluginTestPlatform.Reply reloaded = app.send("POST", "/api/plugins/misbehaving/reload", TOKEN, null, null);
        assertEquals(200, reloaded.status(), reloaded.body());
        assertEquals("started", reloaded.json().getString("state"));
        JsonObject thrown = app.awaitRun(app.saveAndRun(pipeline("boom-after-reload", ECHO_SOURCE, "{ plugin: boom }")), WAIT);
        assertEquals("stage train (boom) failed: boom: deliberate failure", thrown.getString("error"));
    }
}
