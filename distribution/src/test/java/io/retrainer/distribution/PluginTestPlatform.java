package io.retrainer.distribution;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.web.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A platform for plugin tests: the distribution's own plugins copied into a private plugins
 * directory (tests install and delete jars there), a fresh database on the local PostgreSQL, and
 * an HTTP client that can send jars, tokens and DELETEs.
 */
final class PluginTestPlatform implements AutoCloseable {
    static final String TOKEN = "s3cret-admin-token-for-tests";
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    final Path pluginsDir;
    final Path dataDir;
    final String dbUrl;
    final Main.Running running;
    final Http http;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PluginTestPlatform(Path pluginsDir, Path dataDir, String dbUrl, Main.Running running) {
        this.pluginsDir = pluginsDir;
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.running = running;
        this.http = new Http(running.port());
    }

    /**
     * Starts with upload on or off (the admin token is set either way), the given stage timeout,
     * and {@code extraJars} in the plugins directory besides the built-in ones.
     */
    static PluginTestPlatform start(boolean upload, Duration stageTimeout, Path... extraJars) throws IOException {
        Path plugins = Files.createTempDirectory("plugins-managed");
        try (Stream<Path> jars = Files.list(Installation.HOME.resolve("plugins"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        for (Path jar : extraJars) {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        Path data = Files.createTempDirectory("retrainer-plugin-it");
        String url = TestDatabases.create();
        PlatformConfig config = PlatformConfig.local(data, url, plugins).withStageTimeout(stageTimeout)
                .withPluginUpload(upload, TOKEN);
        try {
            return new PluginTestPlatform(plugins, data, url, Main.start(config));
        } catch (RuntimeException e) {
            TestDatabases.drop(url);
            throw e;
        }
    }

    /** A response. */
    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }
    }

    Reply send(String method, String path, String token, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** Uploads {@code jar} as the raw body. */
    Reply upload(Path jar, String token) throws IOException, InterruptedException {
        return send("POST", "/api/plugins", token, "application/java-archive", Files.readAllBytes(jar));
    }

    /** Uploads {@code jar} as a multipart file, as a browser form does. */
    Reply uploadMultipart(Path jar, String token) throws IOException, InterruptedException {
        String boundary = "----retrainer-test-boundary";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes());
        out.write(Files.readAllBytes(jar));
        out.write(("\r\n--" + boundary + "--\r\n").getBytes());
        return send("POST", "/api/plugins", token, "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** The plugin {@code id} as listed by {@code GET /api/plugins}. */
    JsonObject plugin(String id) throws IOException, InterruptedException {
        for (Object o : http.get("/api/plugins").array()) {
            JsonObject p = (JsonObject) o;
            if (id.equals(p.getString("id"))) {
                return p;
            }
        }
        return null;
    }

    /** Saves a pipeline (expects success) and queues a run; returns the run id. */
    long saveAndRun(String yaml) throws IOException, InterruptedException {
        Http.Response saved = http.post("/api/pipelines", "application/yaml", yaml);
        if (saved.status() != 201 && saved.status() != 200) {
            throw new AssertionError("pipeline not saved: " + saved.status() + " " + saved.body());
        }
        String name = saved.json().getString("name");
        Http.Response run = http.post("/api/pipelines/" + name + "/runs", null, "");
        if (run.status() != 202) {
            throw new AssertionError("run not queued: " + run.status() + " " + run.body());
        }
        return run.json().getLong("id");
    }

    /** Waits until run {@code id} has ended and returns it. */
    JsonObject awaitRun(long id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject run = http.get("/api/runs/" + id).json();
            if (FINAL.contains(run.getString("status"))) {
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " still " + run.getString("status") + " after " + timeout + ": " + run.encodePrettily());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until run {@code id} has reached stage {@code stage} (status running). */
    void awaitStage(long id, String stage, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject run = http.get("/api/runs/" + id).json();
            JsonArray stages = run.getJsonArray("stages");
            if (stages != null) {
                for (Object o : stages) {
                    JsonObject s = (JsonObject) o;
                    if (stage.equals(s.getString("name")) && "running".equals(s.getString("status"))) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " never reached stage " + stage + " running");
    }

    /** The stage called {@code name} of a run document. */
    static JsonObject stage(JsonObject run, String name) {
        for (Object o : run.getJsonArray("stages")) {
            if (name.equals(((JsonObject) o).getString("name"))) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no stage " + name + " in " + run.encodePrettily());
    }

    @Override
    public void close() {
        running.stop();
        TestDatabases.drop(dbUrl);
    }
}
