package io.retrainer.core.monitoring;

import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveQuality} over the prediction log and feedback tables, plus a periodic refresh that
 * recomputes every served group's metrics over the monitoring window, publishes them as the
 * {@code retrainer_live_quality} and {@code retrainer_live_labelled} gauges, and records them in
 * {@code quality_snapshot} for the console's charts. The refresh runs on Vert.x timers and
 * database futures; it never blocks a thread, and a refresh still running skips the next tick.
 */
public final class QualityMonitor implements LiveQuality {
    private static final Logger LOG = LoggerFactory.getLogger(QualityMonitor.class);

    private final Db db;
    private final Vertx vertx;
    private final MonitoringMetrics metrics;
    private final PredictionLog log;
    private final QualityQueries queries;
    private final Duration window;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Set<List<String>> published = new HashSet<>();
    private final long timer;

    /**
     * A monitor refreshing every {@code every} over the last {@code window}. Seeds the served groups
     * from the predictions already logged in the window, so a restart does not blank the gauges.
     */
    public QualityMonitor(Db db, Vertx vertx, MonitoringMetrics metrics, PredictionLog log, Duration window, Duration every) {
        this.db = db;
        this.vertx = vertx;
        this.metrics = metrics;
        this.log = log;
        this.queries = new QualityQueries(db);
        this.window = window;
        seedGroups();
        this.timer = every.isZero() ? -1 : vertx.setPeriodic(every.toMillis(), id -> refresh());
    }

    private void seedGroups() {
        Instant from = Instant.now().minus(window);
        db.stateless(s -> s.createNativeQuery("select endpoint, model_name, model_version, slot, shadow, max(created_at) "
                        + "from prediction where created_at >= :from group by endpoint, model_name, model_version, slot, shadow",
                        Object[].class)
                .setParameter("from", from).getResultList())
                .onSuccess(rows -> {
                    for (Object[] r : rows) {
                        log.sawGroup(new ServedGroup((String) r[0], (String) r[1], ((Number) r[2]).intValue(), (String) r[3],
                                (Boolean) r[4]), toInstant(r[5]));
                    }
                })
                .onFailure(e -> LOG.warn("live quality: could not read recent predictions at start: {}", e.getMessage()));
    }

