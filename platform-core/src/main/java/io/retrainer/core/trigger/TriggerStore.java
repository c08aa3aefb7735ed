package io.retrainer.core.trigger;

import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Trigger state in {@code trigger_state} (last fired, reason, data token; cooldowns survive
 * restarts), and the "is a run of this pipeline queued or running" question. Rows are written with
 * upserts keyed by (pipeline, trigger key), so two nodes firing the same trigger leave one row.
 */
final class TriggerStore {
    private final Db db;

    TriggerStore(Db db) {
        this.db = db;
    }

    /** Every stored trigger state of {@code pipeline}, by trigger key. */
    Future<Map<String, StoredState>> load(String pipeline) {
        return db.tx(s -> s.createNativeQuery("select t.trigger_key, t.last_fired_at, t.last_reason, t.last_token "
                                + "from trigger_state t join pipeline p on p.id = t.pipeline_id where p.name = :p", Object[].class)
                .setParameter("p", pipeline)
                .getResultList()
                .thenApply(rows -> {
                    Map<String, StoredState> out = new HashMap<>();
                    for (Object[] r : rows) {
                        out.put((String) r[0], new StoredState(toInstant(r[1]), (String) r[2], (String) r[3]));
                    }
                    return out;
                }));
    }

    /** Records that {@code key} fired at {@code at} for {@code reason}, and the token it acted on if any. */
    Future<Void> fired(String pipeline, String key, Instant at, String reason, String token) {
        return db.tx(s -> s.createNativeQuery("insert into trigger_state (pipeline_id, trigger_key, last_fired_at, last_reason) "
                                + "select id, :k, :at, :r from pipeline where name = :p on conflict (pipeline_id, trigger_key) "
                                + "do update set last_fired_at = excluded.last_fired_at, last_reason = excluded.last_reason")
                .setParameter("k", key).setParameter("at", at).setParameter("r", reason).setParameter("p", pipeline)
                .executeUpdate()
                .thenCompose(n -> token == null ? java.util.concurrent.CompletableFuture.completedFuture(0)
                        : tokenQuery(s, pipeline, key, token))
                .thenApply(n -> null));
    }

    /** Records the token a data trigger now compares against (its first look at the source). */
    Future<Void> token(String pipeline, String key, String token) {
        return db.tx(s -> tokenQuery(s, pipeline, key, token).thenApply(n -> null));
    }

    private static java.util.concurrent.CompletionStage<Integer> tokenQuery(org.hibernate.reactive.stage.Stage.Session s,
                                                                           String pipeline, String key, String token) {
        return s.createNativeQuery("insert into trigger_state (pipeline_id, trigger_key, last_token) "
                        + "select id, :k, :t from pipeline where name = :p on conflict (pipeline_id, trigger_key) "
                        + "do update set last_token = excluded.last_token")
                .setParameter("k", key).setParameter("t", token).setParameter("p", pipeline)
                .executeUpdate();
    }

    /** The oldest queued or running run of {@code pipeline}, if any. */
    Future<Optional<Long>> activeRun(String pipeline) {
        return db.tx(s -> s.createNativeQuery("select id from run where pipeline_name = :p and status in ('queued', 'running') "
                        + "order by id limit 1", Long.class)
                .setParameter("p", pipeline)
                .getResultList()
                .thenApply(ids -> ids.isEmpty() ? Optional.<Long>empty() : Optional.of(ids.get(0))));
    }

    private static Instant toInstant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.ZonedDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.time.LocalDateTime t) {
            return t.toInstant(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass().getName());
    }
}
