package io.retrainer.core.monitoring;

import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes logged predictions older than the retention setting, with their feedback (the foreign
 * keys cascade) and old quality snapshots. Deletes in chunks so no statement holds locks on
 * millions of rows while the log keeps writing.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int CHUNK = 10_000;

    private final Db db;
    private final Vertx vertx;
    private final Duration keep;
    private final long timer;

    /** Purges every {@code every} (zero: never on its own) what is older than {@code keep}. */
    public Retention(Db db, Vertx vertx, Duration keep, Duration every) {
        this.db = db;
        this.vertx = vertx;
        this.keep = keep;
        this.timer = every.isZero() ? -1 : vertx.setPeriodic(every.toMillis(), id -> purge(Instant.now().minus(keep))
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("prediction log retention: deleted {} predictions older than {}", n, keep);
                    }
                })
                .onFailure(e -> LOG.warn("prediction log retention failed: {}", e.getMessage())));
    }

    /** How long predictions are kept. */
    public Duration keep() {
        return keep;
    }

    /**
     * Deletes predictions made before {@code cutoff} (with their feedback and history) and quality
     * snapshots taken before it.
     *
     * @return the number of predictions deleted
     */
    public Future<Long> purge(Instant cutoff) {
        return chunk(cutoff, 0).compose(n -> db.stateless(s -> s.createNativeMutationQuery(
                        "delete from quality_snapshot where at < :cutoff").setParameter("cutoff", cutoff).executeUpdate())
                .map(x -> n));
    }

    private Future<Long> chunk(Instant cutoff, long sofar) {
        return db.stateless(s -> s.createNativeMutationQuery("delete from prediction where id in "
                        + "(select id from prediction where created_at < :cutoff limit " + CHUNK + ")")
                .setParameter("cutoff", cutoff).executeUpdate())
                .compose(n -> n < CHUNK ? Future.succeededFuture(sofar + n) : chunk(cutoff, sofar + n));
    }

    /** Stops the periodic purge. */
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
