package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Bad plugin jars are refused with the file and the reason; the good ones load and the platform runs. */
class RefusedPluginIT {

    @Test
    void incompatibleBrokenAndEmptyJarsAreRefusedAndThePlatformKeepsRunning() throws Exception {
        Path dir = Files.createTempDirectory("plugins-mixed");
        Path real = Installation.HOME.resolve("plugins");
        try (Stream<Path> jars = Files.list(real)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        }
        Path localServing;
        try (Stream<Path> jars = Files.list(real)) {
            localServing = jars.filter(p -> p.getFileName().toString().contains("local-serving")).findFirst().orElseThrow();
        }
        PluginJars.withManifest(localServing, dir.resolve("from-the-future.jar"), "future-serving", ">=2.0.0 & <3.0.0");
        PluginJars.garbage(dir.resolve("garbage.jar"));
        PluginJars.missingExtensionClass(dir.resolve("hollow.jar"), "hollow");

        try (Installation app = Installation.start(true, dir)) {
            assertEquals(200, app.http.get("/health/ready").status());
            JsonArray plugins = app.http.get("/api/plugins").array();
            Map<String, JsonObject> byFile = new HashMap<>();
            plugins.forEach(p -> byFile.put(((JsonObject) p).getString("file"), (JsonObject) p));

            JsonObject future = byFile.get("from-the-future.jar");
            assertEquals("refused", future.getString("state"));
            assertEquals("requires Retrainer API >=2.0.0 & <3.0.0 but this platform provides 1.1.0", future.getString("reason"));
            JsonObject garbage = byFile.get("garbage.jar");
            assertEquals("refused", garbage.getString("state"));
            assertTrue(garbage.getString("reason").startsWith("not a readable jar file: "), garbage.getString("reason"));
            JsonObject hollow = byFile.get("hollow.jar");
            assertEquals("refused", hollow.getString("state"));
            assertEquals("extension class com.example.NotInThisJar is listed in META-INF/extensions.idx but is not in the jar",
                    hollow.getString("reason"));

            long started = plugins.stream().filter(p -> ((JsonObject) p).getString("state").equals("started")
                    && !"system".equals(((JsonObject) p).getString("id"))).count();
            long shipped;
            try (Stream<Path> jars = Files.list(real)) {
                shipped = jars.filter(p -> p.toString().endsWith(".jar")).count();
            }
            assertEquals(shipped, started, plugins.encodePrettily());
            JsonObject logreg = plugins.stream().map(p -> (JsonObject) p)
                    .filter(p -> "logistic-regression".equals(p.getString("id"))).findFirst().orElseThrow();
            assertTrue(logreg.getJsonArray("extensions").encode().contains("\"kinds\":[\"trainer\"]"), logreg.encode());
            assertTrue(logreg.getJsonArray("extensions").encode().contains("\"id\":\"tribuo-logistic-regression\""), logreg.encode());

            // The refused deployer is not offered to pipelines.
            Http.Response invalid = app.http.post("/api/pipelines", "application/yaml", """
                    name: future
                    source: { plugin: csv, config: { path: x.csv, label: y } }
                    train: { plugin: logistic-regression }
                    deploy: { plugin: future-serving }
                    """);
            assertEquals(400, invalid.status());
            assertTrue(invalid.body().contains("deploy.plugin: no deployer called 'future-serving' is loaded"), invalid.body());
        }
    }
}
