package io.retrainer.core;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunView;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A real platform for tests: a fresh database on the local PostgreSQL server, a temporary data
 * directory, and the plugins in {@code pluginsDir} (plus the test extensions on the class path).
 */
public final class PlatformFixture implements AutoCloseable {
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    public final Vertx vertx = Vertx.vertx();
    public final String dbUrl;
    public final Path dataDir;
    public final Path pluginsDir;
    public Platform platform;
    private final boolean ownsDb;

    private PlatformFixture(String dbUrl, boolean ownsDb, Path dataDir, Path pluginsDir) {
        this.dbUrl = dbUrl;
        this.ownsDb = ownsDb;
        this.dataDir = dataDir;
        this.pluginsDir = pluginsDir;
    }

    /** A platform on a fresh external database with no plugin jars. */
    public static PlatformFixture start() throws Exception {
        return start(TestDatabases.create(), Files.createTempDirectory("retrainer-plugins"), Duration.ofMinutes(5));
    }

    /** A platform on {@code dbUrl} ({@code null}: embedded) with plugin jars from {@code pluginsDir}. */
    public static PlatformFixture start(String dbUrl, Path pluginsDir, Duration stageTimeout) throws Exception {
        PlatformFixture f = new PlatformFixture(dbUrl, dbUrl != null, Files.createTempDirectory("retrainer-data"), pluginsDir);
        f.platform = Platform.start(f.config().withStageTimeout(stageTimeout), f.vertx);
        return f;
    }

    /** This fixture's configuration. */
    public PlatformConfig config() {
        return PlatformConfig.local(dataDir, dbUrl, pluginsDir);
    }

    /** Stops the platform and starts a new one on the same database and data directory (a restart). */
    public void restart() {
        stop();
        startAgain();
    }

    /** Stops the platform (the database stays). */
    public void stop() {
        platform.close();
    }

    /** Starts a new platform on the same database and data directory. */
    public void startAgain() {
        platform = Platform.start(config(), vertx);
    }

    /** Saves a YAML pipeline. */
    public PipelineView save(String yaml) {
        return Db.await(platform.pipelines().save(yaml, PipelineParser.Format.YAML));
    }

    /** Queues a manual run. */
    public long trigger(String pipeline) {
        return Db.await(platform.runs().trigger(pipeline, "manual", "test"));
    }

    /** Waits until run {@code id} has ended and returns it. */
    public RunView awaitRun(long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunView v = Db.await(platform.runs().get(id));
            if (FINAL.contains(v.summary().status())) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " still " + v.summary().status() + " after " + timeout + ": " + v);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until run {@code id} has the given status. */
    public void awaitStatus(long id, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Db.await(platform.runs().get(id)).summary().status().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " never became " + status);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        if (platform != null) {
            platform.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        if (ownsDb) {
            TestDatabases.drop(dbUrl);
        }
    }
}
