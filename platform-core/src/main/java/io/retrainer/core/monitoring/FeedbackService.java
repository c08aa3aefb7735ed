package io.retrainer.core.monitoring;

import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hibernate.reactive.stage.Stage;

/**
 * Ground-truth feedback for logged predictions. A submission is one transaction and is idempotent:
 * sending the label a prediction already has changes nothing; a different label replaces it and is
 * recorded as a correction, with the label it replaced, in {@code feedback_event}. Ids that match
 * no logged live prediction are reported back, never silently dropped. If some ids are not found
 * while the prediction log still has rows queued, the log is flushed and they are looked up again,
 * so feedback sent right after the prediction is not reported unknown.
 */
public final class FeedbackService {
    /** Most items accepted in one submission (each id is one bind parameter of the lookup). */
    public static final int MAX_ITEMS = 10_000;

    private final Db db;
    private final PredictionLog log;
    private final MonitoringMetrics metrics;

    /** Feedback over {@code db}, flushing {@code log} when an id may still be queued. */
    public FeedbackService(Db db, PredictionLog log, MonitoringMetrics metrics) {
        this.db = db;
        this.log = log;
        this.metrics = metrics;
    }

    /** A logged live prediction, as feedback needs it. */
    private record Known(String endpoint, boolean regression) {
    }

    /** What one item does, decided before anything is written. */
    private record Action(int index, UUID id, String endpoint, String label, Double value) {
    }

    /**
     * Records {@code items} in one transaction.
     *
     * @return the outcome; fails with {@link InvalidInputException} naming each bad item as
     *         {@code [index].field: problem} (nothing is written then)
     */
    public Future<FeedbackOutcome> submit(List<FeedbackItem> items) {
        List<String> problems = new ArrayList<>();
        if (items.isEmpty()) {
            problems.add("no feedback items: send one {\"prediction_id\": ..., \"label\": ...} object or an array of them");
        } else if (items.size() > MAX_ITEMS) {
            problems.add("at most " + MAX_ITEMS + " feedback items per request, got " + items.size());
        }
        List<UUID> ids = new ArrayList<>(items.size());
        if (items.size() <= MAX_ITEMS) {
            for (int i = 0; i < items.size(); i++) {
                ids.add(validate(i, items.get(i), problems));
            }
        }
        if (!problems.isEmpty()) {
            return Future.failedFuture(new InvalidInputException(problems));
        }
        Set<UUID> distinct = new LinkedHashSet<>(ids);
        return knownIds(distinct).compose(found -> {
            boolean someMissing = found.size() < distinct.size();
            // Feedback can arrive before the log has written its prediction: wait for the queue, once.
            return someMissing && log.pending() > 0 ? log.flush() : Future.<Void>succeededFuture();
        }).compose(v -> apply(items, ids, distinct).recover(e -> isDuplicateKey(e)
                // Two submissions raced to give one prediction its first label: the second sees the first's row now.
                ? apply(items, ids, distinct) : Future.failedFuture(e)));
    }

    /**
     * The problems of item {@code i} on its own (a prediction id that is a UUID; a label or a finite
     * value, not both), as {@code [i].field: problem}; empty if it is well formed. The REST layer
     * uses it to report every bad item of a request at once.
     */
    public static List<String> problems(int i, FeedbackItem item) {
        List<String> problems = new ArrayList<>();
        validate(i, item, problems);
        return problems;
    }

    private static UUID validate(int i, FeedbackItem item, List<String> problems) {
        UUID id = null;
        if (item.predictionId() == null || item.predictionId().isBlank()) {
            problems.add("[" + i + "].prediction_id: required");
        } else {
            try {
                id = UUID.fromString(item.predictionId());
                if (!id.toString().equalsIgnoreCase(item.predictionId())) {
                    throw new IllegalArgumentException("not canonical");
                }
            } catch (IllegalArgumentException e) {
                problems.add("[" + i + "].prediction_id: expected a prediction id (a UUID as returned by inference), got \""
                        + item.predictionId() + "\"");
            }
        }
        if (item.label() == null && item.value() == null) {
            problems.add("[" + i + "]: needs \"label\" (classification) or \"value\" (regression)");
        } else if (item.label() != null && item.value() != null) {
            problems.add("[" + i + "]: give either \"label\" or \"value\", not both");
        } else if (item.value() != null && !Double.isFinite(item.value())) {
            problems.add("[" + i + "].value: expected a finite number, got " + item.value());
        } else if (item.label() != null && item.label().isEmpty()) {
            problems.add("[" + i + "].label: must not be empty");
        }
        return id;
    }

    private Future<Set<UUID>> knownIds(Set<UUID> ids) {
        return db.stateless(s -> s.createSelectionQuery("select p.id from PredictionRecord p where p.id in :ids and p.shadow = false",
                UUID.class).setParameter("ids", ids).getResultList()).map(HashSet::new);
    }

