package io.retrainer.core.pipeline;

import io.retrainer.api.ApiVersion;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.Evaluation;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Evaluator;
import io.retrainer.api.Metrics;
import io.retrainer.api.Predictor;
import io.retrainer.api.RetrainerExtension;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.Settings;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import io.retrainer.api.Verdict;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.RunRecord;
import io.retrainer.core.plugins.ExtensionKind;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.plugins.PluginHost;
import io.retrainer.core.registry.ModelRegistry;
import io.retrainer.core.registry.ModelStage;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.registry.Registration;
import io.retrainer.core.registry.SchemaJson;
import io.retrainer.core.serving.ServingService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run, start to end: source, validate, split, train, evaluate, register, deploy. Each stage's
 * status, timings, log and metrics are written as it goes; a failing stage fails the run with
 * the plugin's message and skips the rest. Runs on a worker thread of the {@link RunExecutor}.
 */
final class RunExecution {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    record Services(RunService runs, PluginHost plugins, ModelRegistry registry, ServingService serving,
                    PlatformMetrics metrics, Duration stageTimeout, Path scratchRoot, ExecutorService stageThreads,
                    AtomicBoolean shuttingDown, List<RegistrationHook> registrationHooks) {
    }

    private record Step(String name, StageSpec spec, ExtensionKind kind) {
    }

    private final Services s;
    private final RunRecord run;
    private final AtomicBoolean cancelled;
    private final Map<String, Object> lineagePlugins = new LinkedHashMap<>();
    private final Map<String, Object> lineageSettings = new LinkedHashMap<>();
    private PipelineDefinition def;
    private Dataset data;
    private DataSplit.Parts parts;
    private TrainedModel model;
    private Optional<ModelVersionView> champion = Optional.empty();
    private Predictor championPredictor;
    private Metrics candidateMetrics = Metrics.empty();
    private Metrics championMetrics = Metrics.empty();
    private Verdict verdict;
    private ModelVersionView registered;

    RunExecution(Services services, RunRecord run, AtomicBoolean cancelled) {
        this.s = services;
        this.run = run;
        this.cancelled = cancelled;
    }

