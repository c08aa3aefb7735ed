package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example third-party plugin in {@code examples/echo-plugin}, built from its sources against
 * the plugin API only, installed by upload into a running platform (no restart) and run through
 * every one of its extensions; bad uploads are refused and leave nothing behind.
 */
class ThirdPartyPluginIT {
    static final Path ROOT = Installation.HOME.getParent().getParent().getParent();
    static final Duration WAIT = Duration.ofSeconds(120);

    /** The example plugin's jar, built from {@code examples/echo-plugin/src/main/java}. */
    static Path buildEcho(String version) throws Exception {
        Path src = ROOT.resolve("examples/echo-plugin/src/main/java");
        assertTrue(Files.isDirectory(src), "no example plugin sources at " + src);
        return PluginCompiler.fromDirectory(src, Files.createTempDirectory("echo").resolve("echo-plugin-" + version + ".jar"),
                "echo", version);
    }

    static String echoPipeline(String name, Path deployDir) {
        return """
                name: %s
                source: { plugin: echo-data, config: { rows: 600, noise: 0.05 } }
                split: { test_fraction: 0.25 }
                train: { plugin: nearest-centroid }
                evaluate:
                  - { plugin: echo-accuracy }
                deploy: { plugin: echo-file, config: { dir: "%s" } }
                """.formatted(name, deployDir.toString().replace("\\", "/"));
    }

    @Test
    void theExamplePluginIsUploadedWithoutRestartAndRunsThroughAllItsExtensions() throws Exception {
        Path echo = buildEcho("0.1.0");
        try (PluginTestPlatform app = PluginTestPlatform.start(true, Duration.ofMinutes(2))) {
            assertNull(app.plugin("echo"));

            // Upload needs the admin token.
            PluginTestPlatform.Reply anonymous = app.upload(echo, null);
            assertEquals(401, anonymous.status(), anonymous.body());
            assertTrue(anonymous.json().getString("error").contains("Authorization: Bearer"), anonymous.body());
            PluginTestPlatform.Reply wrong = app.upload(echo, "not-the-token");
            assertEquals(401, wrong.status(), wrong.body());
            assertEquals("the admin token is wrong", wrong.json().getString("error"));

            PluginTestPlatform.Reply installed = app.upload(echo, PluginTestPlatform.TOKEN);
            assertEquals(201, installed.status(), installed.body());
            JsonObject p = installed.json();
            assertEquals("echo", p.getString("id"));
            assertEquals("0.1.0", p.getString("version"));
            assertEquals("tests", p.getString("provider"));
            assertEquals(">=1.0.0 & <2.0.0", p.getString("requires"));
            assertEquals("started", p.getString("state"));
            assertEquals("echo-0.1.0.jar", p.getString("file"));
            JsonArray ext = p.getJsonArray("extensions");
            assertEquals(List.of("echo-accuracy", "echo-data", "echo-file", "nearest-centroid"),
                    ext.stream().map(e -> ((JsonObject) e).getString("id")).toList());
            JsonObject centroid = ext.getJsonObject(3);
            assertEquals(new JsonArray(List.of("trainer", "model-loader")), centroid.getJsonArray("kinds"));
            assertEquals("rows", ext.getJsonObject(1).getJsonArray("settings").getJsonObject(0).getString("name"));
            assertTrue(Files.exists(app.pluginsDir.resolve("echo-0.1.0.jar")));

            // A pipeline through all of its extensions: data source, trainer, evaluator, deployer.
            Path deployDir = Files.createTempDirectory("echo-deployed");
            JsonObject first = app.awaitRun(app.saveAndRun(echoPipeline("echo-loop", deployDir)), WAIT);
            assertEquals("succeeded", first.getString("status"), first.encodePrettily());
            assertEquals("echo-600-0.05-7", PluginTestPlatform.stage(first, "source").getJsonObject("metrics").getString("fingerprint"));
            assertEquals("echo-centroid", PluginTestPlatform.stage(first, "train").getJsonObject("metrics").getString("format"));
            double accuracy = PluginTestPlatform.stage(first, "evaluate").getJsonObject("metrics").getJsonObject("candidate")
                    .getDouble("echo_accuracy");
            assertTrue(accuracy > 0.8, "accuracy " + accuracy);
            assertTrue(Files.readString(deployDir.resolve("echo-loop.deployed")).contains("version=1"));

            // The second run scores the production model too, which the plugin's model loader reads back from the registry.
            JsonObject second = app.awaitRun(app.saveAndRun(echoPipeline("echo-loop", deployDir)), WAIT);
            assertEquals("succeeded", second.getString("status"), second.encodePrettily());
            JsonObject eval = PluginTestPlatform.stage(second, "evaluate").getJsonObject("metrics");
            assertEquals(eval.getJsonObject("candidate").getDouble("echo_accuracy"), eval.getJsonObject("champion").getDouble("echo_accuracy"),
                    1e-9, eval.encode());
            assertEquals("promote", second.getString("verdict"));
            assertTrue(Files.readString(deployDir.resolve("echo-loop.deployed")).contains("version=2"));
            JsonObject lineage = app.http.get("/api/models/echo-loop/versions/2").json().getJsonObject("lineage");
            assertEquals("echo", lineage.getJsonObject("plugins").getJsonObject("train").getString("plugin"));
            assertEquals("0.1.0", lineage.getJsonObject("plugins").getJsonObject("train").getString("plugin_version"));

            // A new version replaces it (multipart, as the console sends it); the old jar goes.
            PluginTestPlatform.Reply upgraded = app.uploadMultipart(buildEcho("0.1.1"), PluginTestPlatform.TOKEN);
            assertEquals(201, upgraded.status(), upgraded.body());
            assertEquals("0.1.1", upgraded.json().getString("version"));
            assertEquals(List.of("echo-0.1.1.jar"), echoJars(app));
            JsonObject third = app.awaitRun(app.saveAndRun(echoPipeline("echo-loop", deployDir)), WAIT);
            assertEquals("succeeded", third.getString("status"), third.encodePrettily());
            assertEquals("0.1.1", app.http.get("/api/models/echo-loop/versions/3").json().getJsonObject("lineage")
                    .getJsonObject("plugins").getJsonObject("train").getString("plugin_version"));

            // Uninstall: the jar goes, and pipelines using it no longer validate.
            assertEquals(401, app.send("DELETE", "/api/plugins/echo", null, null, null).status());
            PluginTestPlatform.Reply removed = app.send("DELETE", "/api/plugins/echo", PluginTestPlatform.TOKEN, null, null);
            assertEquals(200, removed.status(), removed.body());
            assertEquals(List.of(), echoJars(app));
            assertNull(app.plugin("echo"));
            Http.Response invalid = app.http.post("/api/pipelines", "application/yaml", echoPipeline("echo-loop", deployDir));
            assertEquals(400, invalid.status());
            assertTrue(invalid.body().contains("source.plugin: no data-source called 'echo-data' is loaded"), invalid.body());
            assertEquals(404, app.send("DELETE", "/api/plugins/echo", PluginTestPlatform.TOKEN, null, null).status());
        }
    }

