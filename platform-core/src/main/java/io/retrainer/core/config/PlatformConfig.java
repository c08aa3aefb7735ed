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
 * @param webhooks URLs that receive a JSON POST for every platform event (run, trigger, deployment)
 * @param predictionLogCapacity predictions queued for the database before new ones are dropped (and counted)
 * @param predictionRetention how long logged predictions and their feedback are kept
 * @param pluginUpload whether plugin jars may be installed (and uninstalled) over HTTP; off by default
 * @param adminToken the bearer token plugin management requires, or {@code null} for none
 */
public record PlatformConfig(String host, int port, Path dataDir, String dbUrl, Path pluginsDir, int maxParallelRuns,
                             Duration stageTimeout, boolean demo, java.util.List<String> webhooks, int predictionLogCapacity,
                             Duration predictionRetention, boolean pluginUpload, String adminToken) {

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
    /** Key of the webhook URLs (comma-separated). */
    public static final String WEBHOOKS = "webhooks";
    /** Key of the prediction log queue capacity. */
    public static final String PREDICTION_LOG_CAPACITY = "prediction-log-capacity";
    /** Key of the prediction retention. */
    public static final String PREDICTION_RETENTION = "prediction-retention";

    /** Key of the plugin upload switch. */
    public static final String PLUGIN_UPLOAD = "plugin-upload";
    /** Key of the admin token (env {@code RETRAINER_ADMIN_TOKEN}). */
    public static final String ADMIN_TOKEN = "admin-token";

    /** Copies the webhook list; a blank admin token is none. */
    public PlatformConfig {
        webhooks = webhooks == null ? java.util.List.of() : java.util.List.copyOf(webhooks);
        adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
    }

    /** A copy with plugin upload switched on or off and another admin token ({@code null}: none). */
    public PlatformConfig withPluginUpload(boolean on, String token) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, demo, webhooks,
                predictionLogCapacity, predictionRetention, on, token);
    }

    @Override
    public String toString() {
        // The token is a secret: never in logs.
        return "PlatformConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", dbUrl=" + dbUrl + ", pluginsDir="
                + pluginsDir + ", maxParallelRuns=" + maxParallelRuns + ", stageTimeout=" + stageTimeout + ", demo=" + demo
                + ", webhooks=" + webhooks + ", predictionLogCapacity=" + predictionLogCapacity + ", predictionRetention="
                + predictionRetention + ", pluginUpload=" + pluginUpload + ", adminToken=" + (adminToken == null ? "none" : "***") + "]";
    }

    /** Defaults: port 8080 on all interfaces, {@code ./data}, embedded database, {@code ./plugins}. */
    public static PlatformConfig defaults() {
        return new PlatformConfig("0.0.0.0", 8080, Path.of("data"), null, Path.of("plugins"),
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofHours(1), true, java.util.List.of(),
                100_000, Duration.ofDays(30), false, null);
    }

    /**
     * A configuration for embedding and tests: loopback, a random port, no demo, the given
     * directories and database ({@code null} for embedded), defaults otherwise.
     */
    public static PlatformConfig local(Path dataDir, String dbUrl, Path pluginsDir) {
        PlatformConfig d = defaults();
        return new PlatformConfig("127.0.0.1", 0, dataDir, dbUrl, pluginsDir, 2, Duration.ofMinutes(5), false, d.webhooks(),
                d.predictionLogCapacity(), d.predictionRetention(), d.pluginUpload(), d.adminToken());
    }

    /** A copy with other webhook URLs. */
    public PlatformConfig withWebhooks(java.util.List<String> urls) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, demo, urls,
                predictionLogCapacity, predictionRetention, pluginUpload, adminToken);
    }

    /** A copy with another prediction log capacity. */
    public PlatformConfig withPredictionLogCapacity(int capacity) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, demo, webhooks,
                capacity, predictionRetention, pluginUpload, adminToken);
    }

    /** A copy with another port. */
    public PlatformConfig withPort(int newPort) {
        return new PlatformConfig(host, newPort, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, demo, webhooks,
                predictionLogCapacity, predictionRetention, pluginUpload, adminToken);
    }

    /** A copy with another database URL ({@code null} for embedded). */
    public PlatformConfig withDbUrl(String url) {
        return new PlatformConfig(host, port, dataDir, url, pluginsDir, maxParallelRuns, stageTimeout, demo, webhooks,
                predictionLogCapacity, predictionRetention, pluginUpload, adminToken);
    }

    /** A copy with the demo switched on or off. */
    public PlatformConfig withDemo(boolean on) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, stageTimeout, on, webhooks,
                predictionLogCapacity, predictionRetention, pluginUpload, adminToken);
    }

    /** A copy with another stage timeout. */
    public PlatformConfig withStageTimeout(Duration timeout) {
        return new PlatformConfig(host, port, dataDir, dbUrl, pluginsDir, maxParallelRuns, timeout, demo, webhooks,
                predictionLogCapacity, predictionRetention, pluginUpload, adminToken);
    }
}