    private Future<FeedbackOutcome> apply(List<FeedbackItem> items, List<UUID> ids, Set<UUID> distinct) {
        return db.tx(s -> known(s, distinct).thenCompose(known -> existing(s, distinct).thenCompose(existing -> {
            List<String> problems = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            List<Action> actions = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                FeedbackItem item = items.get(i);
                Known k = known.get(ids.get(i));
                if (k == null) {
                    unknown.add(item.predictionId());
                    continue;
                }
                if (k.regression()) {
                    Double v = item.value() != null ? item.value() : parseNumber(item.label());
                    if (v == null) {
                        problems.add("[" + i + "].label: prediction " + item.predictionId()
                                + " is a regression; send \"value\" with the true number, got label \"" + item.label() + "\"");
                    } else {
                        actions.add(new Action(i, ids.get(i), k.endpoint(), null, v));
                    }
                } else {
                    String label = item.label() != null ? item.label() : numberLabel(item.value());
                    actions.add(new Action(i, ids.get(i), k.endpoint(), label, null));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            return write(s, actions, existing, unknown);
        })));
    }

    private CompletionStage<FeedbackOutcome> write(Stage.Session s, List<Action> actions, Map<UUID, FeedbackRecord> existing,
                                                   List<String> unknown) {
        Instant now = Instant.now();
        int[] counts = new int[3];
        Map<String, int[]> perEndpoint = new HashMap<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (Action a : actions) {
            FeedbackRecord current = existing.get(a.id());
            int outcome;
            FeedbackEventRecord event = null;
            if (current == null) {
                FeedbackRecord f = new FeedbackRecord();
                f.predictionId = a.id();
                f.endpoint = a.endpoint();
                f.label = a.label();
                f.value = a.value();
                f.createdAt = now;
                f.updatedAt = now;
                existing.put(a.id(), f);
                chain = chain.thenCompose(v -> s.persist(f));
                event = event(a, "label", null, null, now);
                outcome = 0;
            } else if (Objects.equals(current.label, a.label()) && sameValue(current.value, a.value())) {
                outcome = 1;
            } else {
                event = event(a, "correction", current.label, current.value, now);
                current.label = a.label();
                current.value = a.value();
                current.corrections++;
                current.updatedAt = now;
                outcome = 2;
            }
            counts[outcome]++;
            perEndpoint.computeIfAbsent(a.endpoint(), e -> new int[3])[outcome]++;
            if (event != null) {
                FeedbackEventRecord e = event;
                chain = chain.thenCompose(v -> s.persist(e));
            }
        }
        return chain.thenCompose(v -> s.flush()).thenApply(v -> {
            perEndpoint.forEach((endpoint, n) -> {
                metrics.feedback.labels(endpoint, "accepted").inc(n[0]);
                metrics.feedback.labels(endpoint, "unchanged").inc(n[1]);
                metrics.feedback.labels(endpoint, "corrected").inc(n[2]);
            });
            if (!unknown.isEmpty()) {
                metrics.feedback.labels("", "unknown").inc(unknown.size());
            }
            return new FeedbackOutcome(counts[0], counts[1], counts[2], unknown);
        });
    }

    private static FeedbackEventRecord event(Action a, String kind, String previousLabel, Double previousValue, Instant at) {
        FeedbackEventRecord e = new FeedbackEventRecord();
        e.predictionId = a.id();
        e.kind = kind;
        e.label = a.label();
        e.value = a.value();
        e.previousLabel = previousLabel;
        e.previousValue = previousValue;
        e.at = at;
        return e;
    }

    private static boolean sameValue(Double a, Double b) {
        return a == null ? b == null : b != null && Double.compare(a, b) == 0;
    }

    private static CompletionStage<Map<UUID, Known>> known(Stage.Session s, Set<UUID> ids) {
        return s.createSelectionQuery("select p.id, p.endpoint, p.predictedLabel from PredictionRecord p "
                        + "where p.id in :ids and p.shadow = false", Object[].class)
                .setParameter("ids", ids).getResultList()
                .thenApply(rows -> {
                    Map<UUID, Known> out = new HashMap<>();
                    for (Object[] r : rows) {
                        out.put((UUID) r[0], new Known((String) r[1], r[2] == null));
                    }
                    return out;
                });
    }

    private static CompletionStage<Map<UUID, FeedbackRecord>> existing(Stage.Session s, Set<UUID> ids) {
        return s.createSelectionQuery("from FeedbackRecord where predictionId in :ids", FeedbackRecord.class)
                .setParameter("ids", ids).getResultList()
                .thenApply(rows -> {
                    Map<UUID, FeedbackRecord> out = new HashMap<>();
                    for (FeedbackRecord f : rows) {
                        out.put(f.predictionId, f);
                    }
                    return out;
                });
    }

    private static Double parseNumber(String s) {
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A number sent as a class label, written the way data sets write integral labels ({@code 1}, not {@code 1.0}). */
    private static String numberLabel(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("duplicate key")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The feedback of prediction {@code predictionId}: current label or value and every change, oldest first. */
    public Future<FeedbackHistory> history(String predictionId) {
        UUID id;
        try {
            id = UUID.fromString(predictionId);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new NotFoundException("no feedback for prediction '" + predictionId + "'"));
        }
        return db.tx(s -> s.find(FeedbackRecord.class, id).thenCompose(f -> {
            if (f == null) {
                throw new NotFoundException("no feedback for prediction '" + predictionId + "'");
            }
            return s.createSelectionQuery("from FeedbackEventRecord where predictionId = :id order by id", FeedbackEventRecord.class)
                    .setParameter("id", id).getResultList()
                    .thenApply(events -> {
                        List<FeedbackEvent> out = new ArrayList<>();
                        for (FeedbackEventRecord e : events) {
                            out.add(new FeedbackEvent(e.kind, e.label, e.value, e.previousLabel, e.previousValue, e.at));
                        }
                        return new FeedbackHistory(predictionId, f.endpoint, f.label, f.value, f.corrections, out);
                    });
        }));
    }
}
