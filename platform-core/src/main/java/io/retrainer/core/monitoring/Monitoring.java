package io.retrainer.core.monitoring;

import io.prometheus.client.CollectorRegistry;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.PredictionListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;

/**
 * The monitoring services together: the prediction log (a {@link PredictionListener} to register
 * with serving), feedback, live quality with its periodic refresh, and retention.
 */
public final class Monitoring implements AutoCloseable {
    /** Window of the live quality gauges and snapshots. */
    public static final Duration QUALITY_WINDOW = Duration.ofHours(1);
    /** How often live quality is recomputed. */
    public static final Duration QUALITY_REFRESH = Duration.ofSeconds(15);
    /** How often old predictions are purged. */
    public static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final Db db;
    private final MonitoringMetrics metrics;
    private final PredictionLog log;
    private final FeedbackService feedback;
    private final QualityMonitor quality;
    private final Retention retention;

    /** Monitoring with the default window and intervals. Blocking (loads sampling rates): not on an event loop. */
    public Monitoring(Db db, Vertx vertx, CollectorRegistry registry, int logCapacity, Duration retention) {
        this(db, vertx, registry, logCapacity, retention, QUALITY_WINDOW, QUALITY_REFRESH, RETENTION_EVERY);
    }

    /** Monitoring with explicit window and intervals (a zero interval disables that timer; tests call the work directly). */
    public Monitoring(Db db, Vertx vertx, CollectorRegistry registry, int logCapacity, Duration retention, Duration qualityWindow,
                      Duration qualityRefresh, Duration retentionEvery) {
        this.db = db;
        this.metrics = new MonitoringMetrics(registry);
        this.log = new PredictionLog(db, metrics, logCapacity);
        this.feedback = new FeedbackService(db, log, metrics);
        this.quality = new QualityMonitor(db, vertx, metrics, log, qualityWindow, qualityRefresh);
        this.retention = new Retention(db, vertx, retention, retentionEvery);
    }

    /** The prediction log; register it with {@code ServingService.addListener}. */
    public PredictionLog predictionLog() {
        return log;
    }

    /** Feedback. */
    public FeedbackService feedback() {
        return feedback;
    }

    /** Live quality, with the refresh and snapshots. */
    public QualityMonitor quality() {
        return quality;
    }

    /** Retention. */
    public Retention retention() {
        return retention;
    }

    /** Recent prediction and feedback counts of {@code endpoint}. */
    public Future<EndpointActivity> activity(String endpoint) {
        Instant now = Instant.now();
        Instant hour = now.minus(Duration.ofHours(1));
        Instant day = now.minus(Duration.ofDays(1));
        return db.stateless(s -> s.createNativeQuery("""
                        select (select count(*) from prediction where endpoint = :e and not shadow and created_at >= :h),
                               (select count(*) from prediction where endpoint = :e and not shadow and created_at >= :d),
                               (select count(*) from prediction where endpoint = :e and shadow and created_at >= :d),
                               (select count(*) from feedback where endpoint = :e and created_at >= :h),
                               (select count(*) from feedback where endpoint = :e and created_at >= :d),
                               (select count(*) from feedback_event fe join feedback f on f.prediction_id = fe.prediction_id
                                 where f.endpoint = :e and fe.kind = 'correction' and fe.at >= :d)
                        """, Object[].class)
                .setParameter("e", endpoint).setParameter("h", hour).setParameter("d", day).getSingleResult())
                .map(r -> new EndpointActivity(n(r[0]), n(r[1]), n(r[2]), n(r[3]), n(r[4]), n(r[5])));
    }

    private static long n(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    /** Stops the timers and writes what the prediction log still holds. */
    @Override
    public void close() {
        quality.close();
        retention.close();
        log.close();
    }
}