    void execute() {
        LOG.info("run {} of {} r{} started ({})", run.id, run.pipelineName, run.revision, run.triggerReason);
        s.runs().notifier().publish(io.retrainer.core.notify.Event.ofRun("run.started", run.pipelineName, run.id, io.retrainer.core.notify.Event.details("revision", run.revision, "trigger", run.triggerType, "reason", run.triggerReason)));
        try {
            def = Db.await(s.runs().revisionOf(run)).definition();
        } catch (RuntimeException e) {
            finish(RunStatus.FAILED, "cannot read pipeline revision " + run.revision + ": " + e.getMessage());
            return;
        }
        List<String> problems = new PipelineValidator(s.plugins()).validate(def);
        if (!problems.isEmpty()) {
            finish(RunStatus.FAILED, "revision " + run.revision + " of " + def.name() + " is not valid with the plugins loaded now: "
                    + String.join("; ", problems));
            return;
        }
        List<Step> steps = plan();
        List<String[]> names = new ArrayList<>();
        steps.forEach(st -> names.add(new String[] {st.name(), st.spec() == null ? null : st.spec().plugin()}));
        Db.await(s.runs().createStages(run.id, names));

        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (s.shuttingDown().get()) {
                Db.await(s.runs().skipRemaining(run.id, i, "skipped"));
                finish(RunStatus.FAILED, "interrupted: the platform stopped before stage " + step.name());
                return;
            }
            // RunService.cancel sets this flag through the executor's cancel listener, so no query per stage.
            if (cancelled.get()) {
                Db.await(s.runs().skipRemaining(run.id, i, "cancelled"));
                finish(RunStatus.CANCELLED, "cancelled before stage " + step.name());
                return;
            }
            if (registered != null && registered.stage() == ModelStage.REJECTED && step.name().equals("deploy")) {
                Db.await(s.runs().skipRemaining(run.id, i, "skipped"));
                break;
            }
            if (!runStage(i, step)) {
                return;
            }
        }
        finish(RunStatus.SUCCEEDED, null);
    }

    private List<Step> plan() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("source", def.source(), ExtensionKind.DATA_SOURCE));
        steps.add(new Step("validate", null, null));
        steps.add(new Step("split", null, null));
        steps.add(new Step("train", def.train(), ExtensionKind.TRAINER));
        for (StageSpec e : def.evaluate()) {
            steps.add(new Step("evaluate", e, ExtensionKind.EVALUATOR));
        }
        steps.add(new Step("register", null, null));
        if (def.deploy() != null) {
            steps.add(new Step("deploy", def.deploy(), ExtensionKind.DEPLOYER));
        }
        return steps;
    }

    /** Runs one stage; false if the run ended (failed or cancelled) in it. */
    private boolean runStage(int position, Step step) {
        Db.await(s.runs().stageStarted(run.id, position));
        long t0 = System.nanoTime();
        HostStageContext ctx = null;
        try {
            LoadedExtension<RetrainerExtension> ext = step.kind() == null ? null
                    : s.plugins().<RetrainerExtension>findForRun(step.kind(), step.spec().plugin(), run.id, run.pipelineName).orElseThrow(() ->
                    new StageFailure("plugin '" + step.spec().plugin() + "' is no longer loaded"));
            Settings settings = settingsFor(step, ext);
            ctx = new HostStageContext(s.runs(), run.id, position, settings, run.seed, s.scratchRoot(), cancelled,
                    Map.of(ServingRuntime.class, s.serving(), io.retrainer.api.ArtifactSource.class, s.registry().artifactSource()));
            Map<String, Object> stageMetrics = perform(step, ext, ctx);
            Db.await(s.runs().stageFinished(run.id, position, "succeeded", ctx.drain(), stageMetrics, null));
            observe(step, "succeeded", t0);
            return true;
        } catch (StageFailure | RuntimeException e) {
            String message = e instanceof StageFailure ? e.getMessage() : describe(e);
            boolean stopping = s.shuttingDown().get();
            boolean wasCancel = cancelled.get() && !stopping;
            String status = wasCancel ? "cancelled" : "failed";
            String log = (ctx == null ? "" : ctx.drain()) + java.time.Instant.now() + " ERROR " + message + "\n";
            if (!(e instanceof StageFailure)) {
                LOG.warn("run {} stage {} failed", run.id, step.name(), e);
            }
            Db.await(s.runs().stageFinished(run.id, position, status, log, null, message));
            Db.await(s.runs().skipRemaining(run.id, position + 1, "skipped"));
            if (step.name().equals("deploy") && registered != null && registered.stage() == ModelStage.CANDIDATE) {
                // The version never took over: say so on the version, not only on the run.
                registered = Db.await(s.registry().setStage(registered.model(), registered.version(), ModelStage.REJECTED,
                        "deployment by run " + run.id + " failed: " + message));
            }
            observe(step, status, t0);
            String who = step.spec() == null ? step.name() : step.name() + " (" + step.spec().plugin() + ")";
            finish(wasCancel ? RunStatus.CANCELLED : RunStatus.FAILED,
                    stopping ? "interrupted: the platform stopped during stage " + who
                            : wasCancel ? "cancelled during stage " + who : "stage " + who + " failed: " + message);
            return false;
        } finally {
            if (ctx != null) {
                ctx.cleanUp();
            }
        }
    }

    private Settings settingsFor(Step step, LoadedExtension<RetrainerExtension> ext) {
        ConfigSpec spec;
        Map<String, Object> raw;
        String path;
        switch (step.name()) {
            case "validate" -> {
                spec = BuiltinStages.VALIDATE;
                raw = def.validate();
                path = "validate";
            }
            case "split" -> {
                spec = BuiltinStages.SPLIT;
                raw = def.split();
                path = "split";
            }
            case "register" -> {
                return Settings.empty();
            }
            default -> {
                spec = ext.extension().configSpec();
                raw = step.spec().config();
                path = step.spec().path() + ".config";
            }
        }
        Settings settings = spec.resolve(raw, path);
        Object json = jsonable(settings.values());
        if (step.name().equals("evaluate")) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) lineageSettings.computeIfAbsent("evaluate", k -> new ArrayList<>());
            list.add(json);
        } else {
            lineageSettings.put(step.name(), json);
        }
        return settings;
    }

    private Map<String, Object> perform(Step step, LoadedExtension<RetrainerExtension> ext, HostStageContext ctx)
            throws StageFailure {
        if (ext != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", ext.id());
            p.put("plugin", ext.pluginId());
            p.put("plugin_version", ext.pluginVersion());
            if (step.name().equals("evaluate")) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) lineagePlugins.computeIfAbsent("evaluate", k -> new ArrayList<>());
                list.add(p);
            } else {
                lineagePlugins.put(step.name(), p);
            }
        }
        return switch (step.name()) {
            case "source" -> source(ext, ctx);
            case "validate" -> validate(ctx);
            case "split" -> split(ctx);
            case "train" -> train(ext, ctx);
            case "evaluate" -> evaluate(ext, ctx);
            case "register" -> register(ctx);
            case "deploy" -> deploy(ext, ctx);
            default -> throw new IllegalStateException("unknown stage " + step.name());
        };
    }

    private Map<String, Object> source(LoadedExtension<RetrainerExtension> ext, HostStageContext ctx) throws StageFailure {
        DataSource source = (DataSource) ext.extension();
        data = callPlugin(ext, ctx, () -> source.load(ctx));
        if (data == null) {
            throw new StageFailure("data source returned no data");
        }
        if (data.schema().label() == null) {
            throw new StageFailure("data source returned data without a label column");
        }
        ctx.append("INFO", "loaded " + data.rowCount() + " rows, " + data.schema().columns().size() + " columns, label '"
                + data.schema().label() + "'");
        data = DataWindow.apply(def.window(), data, ctx, lineageSettings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", data.rowCount());
        m.put("columns", data.schema().columns().size());
        m.put("fingerprint", data.fingerprint());
        return m;
    }

    private Map<String, Object> validate(HostStageContext ctx) throws StageFailure {
        champion = Db.await(s.registry().production(def.model()));
        DataValidation.Report report = DataValidation.check(data, ctx.settings(),
                champion.map(ModelVersionView::trainingSchema).orElse(null));
        champion.ifPresentOrElse(c -> ctx.append("INFO", "compared with the training schema of production " + c.model() + " v" + c.version()),
                () -> ctx.append("INFO", "no production model yet: schema comparison skipped"));
        for (String p : report.problems()) {
            ctx.append("ERROR", p);
        }
        if (!report.passed()) {
            throw new StageFailure("data failed validation (" + report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s") + "): " + String.join("; ", report.problems()));
        }
        ctx.append("INFO", "data passed validation: " + data.rowCount() + " rows"
                + (report.classes() > 0 ? ", " + report.classes() + " classes" : ""));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", data.rowCount());
        if (report.classes() > 0) {
            m.put("classes", report.classes());
        }
        m.put("missing_fraction", report.missingFractions());
        return m;
    }

    private Map<String, Object> split(HostStageContext ctx) throws StageFailure {
        try {
            parts = DataSplit.split(data, ctx.settings(), run.seed);
        } catch (IllegalArgumentException e) {
            throw new StageFailure(e.getMessage());
        }
        ctx.append("INFO", ctx.settings().requireString("strategy") + " split: " + parts.train().rowCount() + " training rows, "
                + parts.holdout().rowCount() + " holdout rows");
        return Map.of("train_rows", parts.train().rowCount(), "holdout_rows", parts.holdout().rowCount());
    }

    private Map<String, Object> train(LoadedExtension<RetrainerExtension> ext, HostStageContext ctx) throws StageFailure {
        Trainer trainer = (Trainer) ext.extension();
        long t0 = System.nanoTime();
        model = callPlugin(ext, ctx, () -> trainer.train(parts.train(), ctx));
        if (model == null) {
            throw new StageFailure("trainer returned no model");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ctx.append("INFO", String.format("trained a %s model (%d bytes) in %.2f s", model.format(), model.artifact().length, seconds));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_seconds", seconds);
        m.put("artifact_bytes", model.artifact().length);
        m.put("format", model.format());
        m.put("hyperparameters", model.hyperParameters());
        return m;
    }

    private Map<String, Object> evaluate(LoadedExtension<RetrainerExtension> ext, HostStageContext ctx) throws StageFailure {
        if (champion.isPresent() && championPredictor == null) {
            ModelVersionView c = champion.get();
            try {
                championPredictor = s.registry().loadPredictor(c);
            } catch (Exception e) {
                throw new StageFailure("cannot load production model " + c.model() + " v" + c.version()
                        + " to compare against: " + describe(e));
            }
            ctx.append("INFO", "scoring candidate and production " + c.model() + " v" + c.version() + " on the same "
                    + parts.holdout().rowCount() + " holdout rows");
        }
        Evaluator evaluator = (Evaluator) ext.extension();
        EvaluationInput input = new EvaluationInput(parts.holdout(), model.predictor(), Optional.ofNullable(championPredictor),
                candidateMetrics, championMetrics);
        Evaluation result = callPlugin(ext, ctx, () -> evaluator.evaluate(input, ctx));
        candidateMetrics = candidateMetrics.merge(result.candidate());
        championMetrics = championMetrics.merge(result.champion());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("candidate", result.candidate().values());
        if (!result.champion().values().isEmpty()) {
            m.put("champion", result.champion().values());
        }
        if (!result.candidate().details().isEmpty()) {
            m.put("details", result.candidate().details());
        }
        if (result.verdict().isPresent()) {
            Verdict v = result.verdict().get();
            // A single reject stands: later gates cannot overturn it. Promotions accumulate their
            // reasons, so the run says what every gate checked.
            if (verdict == null) {
                verdict = v;
            } else if (verdict.decision() == Verdict.Decision.PROMOTE) {
                verdict = v.decision() == Verdict.Decision.REJECT ? v : Verdict.promote(verdict.reason() + "; " + v.reason());
            }
            ctx.append(v.decision() == Verdict.Decision.PROMOTE ? "INFO" : "WARN", "verdict: " + v.decision().name().toLowerCase()
                    + " - " + v.reason());
            m.put("verdict", v.decision().name().toLowerCase());
            m.put("reason", v.reason());
            Db.await(s.runs().recordVerdict(run.id, verdict.decision().name().toLowerCase(), verdict.reason()));
        }
        return m;
    }

    private Map<String, Object> register(HostStageContext ctx) throws StageFailure {
        boolean rejected = verdict != null && verdict.decision() == Verdict.Decision.REJECT;
        Map<String, Object> metricsDoc = new LinkedHashMap<>();
        metricsDoc.put("values", candidateMetrics.values());
        metricsDoc.put("details", candidateMetrics.details());
        if (!championMetrics.values().isEmpty()) {
            metricsDoc.put("champion", championMetrics.values());
        }
        String reason = verdict == null ? "no gate in the pipeline" : verdict.reason();
        try {
            registered = s.registry().register(new Registration(def.model(), model.format(), model.artifact(), metricsDoc,
                    lineage(), data.schema().withoutLabel(), data.schema(), run.id, def.name(),
                    rejected ? ModelStage.REJECTED : ModelStage.CANDIDATE, reason));
        } catch (java.io.IOException e) {
            throw new StageFailure("cannot store the model artifact: " + e.getMessage(), e);
        }
        Db.await(s.runs().recordModel(run.id, registered.model(), registered.version()));
        s.metrics().modelMetrics(registered.model(), registered.version(), candidateMetrics.values());
        ctx.append("INFO", "registered " + registered.model() + " v" + registered.version() + " as " + registered.stage().label()
                + " (artifact sha256 " + registered.artifactSha256().substring(0, 12) + "...)");
        for (RegistrationHook hook : s.registrationHooks()) {
            hook.registered(registered, parts.train(), parts.holdout(), model.predictor()).ifPresent(line -> ctx.append("INFO", line));
        }
        if (!rejected && def.deploy() == null) {
            registered = Db.await(s.registry().setStage(registered.model(), registered.version(), ModelStage.PRODUCTION,
                    "promoted by run " + run.id + ": " + reason));
            ctx.append("INFO", "no deploy stage: " + registered.model() + " v" + registered.version() + " is now production");
        }
        return Map.of("model", registered.model(), "version", registered.version(), "stage", registered.stage().label());
    }

    private Map<String, Object> deploy(LoadedExtension<RetrainerExtension> ext, HostStageContext ctx) throws StageFailure {
        Deployer deployer = (Deployer) ext.extension();
        DeploymentResult result = callPlugin(ext, ctx, () -> deployer.deploy(registered.ref(), ctx));
        String reason = verdict == null ? "no gate in the pipeline" : verdict.reason();
        registered = Db.await(s.registry().setStage(registered.model(), registered.version(), ModelStage.PRODUCTION,
                "deployed by run " + run.id + ": " + reason));
        ctx.append("INFO", result == null ? "deployed" : result.message());
        return Map.of("target", result == null || result.target() == null ? "" : result.target(),
                "model", registered.model(), "version", registered.version());
    }

    private Map<String, Object> lineage() {
        Map<String, Object> l = new LinkedHashMap<>();
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("fingerprint", data.fingerprint());
        dataset.put("rows", data.rowCount());
        dataset.put("schema", SchemaJson.toMap(data.schema()));
        l.put("dataset", dataset);
        l.put("pipeline", Map.of("name", def.name(), "revision", run.revision));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", run.id);
        r.put("trigger", run.triggerType);
        r.put("reason", run.triggerReason);
        l.put("run", r);
        l.put("seed", run.seed);
        l.put("plugins", lineagePlugins);
        l.put("settings", lineageSettings);
        l.put("hyperparameters", model.hyperParameters());
        l.put("split", Map.of("train_rows", parts.train().rowCount(), "holdout_rows", parts.holdout().rowCount()));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("retrainer_api", ApiVersion.CURRENT);
        env.put("java_version", System.getProperty("java.version"));
        env.put("java_vendor", System.getProperty("java.vendor"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        l.put("environment", env);
        return l;
    }

    /**
     * Calls plugin code on a stage thread so the run can give up on it: after the stage timeout,
     * or shortly after a cancel if the plugin does not notice {@code isCancelled()}.
     */
    private <R> R callPlugin(LoadedExtension<?> ext, HostStageContext ctx, Callable<R> work) throws StageFailure {
        Future<R> f = s.stageThreads().submit(() -> ext.call(work));
        long deadline = System.nanoTime() + s.stageTimeout().toNanos();
        long cancelDeadline = Long.MAX_VALUE;
        while (true) {
            try {
                return f.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (now > deadline) {
                    ctx.stop();
                    f.cancel(true);
                    throw new StageFailure("timed out after " + human(s.stageTimeout()) + " (stage-timeout)");
                }
                if (cancelled.get()) {
                    if (cancelDeadline == Long.MAX_VALUE) {
                        cancelDeadline = now + CANCEL_GRACE.toNanos();
                        ctx.append("WARN", "cancel requested; waiting up to " + CANCEL_GRACE.toSeconds() + " s for the plugin to stop");
                    } else if (now > cancelDeadline) {
                        f.cancel(true);
                        throw new StageFailure("cancelled; the plugin did not stop within " + CANCEL_GRACE.toSeconds() + " s");
                    }
                }
            } catch (ExecutionException e) {
                if (cancelled.get()) {
                    throw new StageFailure("cancelled");
                }
                throw new StageFailure(describe(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled.set(true);
                f.cancel(true);
                throw new StageFailure("interrupted: the platform is shutting down");
            }
        }
    }

    private void observe(Step step, String status, long t0) {
        s.metrics().stageFinished(run.pipelineName, step.name(), step.spec() == null ? null : step.spec().plugin(), status,
                (System.nanoTime() - t0) / 1e9);
    }

    private void finish(RunStatus status, String error) {
        Db.await(s.runs().finish(run.id, status, error));
        s.runs().notifier().publish(io.retrainer.core.notify.Event.ofRun("run." + status.label(), run.pipelineName, run.id, io.retrainer.core.notify.Event.details("revision", run.revision, "trigger", run.triggerType, "reason", run.triggerReason, "error", error, "model", registered == null ? null : registered.model(), "version", registered == null ? null : registered.version(), "stage", registered == null ? null : registered.stage().label())));
        if (status == RunStatus.SUCCEEDED) {
            LOG.info("run {} of {} succeeded{}", run.id, run.pipelineName,
                    registered == null ? "" : ": " + registered.model() + " v" + registered.version() + " is " + registered.stage().label());
        } else {
            LOG.warn("run {} of {} {}: {}", run.id, run.pipelineName, status.label(), error);
        }
    }

    /** A plugin's exception as one line: its message, with the type for unexpected ones. */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage();
        boolean expected = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.IOException || e.getClass() == Exception.class || e instanceof UnsupportedOperationException;
        if (m == null || m.isBlank()) {
            return e.getClass().getName();
        }
        return (expected ? m : e.getClass().getSimpleName() + ": " + m).replace('\n', ' ');
    }

    private static String human(Duration d) {
        return d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }

    private static Object jsonable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), jsonable(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RunExecution::jsonable).toList();
        }
        if (v instanceof Duration d) {
            return d.toString();
        }
        return v;
    }
}
