package io.retrainer.core.monitoring;

import io.prometheus.client.CollectorRegistry;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelRef;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import io.retrainer.core.persistence.Database;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.core.serving.ServedBatch;
import io.retrainer.core.serving.ServedModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database on the test PostgreSQL server with the monitoring services over it, timers
 * off (tests call refresh and purge themselves), and helpers that build served batches the way
 * the inference service publishes them.
 */
final class MonitoringDb implements AutoCloseable {
    static final Schema INPUTS = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("colour", ColumnType.CATEGORICAL)), null);

    final Vertx vertx = Vertx.vertx();
    final String url = TestDatabases.create();
    final Database database;
    final CollectorRegistry registry = new CollectorRegistry(true);
    final Monitoring monitoring;

    MonitoringDb(int capacity) throws Exception {
        database = Database.open(url, Files.createTempDirectory("monitoring-test"), vertx);
        monitoring = new Monitoring(database.db(), vertx, registry, capacity, Duration.ofDays(30), Duration.ofHours(1),
                Duration.ZERO, Duration.ZERO);
    }

    Db db() {
        return database.db();
    }

    /** A model reference for {@code model} version {@code version}; the predictor is never called by listeners. */
    static ServedModel model(String model, int version) {
        return new ServedModel(new ModelRef(model, version, "test", "0".repeat(64), INPUTS), null, Instant.now());
    }

    /** A batch of {@code n} rows with fresh ids, answered by {@code predict(row)}. */
    static ServedBatch batch(String endpoint, ServedModel model, String slot, int n, Instant at,
                             java.util.function.IntFunction<Prediction> predict) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return batch(endpoint, model, slot, false, ids, at, predict);
    }

    /** A batch for the given ids (a shadow batch reuses the live batch's ids, as InferenceService does). */
    static ServedBatch batch(String endpoint, ServedModel model, String slot, boolean shadow, List<String> ids, Instant at,
                             java.util.function.IntFunction<Prediction> predict) {
        Dataset.Builder rows = Dataset.builder(INPUTS);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            rows.addRow((double) i, i % 2 == 0 ? "red" : null);
            out.add(predict.apply(i));
        }
        return new ServedBatch(endpoint, model, slot, shadow, rows.build(), out, ids, at, 1000);
    }

    static Prediction yes(double p) {
        return Prediction.ofClass(p >= 0.5 ? "yes" : "no", java.util.Map.of("yes", p, "no", 1 - p));
    }

    long count(String sql) {
        return Db.await(db().stateless(s -> s.createNativeQuery(sql, Long.class).getSingleResult()));
    }

    double metric(String name, String... labels) {
        String[] names = switch (labels.length) {
            case 1 -> new String[] {"endpoint"};
            case 2 -> new String[] {"endpoint", "outcome"};
            case 4 -> new String[] {"endpoint", "model", "version", "slot"};
            default -> new String[] {"endpoint", "model", "version", "slot", "metric"};
        };
        Double v = registry.getSampleValue(name, labels.length == 0 ? new String[0] : names, labels);
        return v == null ? 0 : v;
    }

    @Override
    public void close() {
        monitoring.close();
        database.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        TestDatabases.drop(url);
    }
}
