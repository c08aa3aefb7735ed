package io.retrainer.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The platform's settings, resolved from (highest first) command-line options, {@code RETRAINER_*}
 * environment variables, the config file, and defaults. See {@link ConfigLoader}.
 *
 * @param host interface to listen on
 * @param port HTTP port for console, API, inference and metrics
 * @param dataDir where the embedded database, artifacts and scratch files live
 * @param dbUrl external PostgreSQL URL, or {@code null} for the embedded server
 * @param pluginsDir directory of plugin jars
 * @param maxParallelRuns runs of different pipelines executing at once
 * @param stageTimeout how long one stage may run
 * @param demo whether to create the demo pipeline on first start
 */
public record PlatformConfig(String host, int port, Path dataDir, String dbUrl, Path pluginsDir, int maxParallelRuns,
                             Duration stageTimeout, boolean demo) {

    /** Config key (file) / option (CLI, with {@code --}) of the port. */
    public static final String PORT = "port";
    /** Key of the listen host. */
    public static final String HOST = "host";
    /** Key of the data directory. */
    public static final String DATA_DIR = "data-dir";
    /** Key of the database URL. */
    public static final String DB_URL = "db-url";
    /** Key of the plugins directory. */
    public static final String PLUGINS_DIR = "plugins-dir";
    /** Key of the parallel-run limit. */
    public static final String MAX_PARALLEL_RUNS = "max-parallel-runs";
    /** Key of the stage timeout. */
    public static final String STAGE_TIMEOUT = "stage-timeout";
    /** Key of the demo switch. */
    public static final String DEMO = "demo";

    /** Defaults: port 8080 on all interfaces, {@code ./data}, embedded database, {@code ./plugins}. */
    public static PlatformConfig defaults() {
        return new PlatformConfig("0.0.0.0", 8080, Path.of("data"), null, Path.of("plugins"),
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofHours(1), true);
    }

    /** A copy with another port. */
    public PlatformConfig withPort(int newPort) {
        return new PlatformConfig(host, newPort, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, demo);
    }

    /** A copy with another database URL ({@code null} for embedded). */
    public PlatformConfig withDbUrl(String url) {
        return new PlatformConfig(host, port, dataDir, url, pluginsDir, maxParallelRuns, stageTimeout, demo);
    }

    /** A copy with the demo switched on or off. */
    public PlatformConfig withDemo(boolean on) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, on);
    }

    /** A copy with another stage timeout. */
    public PlatformConfig withStageTimeout(Duration timeout) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, timeout, demo);
    }
}
