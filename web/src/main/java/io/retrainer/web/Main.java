package io.retrainer.web;

import io.retrainer.core.Platform;
import io.retrainer.core.config.ConfigException;
import io.retrainer.core.config.ConfigLoader;
import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.DatabaseException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts Retrainer: {@code retrainer [--port 8080] [--data-dir DIR] [--db-url postgresql://...]
 * [--plugins-dir DIR] [--config FILE]}. Exits 2 with one line on a configuration or database problem.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage());
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        try {
            Running running = start(ConfigLoader.load(args, System.getenv()));
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "retrainer-shutdown"));
        } catch (ConfigException | DatabaseException e) {
            System.err.println("retrainer: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("retrainer: failed to start: " + e.getMessage());
            LOG.debug("start failure", e);
            System.exit(1);
        }
    }

    /** A started platform and its web server. */
    public record Running(Vertx vertx, Platform platform, WebServer server) {
        /** The bound HTTP port. */
        public int port() {
            return server.actualPort();
        }

        /** Stops the platform (runs end, the database closes), then the server and Vert.x. */
        public void stop() {
            platform.close();
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(Duration.ofSeconds(10).toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("vert.x close", e);
            }
        }
    }

    /** Starts the platform and the web server; blocking. Used by {@link #main} and by tests. */
    public static Running start(PlatformConfig config) {
        long t0 = System.nanoTime();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        Platform platform;
        try {
            platform = Platform.start(config, vertx);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        WebServer server = new WebServer(platform);
        try {
            vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            platform.close();
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        String host = "0.0.0.0".equals(config.host()) ? "localhost" : config.host();
        LOG.info("Retrainer ready in {} ms: console at http://{}:{}/", (System.nanoTime() - t0) / 1_000_000, host,
                server.actualPort());
        return new Running(vertx, platform, server);
    }

    static String usage() {
        return """
                Usage: retrainer [options]
                  --port N            HTTP port for console, API, inference and metrics (default 8080; env RETRAINER_PORT)
                  --host ADDR         interface to listen on (default 0.0.0.0; env RETRAINER_HOST)
                  --data-dir DIR      embedded database, model artifacts, scratch (default ./data; env RETRAINER_DATA_DIR)
                  --db-url URL        external PostgreSQL, postgresql://user:pass@host:5432/db (default: embedded; env RETRAINER_DB_URL)
                  --plugins-dir DIR   plugin jars (default ./plugins; env RETRAINER_PLUGINS_DIR)
                  --max-parallel-runs N, --stage-timeout 1h, --demo true|false
                  --webhooks URL,URL  POST every platform event (runs, triggers, deployments) to these URLs
                  --prediction-log-capacity N, --prediction-retention 30d
                  --plugin-upload true --admin-token T   allow installing plugin jars through the API and console
                  --config FILE       a properties file with the same keys (default $RETRAINER_HOME/conf/retrainer.properties)
                """;
    }
}
