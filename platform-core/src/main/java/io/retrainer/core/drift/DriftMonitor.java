package io.retrainer.core.drift;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.serving.EndpointRouting;
import io.retrainer.core.serving.EndpointView;
import io.retrainer.core.serving.PredictionListener;
import io.retrainer.core.serving.ServedBatch;
import io.retrainer.core.serving.ServedModel;
import io.retrainer.core.serving.ServingService;
import io.prometheus.client.Gauge;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input and prediction drift of the models serving at each endpoint.
 *
 * <p>At registration ({@link #atRegistration}) a version's training data and its predictions on
 * the holdout are profiled and stored. As a {@link PredictionListener} the monitor bins every
 * live, non-shadow row into in-memory, time-bucketed counters per endpoint and version
 * ({@link LiveWindow}); a version's profile is loaded from the database once, asynchronously, on
 * its first request (rows answered before it arrives are not counted). {@link #drift} and
 * {@link #report} compute PSI and KS from those counters on demand; a periodic refresh publishes
 * them as the gauges {@code retrainer_drift_psi} and {@code retrainer_drift_ks}.
 */
public final class DriftMonitor implements PredictionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    /** The {@link FeatureDrift#feature} name of the model's output. */
    public static final String PREDICTION = "(prediction)";
    /** The window of the Prometheus gauges. */
    public static final Duration GAUGE_WINDOW = Duration.ofHours(1);
    /** How often the gauges are recomputed. */
    public static final Duration REFRESH = Duration.ofSeconds(15);
    /** Reference predictions come from the holdout when it has at least this many rows, else from the training rows. */
    static final int MIN_HOLDOUT_FOR_PREDICTIONS = 100;
    /** At most this many reference rows are predicted for the output profile. */
    static final int MAX_PREDICTION_ROWS = 20_000;
    /** How long a version with no stored profile waits before the next load attempt. */
    private static final long RETRY_MILLIS = 60_000;
    /** Counters of versions no longer routed are dropped after this long without traffic. */
    private static final long IDLE_MILLIS = Duration.ofHours(1).toMillis();

    /**
     * Run executions reach the monitor through the registry they already hold, so wiring needs no
     * new constructor parameters across the engine. Weak keys: a closed platform's entry goes away.
     */

    /** The counters of one version at one endpoint; {@code live} is null until its profile is loaded. */
    private static final class VersionEntry {
        final String model;
        final int version;
        volatile LiveWindow live;
        final AtomicBoolean loading = new AtomicBoolean();
        volatile long nextAttemptMillis;

        VersionEntry(String model, int version) {
            this.model = model;
            this.version = version;
        }
    }

    /** An endpoint's versions; copy-on-write, since versions change rarely and are read per request. */
    private static final class EndpointState {
        volatile VersionEntry[] entries = new VersionEntry[0];

        VersionEntry find(String model, int version) {
            for (VersionEntry e : entries) {
                if (e.version == version && e.model.equals(model)) {
                    return e;
                }
            }
            return null;
        }
    }

    private final DriftProfiles store;
    private final ServingService serving;
    private final Clock clock;
    private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    /** Profiles built or loaded in this process, by model and version. */
    private final Map<String, ReferenceProfile> profiles = new ConcurrentHashMap<>();
    private final Gauge psiGauge;
    private final Gauge ksGauge;
    private final Set<List<String>> published = new HashSet<>();
    private Vertx vertx;
    private long timer = -1;

    /**
     * A monitor over {@code serving}, storing profiles in {@code db} and publishing gauges in
     * {@code metrics}' registry. Register it with {@link ServingService#addListener}, then {@link #start}.
     */
    public DriftMonitor(Db db, ServingService serving, PlatformMetrics metrics, Clock clock) {
        this.store = new DriftProfiles(db);
        this.serving = serving;
        this.clock = clock;
        this.psiGauge = Gauge.build("retrainer_drift_psi",
                        "Population stability index of live inputs and outputs against the training reference, over the last hour")
                .labelNames("endpoint", "model", "version", "feature").register(metrics.registry());
        this.ksGauge = Gauge.build("retrainer_drift_ks",
                        "Kolmogorov-Smirnov statistic of live numeric inputs and outputs against the training reference, over the last hour")
                .labelNames("endpoint", "model", "version", "feature").register(metrics.registry());
    }


    /** Starts the periodic gauge refresh (and profile preloading) on {@code vertx}. */
    public void start(Vertx vertx) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> vertx.executeBlocking(() -> {
            refresh();
            return null;
        }, false));
    }

    @Override
    public void close() {
        if (vertx != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // ---- reference profiles ----------------------------------------------------------------

    /**
     * Profiles a version just registered and stores the profile (the executor's
     * {@link io.retrainer.core.pipeline.RegistrationHook}). Blocking (runs in the register stage). Never throws:
     * drift is an aid, so a failure is reported in the returned line and the run goes on.
     *
     * @param train the training rows (the label column is skipped)
     * @param holdout the holdout rows, predicted for the output profile when there are enough of them
     * @param predictor the registered model
     * @return a line for the stage log
     */
    public Optional<String> atRegistration(ModelVersionView registered, Dataset train, Dataset holdout, Predictor predictor) {
        DriftMonitor monitor = this;
        try {
            long t0 = System.nanoTime();
            ReferenceProfile p = monitor.recordReference(registered.model(), registered.version(), train, holdout, predictor);
            return Optional.of("drift reference profile: " + p.features().size() + " features from " + p.rows()
                    + " training rows" + (p.prediction() == null ? "" : ", outputs from " + p.predictionRows() + " rows")
                    + String.format(java.util.Locale.ROOT, " (%.2f s)", (System.nanoTime() - t0) / 1e9));
        } catch (RuntimeException e) {
            LOG.warn("drift profile of {} v{} not stored", registered.model(), registered.version(), e);
            return Optional.of("drift reference profile not stored: " + e);
        }
    }

    /** Builds, stores and caches the profile of {@code model} v{@code version}. Blocking. */
    public ReferenceProfile recordReference(String model, int version, Dataset train, Dataset holdout, Predictor predictor) {
        Dataset reference = holdout != null && holdout.rowCount() >= MIN_HOLDOUT_FOR_PREDICTIONS ? holdout : train;
        if (reference.rowCount() > MAX_PREDICTION_ROWS) {
            // The output's bins need thousands of rows, not millions: an even stride keeps registration quick.
            int[] idx = new int[MAX_PREDICTION_ROWS];
            double stride = (double) reference.rowCount() / MAX_PREDICTION_ROWS;
            for (int i = 0; i < idx.length; i++) {
                idx[i] = (int) (i * stride);
            }
            reference = reference.rows(idx);
        }
        List<Prediction> predictions;
        try {
            predictions = predictor == null ? List.of() : predictor.predict(reference);
        } catch (RuntimeException e) {
            LOG.warn("drift: {} v{} failed predicting its reference rows, no output profile: {}", model, version, e.toString());
            predictions = List.of();
        }
        ReferenceProfile profile = ProfileBuilder.build(model, version, train, predictions);
        Db.await(store.save(profile));
        profiles.put(key(model, version), profile);
        return profile;
    }

    /** Uses {@code profile} for its version without storing it (benchmarks). */
    void cache(ReferenceProfile profile) {
        profiles.put(key(profile.model(), profile.version()), profile);
    }

    // ---- live binning ----------------------------------------------------------------------

    @Override
    public void onBatch(ServedBatch batch) {
        if (batch.shadow()) {
            return;
        }
        EndpointState state = endpoints.get(batch.endpoint());
        if (state == null) {
            state = endpoints.computeIfAbsent(batch.endpoint(), e -> new EndpointState());
        }
        ServedModel m = batch.model();
        VersionEntry entry = state.find(m.ref().model(), m.ref().version());
        if (entry == null) {
            entry = entry(state, m.ref().model(), m.ref().version());
        }
        LiveWindow live = entry.live;
        if (live == null) {
            ensureLoading(entry);
            // A profile already in memory (built at registration) gives counters at once; else rows wait for the load.
            live = entry.live;
            if (live == null) {
                return;
            }
        }
        live.add(batch.inputs(), batch.outputs(), clock.millis());
    }

    private static VersionEntry entry(EndpointState state, String model, int version) {
        synchronized (state) {
            VersionEntry e = state.find(model, version);
            if (e == null) {
                e = new VersionEntry(model, version);
                VersionEntry[] next = java.util.Arrays.copyOf(state.entries, state.entries.length + 1);
                next[next.length - 1] = e;
                state.entries = next;
            }
            return e;
        }
    }

    /** Gives {@code entry} its counters: from the cache at once, else from the database asynchronously. */
    private void ensureLoading(VersionEntry entry) {
        long now = clock.millis();
        if (now < entry.nextAttemptMillis || !entry.loading.compareAndSet(false, true)) {
            return;
        }
        ReferenceProfile cached = profiles.get(key(entry.model, entry.version));
        if (cached != null) {
            entry.live = new LiveWindow(cached, now);
            entry.loading.set(false);
            return;
        }
        store.load(entry.model, entry.version).onComplete(ar -> {
            if (ar.succeeded() && ar.result().isPresent()) {
                ReferenceProfile p = ar.result().get();
                profiles.put(key(entry.model, entry.version), p);
                entry.live = new LiveWindow(p, clock.millis());
            } else {
                entry.nextAttemptMillis = clock.millis() + RETRY_MILLIS;
                if (ar.failed()) {
                    LOG.warn("drift: cannot load the profile of {} v{}: {}", entry.model, entry.version, ar.cause().toString());
                } else {
                    LOG.info("drift: {} v{} has no reference profile (registered before drift profiling?); its inputs are not monitored",
                            entry.model, entry.version);
                }
            }
            entry.loading.set(false);
        });
    }

    // ---- statistics ------------------------------------------------------------------------

    /**
     * Per-feature drift of the stable version serving at {@code endpoint} over the last
     * {@code window}, from in-memory counters (cheap: no database access). Empty when nothing
     * serves there or the version has no reference profile (yet). The window is rounded up to
     * whole minutes (whole clock hours beyond an hour, at most a day) and includes the current,
     * partial minute (hour): "the last 1m" holds between 60 and 120 seconds of rows.
     */
    public List<FeatureDrift> drift(String endpoint, Duration window) {
        return report(endpoint, window).map(r -> r.features().stream().map(DriftReport.FeatureReport::summary).toList())
                .orElse(List.of());
    }

    /** {@link #drift} with the bin fractions behind each number; empty when there is nothing to compare. */
    public Optional<DriftReport> report(String endpoint, Duration window) {
        Optional<ServedModel> served = serving.served(endpoint);
        if (served.isEmpty()) {
            return Optional.empty();
        }
        return report(endpoint, served.get().ref().model(), served.get().ref().version(), window);
    }

    /** The drift of {@code model} v{@code version}'s traffic at {@code endpoint} (also when it is not the stable version). */
    Optional<DriftReport> report(String endpoint, String model, int version, Duration window) {
        EndpointState state = endpoints.computeIfAbsent(endpoint, e -> new EndpointState());
        VersionEntry entry = state.find(model, version);
        if (entry == null) {
            entry = entry(state, model, version);
        }
        if (entry.live == null) {
            ensureLoading(entry);
        }
        LiveWindow live = entry.live;
        if (live == null) {
            return Optional.empty();
        }
        Duration w = window.compareTo(LiveWindow.LONGEST) > 0 ? LiveWindow.LONGEST : window;
        long[] sums = live.sum(w, clock.millis());
        return Optional.of(new DriftReport(endpoint, model, version, window, live.profile.rows(),
                DriftStatistics.reports(live, sums)));
    }

    /**
     * Recomputes the gauges over {@link #GAUGE_WINDOW}, starts loading profiles of versions that
     * are routed but not yet seen, and drops counters of versions gone for an hour. Called
     * periodically on a worker thread; public for tests.
     */
    public synchronized void refresh() {
        long now = clock.millis();
        Set<String> routed = new HashSet<>();
        for (EndpointView e : serving.endpoints()) {
            Optional<EndpointRouting> r = serving.routing(e.endpoint());
            if (r.isEmpty()) {
                continue;
            }
            EndpointState state = endpoints.computeIfAbsent(e.endpoint(), x -> new EndpointState());
            for (ServedModel m : new ServedModel[] {r.get().stable(), r.get().canary()}) {
                if (m != null) {
                    routed.add(e.endpoint() + "\u0000" + key(m.ref().model(), m.ref().version()));
                    VersionEntry v = entry(state, m.ref().model(), m.ref().version());
                    if (v.live == null) {
                        ensureLoading(v);
                    }
                }
            }
        }
        for (Map.Entry<String, EndpointState> e : endpoints.entrySet()) {
            EndpointState state = e.getValue();
            synchronized (state) {
                List<VersionEntry> kept = new ArrayList<>();
                for (VersionEntry v : state.entries) {
                    boolean isRouted = routed.contains(e.getKey() + "\u0000" + key(v.model, v.version));
                    LiveWindow live = v.live;
                    if (isRouted || (live != null && now - live.lastUsedMillis() < IDLE_MILLIS)) {
                        kept.add(v);
                    }
                }
                state.entries = kept.toArray(new VersionEntry[0]);
            }
        }
        Set<List<String>> current = new HashSet<>();
        for (EndpointView e : serving.endpoints()) {
            Optional<DriftReport> report = report(e.endpoint(), GAUGE_WINDOW);
            if (report.isEmpty()) {
                continue;
            }
            DriftReport r = report.get();
            for (DriftReport.FeatureReport f : r.features()) {
                List<String> labels = List.of(r.endpoint(), r.model(), Integer.toString(r.version()), f.feature());
                current.add(labels);
                String[] l = labels.toArray(new String[0]);
                psiGauge.labels(l).set(f.psi());
                if (f.ks() != null) {
                    ksGauge.labels(l).set(f.ks());
                } else {
                    ksGauge.remove(l);
                }
            }
        }
        for (List<String> old : published) {
            if (!current.contains(old)) {
                String[] l = old.toArray(new String[0]);
                psiGauge.remove(l);
                ksGauge.remove(l);
            }
        }
        published.clear();
        published.addAll(current);
    }

    private static String key(String model, int version) {
        return model + "@" + version;
    }
}