    private static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.LocalDateTime t) {
            return t.toInstant(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected timestamp type " + (o == null ? "null" : o.getClass().getName()));
    }

    /** The window the gauges and snapshots cover. */
    public Duration window() {
        return window;
    }

    @Override
    public Future<Optional<QualityReading>> read(String endpoint, String metric, Duration window) {
        if (!METRICS.contains(metric)) {
            return Future.failedFuture(unknownMetric(metric));
        }
        Instant to = Instant.now();
        Instant from = to.minus(window);
        return queries.endpoint(endpoint, from, to).map(n -> n.reading(metric, from, to));
    }

    @Override
    public Future<Optional<QualityReading>> readVersion(String endpoint, String model, int version, String metric, Instant since) {
        if (!METRICS.contains(metric)) {
            return Future.failedFuture(unknownMetric(metric));
        }
        Instant to = Instant.now();
        return queries.version(endpoint, model, version, false, since, to).compose(live -> {
            Optional<QualityReading> r = live.reading(metric, since, to);
            if (r.isPresent()) {
                return Future.succeededFuture(r);
            }
            // A version that only ran as a shadow is judged on its mirrored answers.
            return queries.version(endpoint, model, version, true, since, to).map(shadow -> shadow.reading(metric, since, to));
        });
    }

    /** Every metric of one served group over [from, to) (the console's side-by-side shadow comparison uses it). */
    public Future<Map<String, QualityReading>> readGroup(ServedGroup g, Instant from, Instant to) {
        return queries.version(g.endpoint(), g.model(), g.version(), g.shadow(), from, to).map(n -> {
            Map<String, QualityReading> out = new java.util.LinkedHashMap<>();
            for (String m : METRICS) {
                n.reading(m, from, to).ifPresent(r -> out.put(m, r));
            }
            return out;
        });
    }

    private static IllegalArgumentException unknownMetric(String metric) {
        return new IllegalArgumentException("unknown quality metric '" + metric + "'; known: " + String.join(", ", METRICS));
    }

    /**
     * Recomputes every group that answered within the window: gauges, then one snapshot row per
     * metric that has a value. Groups with no answer in the window lose their gauges.
     */
    public Future<Void> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        Instant to = Instant.now();
        Instant from = to.minus(window);
        log.forgetGroupsBefore(from);
        List<ServedGroup> groups = new ArrayList<>(log.servedGroups().keySet());
        List<QualitySnapshotRecord> snapshots = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        Future<Void> chain = Future.succeededFuture();
        for (ServedGroup g : groups) {
            chain = chain.compose(v -> queries.version(g.endpoint(), g.model(), g.version(), g.shadow(), from, to).map(n -> {
                publish(g, n, seen);
                for (String m : METRICS) {
                    n.reading(m, from, to).ifPresent(r -> snapshots.add(snapshot(g, r, to)));
                }
                return null;
            }));
        }
        return chain.compose(v -> snapshots.isEmpty() ? Future.<Void>succeededFuture()
                        : db.<Void>stateless(s -> s.insert(snapshots.size(), snapshots.toArray())))
                .onSuccess(v -> unpublishExcept(seen))
                .onFailure(e -> LOG.warn("live quality refresh failed: {}", e.getMessage()))
                .onComplete(ar -> refreshing.set(false));
    }

    private QualitySnapshotRecord snapshot(ServedGroup g, QualityReading r, Instant at) {
        QualitySnapshotRecord s = new QualitySnapshotRecord();
        s.endpoint = g.endpoint();
        s.modelName = g.model();
        s.modelVersion = g.version();
        s.slot = g.slotLabel();
        s.metric = r.metric();
        s.value = r.value();
        s.labelled = r.labelled();
        s.windowSeconds = window.toSeconds();
        s.at = at;
        return s;
    }

    private void publish(ServedGroup g, QualityNumbers n, Set<List<String>> seen) {
        String version = Integer.toString(g.version());
        long labelled = Math.max(n.classified(), n.regressed());
        metrics.liveLabelled.labels(g.endpoint(), g.model(), version, g.slotLabel()).set(labelled);
        seen.add(List.of(g.endpoint(), g.model(), version, g.slotLabel()));
        for (String m : METRICS) {
            Double value = n.value(m);
            List<String> labels = List.of(g.endpoint(), g.model(), version, g.slotLabel(), m);
            if (value != null && !value.isNaN() && n.labelled(m) > 0) {
                metrics.liveQuality.labels(labels.toArray(String[]::new)).set(value);
                seen.add(labels);
            }
        }
    }

    private synchronized void unpublishExcept(Set<List<String>> seen) {
        for (List<String> labels : published) {
            if (!seen.contains(labels)) {
                if (labels.size() == 5) {
                    metrics.liveQuality.remove(labels.toArray(String[]::new));
                } else {
                    metrics.liveLabelled.remove(labels.toArray(String[]::new));
                }
            }
        }
        published.clear();
        published.addAll(seen);
    }

    /**
     * The recorded snapshots of {@code endpoint} since {@code since}, oldest first, for charts.
     */
    public Future<List<QualitySnapshotRecord>> snapshots(String endpoint, Instant since) {
        return db.stateless(s -> s.createSelectionQuery("from QualitySnapshotRecord where endpoint = :e and at >= :since "
                        + "order by at, id", QualitySnapshotRecord.class)
                .setParameter("e", endpoint).setParameter("since", since).setMaxResults(20_000).getResultList());
    }

    /** Stops the refresh timer. */
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
