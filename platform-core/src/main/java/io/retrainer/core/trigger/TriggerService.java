package io.retrainer.core.trigger;

import io.retrainer.api.DataSource;
import io.retrainer.api.RetrainerExtension;
import io.retrainer.api.Settings;
import io.retrainer.core.notify.Event;
import io.retrainer.core.notify.Notifier;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.PipelineDefinition;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunService;
import io.retrainer.core.pipeline.TriggerSpec;
import io.retrainer.core.plugins.ExtensionKind;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.plugins.PluginHost;
import io.retrainer.core.serving.ServedModel;
import io.retrainer.core.serving.ServingService;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every pipeline's triggers and queues runs when they fire: schedules at their cron
 * times, performance and drift triggers every check interval against the live signals of the
 * pipeline's endpoint, data triggers every {@code every} against the source's change token.
 *
 * <p>Policy, for every kind: a trigger in its cooldown does not fire, and (unless
 * {@code skip_while_running: false}) neither does one whose pipeline has a run queued or running.
 * A held-back schedule waits for its next time; a held-back data change fires once the hold ends.
 * Every run records why it started, in words; the last firing and its reason are stored, so
 * cooldowns survive restarts.
 *
 * <p>Threads: evaluation runs on one thread of its own ("retrainer-triggers"): it waits on the
 * database and calls data-source plugins, so it never runs on an event loop. {@link #update} may be
 * called from any thread.
 */
public final class TriggerService implements AutoCloseable {
    /** System property (or {@code RETRAINER_TRIGGER_CHECK_INTERVAL}) with the check interval; {@code off} disables checks. */
    public static final String CHECK_INTERVAL_PROPERTY = "retrainer.trigger-check-interval";
    /** How often performance and drift triggers are evaluated unless configured. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);
    private static final Duration MAX_TICK = Duration.ofSeconds(1);

    /** One trigger of one pipeline and what this node knows of it. Fields are written by the trigger thread. */
    private static final class Watch {
        final TriggerSpec spec;
        volatile boolean loaded;
        volatile Instant lastFiredAt;
        volatile String lastReason;
        volatile String token;
        volatile Instant lastChecked;
        volatile String lastObservation;
        volatile Instant nextCheck;

        Watch(TriggerSpec spec) {
            this.spec = spec;
        }
    }

    private record Watched(PipelineDefinition definition, List<Watch> watches) {
    }

    private final TriggerStore store;
    private final RunService runs;
    private final PluginHost plugins;
    private final ServingService serving;
    private final LiveSignals signals;
    private final Notifier notifier;
    private final Clock clock;
    private final Duration checkInterval;
    private final Map<String, Watched> pipelines = new ConcurrentHashMap<>();
    private ScheduledExecutorService thread;

    /**
     * A trigger service; {@link #start} begins periodic evaluation.
     *
     * @param checkInterval how often performance and drift triggers are evaluated
     */
    public TriggerService(Db db, RunService runs, PluginHost plugins, ServingService serving, LiveSignals signals,
                          Notifier notifier, Clock clock, Duration checkInterval) {
        this.store = new TriggerStore(db);
        this.runs = runs;
        this.plugins = plugins;
        this.serving = serving;
        this.signals = signals;
        this.notifier = notifier;
        this.clock = clock;
        this.checkInterval = checkInterval;
    }

    /**
     * The check interval configured by system property {@value #CHECK_INTERVAL_PROPERTY} or
     * environment variable {@code RETRAINER_TRIGGER_CHECK_INTERVAL} (a duration such as {@code 2s});
     * empty when set to {@code off} (tests that drive {@link #checkNow} themselves).
     */
    public static Optional<Duration> configuredCheckInterval() {
        String v = System.getProperty(CHECK_INTERVAL_PROPERTY, System.getenv("RETRAINER_TRIGGER_CHECK_INTERVAL"));
        if (v == null || v.isBlank()) {
            return Optional.of(DEFAULT_CHECK_INTERVAL);
        }
        if (v.trim().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            Duration d = io.retrainer.api.ConfigSpec.parseDuration(v);
            return Optional.of(d.isZero() || d.isNegative() ? DEFAULT_CHECK_INTERVAL : d);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: {}; using {}", CHECK_INTERVAL_PROPERTY, e.getMessage(), TriggerSpec.formatDuration(DEFAULT_CHECK_INTERVAL));
            return Optional.of(DEFAULT_CHECK_INTERVAL);
        }
    }

    /** Starts evaluating on the trigger thread: schedules each second, the other kinds when due. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retrainer-triggers");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.min(MAX_TICK.toMillis(), checkInterval.toMillis());
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Replaces the triggers of {@code pipeline} by those of its new revision; unchanged triggers keep their state. */
    public void update(PipelineView pipeline) {
        Instant now = clock.instant();
        Watched old = pipelines.get(pipeline.name());
        List<Watch> watches = new ArrayList<>();
        for (TriggerSpec spec : pipeline.definition().triggers()) {
            Watch w = new Watch(spec);
            Watch previous = old == null ? null : old.watches().stream().filter(o -> o.spec.key().equals(spec.key()))
                    .findFirst().orElse(null);
            if (previous != null) {
                w.loaded = previous.loaded;
                w.lastFiredAt = previous.lastFiredAt;
                w.lastReason = previous.lastReason;
                w.token = previous.token;
                w.lastChecked = previous.lastChecked;
                w.lastObservation = previous.lastObservation;
                w.nextCheck = previous.nextCheck;
            }
            if (w.nextCheck == null) {
                w.nextCheck = spec.condition() instanceof TriggerSpec.Schedule ? nextFire(spec, now) : now;
            }
            watches.add(w);
        }
        if (watches.isEmpty()) {
            pipelines.remove(pipeline.name());
        } else {
            pipelines.put(pipeline.name(), new Watched(pipeline.definition(), List.copyOf(watches)));
        }
    }

    /**
     * Evaluates every trigger that is due now and fires those whose condition holds, subject to
     * the policy. Blocking; never call it on an event loop.
     */
    public synchronized void checkNow() {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("trigger checks block; call checkNow from a worker thread");
        }
        for (Map.Entry<String, Watched> e : pipelines.entrySet()) {
            String pipeline = e.getKey();
            Watched watched = e.getValue();
            try {
                loadState(pipeline, watched);
            } catch (RuntimeException ex) {
                LOG.warn("triggers of {}: cannot read their state: {}", pipeline, ex.getMessage());
                continue;
            }
            for (Watch w : watched.watches()) {
                Instant now = clock.instant();
                if (now.isBefore(w.nextCheck)) {
                    continue;
                }
                try {
                    evaluate(pipeline, watched.definition(), w, now);
                } catch (RuntimeException ex) {
                    w.lastObservation = "check failed: " + message(ex);
                    LOG.warn("trigger {} of {} could not be checked: {}", w.spec.describe(), pipeline, message(ex));
                } finally {
                    w.lastChecked = now;
                    w.nextCheck = next(w.spec, now);
                }
            }
        }
    }

    private void tick() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.error("trigger evaluation failed", e);
        }
    }

    private void loadState(String pipeline, Watched watched) {
        if (watched.watches().stream().allMatch(w -> w.loaded)) {
            return;
        }
        Map<String, StoredState> stored = Db.await(store.load(pipeline));
        for (Watch w : watched.watches()) {
            if (!w.loaded) {
                StoredState s = stored.get(w.spec.key());
                if (s != null) {
                    w.lastFiredAt = s.lastFiredAt();
                    w.lastReason = s.lastReason();
                    w.token = s.token();
                }
                w.loaded = true;
            }
        }
    }

    private void evaluate(String pipeline, PipelineDefinition def, Watch w, Instant now) {
        TriggerSpec spec = w.spec;
        Outcome outcome;
        if (spec.condition() instanceof TriggerSpec.Schedule) {
            outcome = Outcome.fire(spec.describe() + " fired at " + ZonedDateTime.ofInstant(w.nextCheck, spec.timeZone()));
        } else if (spec.condition() instanceof TriggerSpec.Performance p) {
            outcome = performance(def, p, now);
        } else if (spec.condition() instanceof TriggerSpec.Drift d) {
            outcome = drift(def, d, now);
        } else {
            outcome = data(def, w.token);
            if (w.token == null && outcome.token() != null) {
                // The first look sets the baseline: the data the pipeline has now is not "new".
                Db.await(store.token(pipeline, spec.key(), outcome.token()));
                w.token = outcome.token();
            }
        }
        if (!outcome.fire()) {
            w.lastObservation = outcome.text();
            return;
        }
        String held = holdBack(pipeline, w, now);
        if (held != null) {
            w.lastObservation = "would fire (" + outcome.text() + ") but " + held;
            LOG.info("trigger {} of {} held back: {}", spec.describe(), pipeline, held);
            return;
        }
        long runId = Db.await(runs.trigger(pipeline, spec.kind(), outcome.text()));
        Db.await(store.fired(pipeline, spec.key(), now, outcome.text(), outcome.token()));
        w.lastFiredAt = now;
        w.lastReason = outcome.text();
        if (outcome.token() != null) {
            w.token = outcome.token();
        }
        w.lastObservation = "fired: run " + runId + " queued";
        LOG.info("run {} of {} queued: {}", runId, pipeline, outcome.text());
        notifier.publish(Event.ofRun("trigger.fired", pipeline, runId,
                Event.details("trigger", spec.kind(), "key", spec.key(), "reason", outcome.text())));
    }

    /** Why the policy holds a firing back, or {@code null} when it may fire. */
    private String holdBack(String pipeline, Watch w, Instant now) {
        if (w.lastFiredAt != null && !w.spec.cooldown().isZero()) {
            Instant until = w.lastFiredAt.plus(w.spec.cooldown());
            if (now.isBefore(until)) {
                return "in its cooldown of " + TriggerSpec.formatDuration(w.spec.cooldown()) + " until " + until;
            }
        }
        if (w.spec.skipWhileRunning()) {
            Optional<Long> active = Db.await(store.activeRun(pipeline));
            if (active.isPresent()) {
                return "run " + active.get() + " of " + pipeline + " is queued or running";
            }
        }
        return null;
    }

    private Outcome performance(PipelineDefinition def, TriggerSpec.Performance p, Instant now) {
        String endpoint = def.servingEndpoint().orElse(null);
        if (endpoint == null) {
            return Outcome.quiet("the pipeline has no serving endpoint to watch");
        }
        Optional<ServedModel> live = serving.served(endpoint);
        if (live.isEmpty()) {
            return Outcome.quiet("no model is live at " + endpoint + " yet");
        }
        Duration effective = effectiveWindow(p.window(), live.get(), now);
        String span = Conditions.span(p.window(), effective, describe(live.get()));
        if (effective.toSeconds() < 1) {
            return Outcome.quiet(describe(live.get()) + " went live just now");
        }
        return Conditions.performance(p, Db.await(signals.quality(endpoint, p.metric(), effective)), span);
    }

    private Outcome drift(PipelineDefinition def, TriggerSpec.Drift d, Instant now) {
        String endpoint = def.servingEndpoint().orElse(null);
        if (endpoint == null) {
            return Outcome.quiet("the pipeline has no serving endpoint to watch");
        }
        Optional<ServedModel> live = serving.served(endpoint);
        if (live.isEmpty()) {
            return Outcome.quiet("no model is live at " + endpoint + " yet");
        }
        Duration effective = effectiveWindow(d.window(), live.get(), now);
        if (effective.toSeconds() < 1) {
            return Outcome.quiet(describe(live.get()) + " went live just now");
        }
        return Conditions.drift(d, signals.drift(endpoint, effective), Conditions.span(d.window(), effective, describe(live.get())));
    }

    private Outcome data(PipelineDefinition def, String previous) {
        Optional<LoadedExtension<RetrainerExtension>> ext = plugins.find(ExtensionKind.DATA_SOURCE, def.source().plugin());
        if (ext.isEmpty()) {
            return Outcome.quiet("data source '" + def.source().plugin() + "' is not loaded");
        }
        DataSource source = (DataSource) ext.get().extension();
        Settings settings = source.configSpec().resolve(def.source().config(), "source.config");
        Optional<String> token;
        try {
            token = ext.get().call(() -> source.changeToken(settings));
        } catch (Exception e) {
            return Outcome.quiet("cannot ask the data source for changes: " + message(e));
        }
        return Conditions.data(previous, token == null ? Optional.empty() : token);
    }

    /**
     * The window, cut to the time since the serving model went live: predictions of the model it
     * replaced say nothing about it (and would re-fire the trigger after every retrain).
     */
    private static Duration effectiveWindow(Duration window, ServedModel live, Instant now) {
        if (live.since() == null) {
            return window;
        }
        Duration sinceLive = Duration.between(live.since(), now);
        return sinceLive.compareTo(window) < 0 ? (sinceLive.isNegative() ? Duration.ZERO : sinceLive) : window;
    }

    private static String describe(ServedModel m) {
        return m.ref().model() + " v" + m.ref().version();
    }

    private Instant next(TriggerSpec spec, Instant now) {
        if (spec.condition() instanceof TriggerSpec.Schedule) {
            return nextFire(spec, now);
        }
        if (spec.condition() instanceof TriggerSpec.Data d) {
            return now.plus(d.every());
        }
        return now.plus(checkInterval);
    }

    private static Instant nextFire(TriggerSpec spec, Instant after) {
        return ScheduleTriggers.nextAfter(spec, ZonedDateTime.ofInstant(after, spec.timeZone()))
                .map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }

    /** The triggers of {@code pipeline} with their state: stored firings, and this node's last check. */
    public Future<List<TriggerView>> views(String pipeline) {
        Watched watched = pipelines.get(pipeline);
        if (watched == null) {
            return Future.succeededFuture(List.of());
        }
        boolean checking = thread != null;
        return store.load(pipeline).map(stored -> {
            List<TriggerView> out = new ArrayList<>();
            for (Watch w : watched.watches()) {
                StoredState s = stored.get(w.spec.key());
                out.add(new TriggerView(w.spec.key(), w.spec.kind(), w.spec.describe(), w.spec.settings(),
                        s == null ? w.lastFiredAt : s.lastFiredAt(), s == null ? w.lastReason : s.lastReason(),
                        w.lastChecked, w.lastObservation, checking && !Instant.MAX.equals(w.nextCheck) ? w.nextCheck : null));
            }
            return out;
        });
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** Stops evaluating; a check in progress finishes. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdown();
            thread = null;
        }
    }
}
