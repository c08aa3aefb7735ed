package io.retrainer.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.Platform;
import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.RunView;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run events reach a webhook from a real platform on PostgreSQL, while a second webhook that
 * accepts connections and never answers holds nothing up.
 */
class RunNotificationsTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");
    static Vertx vertx;
    static String db;
    static Platform platform;
    static final List<JsonObject> received = new CopyOnWriteArrayList<>();
    static final List<JsonObject> held = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        int good = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            received.add(b.toJsonObject());
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        // Reads each request and never answers it.
        int dead = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> held.add(b.toJsonObject())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        db = TestDatabases.create();
        PlatformConfig config = PlatformConfig.local(Files.createTempDirectory("notify-data"), db, Files.createTempDirectory("notify-plugins"))
                .withWebhooks(List.of("http://127.0.0.1:" + dead + "/never", "http://127.0.0.1:" + good + "/hook"));
        platform = Platform.start(config, vertx);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        TestDatabases.drop(db);
    }

    static String pipeline(String name, String sourceConfig) {
        return """
                name: %s
                source: { plugin: test-threshold-data, config: %s }
                train: { plugin: test-threshold }
                evaluate: [ { plugin: test-accuracy-gate } ]
                deploy: { plugin: test-serving, config: { endpoint: %s } }
                """.formatted(name, sourceConfig, name);
    }

    static RunView awaitRun(long id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RunView v = Db.await(platform.runs().get(id));
            if (FINAL.contains(v.summary().status())) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " still " + v.summary().status());
            }
            Thread.sleep(20);
        }
    }

    static JsonObject awaitEvent(String type, long runId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (JsonObject e : received) {
                if (type.equals(e.getString("event")) && Long.valueOf(runId).equals(e.getLong("run_id"))) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + type + " for run " + runId + "; received " + received);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRunThatSucceedsSendsStartedAndSucceededWhileADeadWebhookBlocksNothing() throws Exception {
        Db.await(platform.pipelines().save(pipeline("good", "{ rows: 200 }"), PipelineParser.Format.YAML));
        long id = Db.await(platform.runs().trigger("good", "manual", "operator pressed Run"));
        RunView run = awaitRun(id);
        assertEquals("succeeded", run.summary().status(), run.toString());

        JsonObject started = awaitEvent("run.started", id);
        assertEquals("good", started.getString("pipeline"));
        assertEquals("manual", started.getJsonObject("details").getString("trigger"));
        assertEquals("operator pressed Run", started.getJsonObject("details").getString("reason"));
        JsonObject succeeded = awaitEvent("run.succeeded", id);
        assertEquals("good", succeeded.getJsonObject("details").getString("model"));
        assertEquals(1, succeeded.getJsonObject("details").getInteger("version"));
        assertEquals("production", succeeded.getJsonObject("details").getString("stage"));

        // A second run finishes too, with the dead webhook still holding the first run's deliveries.
        long again = Db.await(platform.runs().trigger("good", "api", "again"));
        assertEquals("succeeded", awaitRun(again).summary().status());
        awaitEvent("run.succeeded", again);
        assertTrue(held.stream().anyMatch(e -> "run.started".equals(e.getString("event"))), "the dead webhook was called: " + held);
        assertTrue(platform.metrics().registry().getSampleValue("retrainer_notifications_total",
                new String[] {"event", "outcome"}, new String[] {"run.succeeded", "delivered"}) >= 2);
    }

    @Test
    void aFailedRunSaysWhy() throws Exception {
        Db.await(platform.pipelines().save(pipeline("broken", "{ fail: \"disk on fire\" }"), PipelineParser.Format.YAML));
        long id = Db.await(platform.runs().trigger("broken", "manual", "test"));
        assertEquals("failed", awaitRun(id).summary().status());
        JsonObject failed = awaitEvent("run.failed", id);
        assertTrue(failed.getJsonObject("details").getString("error").contains("disk on fire"), failed.encode());
    }

    @Test
    void aRunCancelledWhileQueuedIsReported() throws Exception {
        Db.await(platform.pipelines().save(pipeline("slow", "{ hang_ms: 1500 }"), PipelineParser.Format.YAML));
        long first = Db.await(platform.runs().trigger("slow", "manual", "first"));
        long second = Db.await(platform.runs().trigger("slow", "manual", "second"));
        Db.await(platform.runs().cancel(second));
        JsonObject cancelled = awaitEvent("run.cancelled", second);
        assertEquals("cancelled before it started", cancelled.getJsonObject("details").getString("error"));
        assertEquals("succeeded", awaitRun(first).summary().status());
    }
}