    @Test
    void badUploadsAreRefusedWithTheReasonAndLeaveNothingBehind() throws Exception {
        try (PluginTestPlatform app = PluginTestPlatform.start(true, Duration.ofMinutes(2))) {
            List<String> before = files(app.pluginsDir);
            int pluginsBefore = app.http.get("/api/plugins").array().size();
            Path dir = Files.createTempDirectory("bad-uploads");

            Path future = PluginCompiler.fromSources(Map.of("com.example.future.FutureSource", dataSource("com.example.future",
                    "FutureSource", "future-data")), dir.resolve("future.jar"), "future", "1.0.0", ">=2.0.0 & <3.0.0");
            assertRefused(app, future, "requires Retrainer API >=2.0.0 & <3.0.0 but this platform provides 1.1.0");

            Path clash = PluginCompiler.fromSources(Map.of("com.example.clash.CsvAgain", dataSource("com.example.clash",
                    "CsvAgain", "csv")), dir.resolve("clash.jar"), "clash", "1.0.0", ">=1.0.0 & <2.0.0");
            assertRefused(app, clash, "data-source id 'csv' is already provided by plugin csv");

            Path badId = PluginCompiler.fromSources(Map.of("com.example.bad.BadId", dataSource("com.example.bad",
                    "BadId", "Not_An_Id")), dir.resolve("bad-id.jar"), "bad-id", "1.0.0", ">=1.0.0 & <2.0.0");
            assertRefused(app, badId, "data-source com.example.bad.BadId has id 'Not_An_Id'; ids must match [a-z][a-z0-9-]*");

            assertRefused(app, PluginJars.garbage(dir.resolve("garbage.jar")), "not a readable jar file: ");
            assertRefused(app, PluginJars.missingExtensionClass(dir.resolve("hollow.jar"), "hollow"),
                    "extension class com.example.NotInThisJar is listed in META-INF/extensions.idx but is not in the jar");

            PluginTestPlatform.Reply wrongType = app.send("POST", "/api/plugins", PluginTestPlatform.TOKEN, "text/plain", "hi".getBytes());
            assertEquals(415, wrongType.status(), wrongType.body());

            assertEquals(before, files(app.pluginsDir));
            assertEquals(pluginsBefore, app.http.get("/api/plugins").array().size());
            try (Stream<Path> left = Files.list(app.dataDir.resolve("scratch/plugin-uploads"))) {
                assertEquals(List.of(), left.toList());
            }
            assertEquals(200, app.http.get("/health/ready").status());
        }
    }

    private static void assertRefused(PluginTestPlatform app, Path jar, String reason) throws Exception {
        PluginTestPlatform.Reply r = app.upload(jar, PluginTestPlatform.TOKEN);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("reason").startsWith(reason), r.body());
        assertEquals("plugin refused: " + r.json().getString("reason"), r.json().getString("error"));
    }

    /** A minimal data source extension's source. */
    static String dataSource(String pkg, String cls, String id) {
        return """
                package %s;
                import io.retrainer.api.*;
                @org.pf4j.Extension
                public final class %s implements DataSource {
                    public String id() { return "%s"; }
                    public Dataset load(StageContext c) { throw new IllegalStateException("never loaded"); }
                }
                """.formatted(pkg, cls, id);
    }

    private static List<String> echoJars(PluginTestPlatform app) throws Exception {
        return files(app.pluginsDir).stream().filter(f -> f.startsWith("echo")).toList();
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
