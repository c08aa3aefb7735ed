package io.retrainer.core;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.persistence.Database;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.ModelPromotion;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.PipelineService;
import io.retrainer.core.pipeline.PipelineValidator;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunExecutor;
import io.retrainer.core.pipeline.RunService;
import io.retrainer.core.plugins.ExtensionKind;
import io.retrainer.core.plugins.PluginHost;
import io.retrainer.core.registry.ArtifactStore;
import io.retrainer.core.registry.ModelAliases;
import io.retrainer.core.registry.ModelRegistry;
import io.retrainer.core.serving.InferenceService;
import io.retrainer.core.serving.RolloutController;
import io.retrainer.core.serving.ServingService;
import io.retrainer.core.trigger.LiveSignals;
import io.retrainer.core.trigger.TriggerService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's services wired together: database, plugins, registry, serving runtime,
 * pipelines, runs, executor and schedules. {@link #start} is blocking and must not run on an
 * event loop; the web layer calls the services, which answer with Vert.x futures.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    private static final List<String> DEMO_PLUGINS = List.of("csv", "logistic-regression", "classification-metrics",
            "champion-gate", "local-serving");

    private final PlatformConfig config;
    private final Vertx vertx;
    private final PlatformMetrics metrics;
    private final Database database;
    private final PluginHost plugins;
    private final ModelRegistry registry;
    private final ServingService serving;
    private final InferenceService inference;
    private final RolloutController rollouts;
    private final ModelAliases aliases;
    private final io.retrainer.core.serving.ShadowComparison shadows;
    private final PipelineService pipelines;
    private final RunService runs;
    private final RunExecutor executor;
    private final TriggerService triggers;
    private final ModelPromotion promotion;
    private final io.retrainer.core.drift.DriftMonitor drift;
    private final io.retrainer.core.monitoring.Monitoring monitoring;
    private final io.retrainer.core.notify.WebhookNotifier notifier;

    private Platform(PlatformConfig config, Vertx vertx, Database database, PluginHost plugins, PlatformMetrics metrics) {
        this.config = config;
        this.vertx = vertx;
        this.database = database;
        this.plugins = plugins;
        this.metrics = metrics;
        this.notifier = new io.retrainer.core.notify.WebhookNotifier(vertx, config.webhooks(), metrics.registry(),
                io.retrainer.core.notify.WebhookNotifier.Options.defaults());
        Db db = database.db();
        Path data = config.dataDir().toAbsolutePath();
        this.registry = new ModelRegistry(db, new ArtifactStore(data.resolve("artifacts")), plugins);
        this.serving = new ServingService(db, registry);
        this.inference = new InferenceService(serving, metrics, vertx);
        this.drift = new io.retrainer.core.drift.DriftMonitor(db, serving, metrics, Clock.systemUTC());
        serving.addListener(drift);
        drift.start(vertx);
        this.monitoring = new io.retrainer.core.monitoring.Monitoring(db, vertx, metrics.registry(),
                config.predictionLogCapacity(), config.predictionRetention());
        serving.addListener(monitoring.predictionLog());
        this.rollouts = new RolloutController(serving, metrics);
        serving.useRollouts(rollouts);
        rollouts.useNotifier(notifier);
        this.shadows = new io.retrainer.core.serving.ShadowComparison(metrics);
        serving.addListener(shadows);
        // Gates run on the deploy stage's worker thread, so waiting for the database is allowed there.
        rollouts.useQualityProbe((endpoint, model, version, metric, since) -> Db.await(
                        monitoring.quality().readVersion(endpoint, model, version, metric, since))
                .map(r -> new io.retrainer.core.serving.QualityProbe.Reading(r.value(), r.labelled())));
        this.aliases = new ModelAliases(db, registry);
        registry.onProduction(v -> aliases.move(v.model(), ModelAliases.CHAMPION, v.version())
                .onFailure(e -> LOG.error("alias champion of {} not moved to v{}: {}", v.model(), v.version(), e.getMessage())));
        aliases.onMoved(this::redeployFollowers);
        aliases.onMoved((model, alias, version) -> notifier.publish(io.retrainer.core.notify.Event.of("alias.moved", null,
                io.retrainer.core.notify.Event.details("model", model, "alias", alias, "version", version))));
        this.pipelines = new PipelineService(db, new PipelineValidator(plugins));
        this.runs = new RunService(db, metrics);
        runs.notifyTo(notifier);
        this.executor = new RunExecutor(runs, plugins, registry, serving, metrics, config.maxParallelRuns(),
                config.stageTimeout(), data.resolve("scratch"));
        executor.addRegistrationHook(drift::atRegistration);
        this.triggers = new TriggerService(db, runs, plugins, serving, LiveSignals.of(monitoring.quality(), drift), notifier,
                Clock.systemUTC(), TriggerService.configuredCheckInterval().orElse(TriggerService.DEFAULT_CHECK_INTERVAL));
        this.promotion = new ModelPromotion(registry, pipelines, plugins, serving);
        pipelines.onSaved(view -> {
            view.definition().servingEndpoint().ifPresent(serving::declare);
            triggers.update(view);
        });
        if (TriggerService.configuredCheckInterval().isPresent()) {
            triggers.start();
        }
    }

    /**
     * Starts the platform. Blocking: opens (or starts) the database and migrates it, loads plugins,
     * fails runs a crash left running, restores served models, and starts the executor.
     *
     * @throws io.retrainer.core.persistence.DatabaseException when the database cannot be used
     */
    public static Platform start(PlatformConfig config, Vertx vertx) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Platform.start blocks; call it from a worker or main thread");
        }
        PlatformMetrics metrics = new PlatformMetrics();
        Database database = Database.open(config.dbUrl(), config.dataDir(), vertx);
        LOG.info("database: {}", database.isEmbedded()
                ? "embedded PostgreSQL (data in " + config.dataDir().toAbsolutePath().resolve("postgres") + ")"
                : database.target().displayUrl());
        PluginHost plugins = new PluginHost(config.pluginsDir());
        plugins.loadAll();
        long refused = plugins.plugins().stream().filter(p -> "refused".equals(p.state())).count();
        metrics.plugins(plugins.startedCount(), refused);
        plugins.onChange(() -> metrics.plugins(plugins.startedCount(), plugins.refusedCount()));
        LOG.info("plugins: {} loaded from {}{}", plugins.startedCount(), config.pluginsDir().toAbsolutePath(),
                refused == 0 ? "" : ", " + refused + " refused (see above)");
        Platform p = new Platform(config, vertx, database, plugins, metrics);
        try {
            p.recover();
            if (config.demo()) {
                p.installDemo();
            }
            p.executor.start();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void recover() {
        int interrupted = Db.await(runs.failInterrupted());
        if (interrupted > 0) {
            LOG.warn("{} run(s) left running by an earlier stop were marked failed (interrupted)", interrupted);
        }
        for (PipelineView v : Db.await(pipelines.currentDefinitions())) {
            v.definition().servingEndpoint().ifPresent(serving::declare);
            triggers.update(v);
        }
        serving.restore();
        for (var model : Db.await(registry.models())) {
            if (model.productionVersion() != null) {
                var v = Db.await(registry.version(model.name(), model.productionVersion()));
                Object values = v.metrics().get("values");
                if (values instanceof java.util.Map<?, ?> m) {
                    java.util.Map<String, Double> numbers = new java.util.LinkedHashMap<>();
                    m.forEach((k, x) -> {
                        if (x instanceof Number n) {
                            numbers.put(String.valueOf(k), n.doubleValue());
                        }
                    });
                    metrics.modelMetrics(v.model(), v.version(), numbers);
                }
            }
        }
    }

    private void installDemo() {
        if (!Db.await(pipelines.list()).isEmpty()) {
            return;
        }
        for (String id : DEMO_PLUGINS) {
            ExtensionKind kind = switch (id) {
                case "csv" -> ExtensionKind.DATA_SOURCE;
                case "logistic-regression" -> ExtensionKind.TRAINER;
                case "local-serving" -> ExtensionKind.DEPLOYER;
                default -> ExtensionKind.EVALUATOR;
            };
            if (plugins.find(kind, id).isEmpty()) {
                LOG.warn("demo pipeline not created: built-in plugin '{}' is not loaded", id);
                return;
            }
        }
        try {
            Path csv = config.dataDir().toAbsolutePath().resolve("demo").resolve("breast_cancer.csv");
            Files.createDirectories(csv.getParent());
            try (InputStream in = resource("demo/breast_cancer.csv")) {
                Files.copy(in, csv, StandardCopyOption.REPLACE_EXISTING);
            }
            String yaml;
            try (InputStream in = resource("demo/demo.yaml")) {
                yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${DEMO_CSV}", csv.toString());
            }
            PipelineView demo = Db.await(pipelines.save(yaml, PipelineParser.Format.YAML));
            LOG.info("demo pipeline '{}' created on {} (open it in the console and press Run)", demo.name(), csv);
        } catch (IOException e) {
            LOG.error("demo pipeline not created: {}", e.getMessage());
        }
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(Platform.class.getResourceAsStream(name), "missing resource " + name);
    }

    /** Whether the database answers and plugins loaded: the readiness check. */
    public Future<Boolean> ready() {
        return database.db().tx(s -> s.createNativeQuery("select 1", Integer.class).getSingleResult())
                .map(one -> plugins.startedCount() > 0 || plugins.plugins().stream().anyMatch(p -> "started".equals(p.state())))
                .otherwise(false);
    }

    /** The resolved configuration. */
    public PlatformConfig config() {
        return config;
    }

    /** The Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    /** Metrics. */
    public PlatformMetrics metrics() {
        return metrics;
    }

    /** The database in use. */
    public Database database() {
        return database;
    }

    /** Plugins. */
    public PluginHost plugins() {
        return plugins;
    }

    /** Model registry. */
    public ModelRegistry registry() {
        return registry;
    }

    /** Serving runtime. */
    public ServingService serving() {
        return serving;
    }

    /** Inference for every protocol: routing, prediction ids, shadowing, listeners. */
    public InferenceService inference() {
        return inference;
    }

    /** Endpoints following {@code alias} of {@code model} roll out its new version, each on a worker thread. */
    private void redeployFollowers(String model, String alias, int version) {
        serving.followers(model, alias).onSuccess(endpoints -> endpoints.forEach(endpoint ->
                vertx.executeBlocking(() -> {
                    serving.follow(endpoint, model, alias, version);
                    return null;
                }, false).onFailure(e -> LOG.error("endpoint {} following {}:{} could not deploy v{}: {}", endpoint, model, alias,
                        version, e.getMessage()))));
    }

    /** Agreement between shadow and live answers per endpoint. */
    public io.retrainer.core.serving.ShadowComparison shadows() {
        return shadows;
    }

    /** Model version aliases. */
    public ModelAliases aliases() {
        return aliases;
    }

    /** Blue-green rollouts and their operator controls. */
    public RolloutController rollouts() {
        return rollouts;
    }

    /** Input and prediction drift per endpoint (reference profiles, live counters, PSI/KS). */
    public io.retrainer.core.drift.DriftMonitor drift() {
        return drift;
    }

    /** Pipelines. */
    public PipelineService pipelines() {
        return pipelines;
    }

    /** Runs. */
    public RunService runs() {
        return runs;
    }

    /** Triggers: schedules, live performance, drift and new data. */
    public TriggerService triggers() {
        return triggers;
    }

    /** Operator promotions (rollback). */
    public ModelPromotion promotion() {
        return promotion;
    }

    /** Where platform events go (webhooks): {@code platform.notifier().publish(Event.of(...))}; never blocks. */
    public io.retrainer.core.notify.Notifier notifier() {
        return notifier;
    }

    /** Prediction log, feedback, live quality and retention. */
    public io.retrainer.core.monitoring.Monitoring monitoring() {
        return monitoring;
    }

    /** Live model quality from fed-back labels (for performance triggers and rollout gates). */
    public io.retrainer.core.monitoring.LiveQuality liveQuality() {
        return monitoring.quality();
    }

    @Override
    public void close() {
        triggers.close();
        drift.close();
        executor.close();
        monitoring.close();
        notifier.close();
        plugins.close();
        database.close();
    }
}
