package io.retrainer.core.monitoring;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import io.retrainer.core.json.Json;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.PredictionListener;
import io.retrainer.core.serving.ServedBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction log: records every sampled prediction (live and shadow) without slowing serving.
 * {@link #onBatch} runs on the serving thread and only offers rows to a bounded queue; when the
 * queue is full the row is dropped and counted ({@code retrainer_prediction_log_dropped_total}),
 * never waited for. One writer thread drains the queue in batches (up to {@link #BATCH_ROWS} rows,
 * or whatever arrived within {@link #MAX_DELAY_MS} ms), turns rows into JSON there rather than on
 * the event loop, and inserts them with one batched statement through a stateless session.
 *
 * <p>Sampling is per endpoint and decided by the prediction id, not a coin: a live prediction and
 * its shadow twin are both logged or both skipped, so shadow comparisons stay paired.
 */
public final class PredictionLog implements PredictionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionLog.class);
    /** Most rows in one insert batch. */
    public static final int BATCH_ROWS = 1000;
    /** Longest a row waits for its batch to fill before it is written anyway. */
    public static final long MAX_DELAY_MS = 200;
    private static final long IDLE_POLL_MS = 50;

    private final Db db;
    private final MonitoringMetrics metrics;
    private final ArrayBlockingQueue<Pending> queue;
    private final Map<String, Double> sampleRates = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Map<ServedGroup, Instant> groups = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** One row waiting to be written: the batch it came in and its position, converted only by the writer. */
    private record Pending(ServedBatch batch, int row) {
    }

    private record Waiter(long target, Promise<Void> promise) {
    }

    /**
     * A log writing to {@code db}, with a queue of {@code capacity} rows. Loads the stored sampling
     * rates (blocking) and starts the writer thread.
     */
    public PredictionLog(Db db, MonitoringMetrics metrics, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("prediction log capacity must be at least 1, got " + capacity);
        }
        this.db = db;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (SampleRateRecord r : Db.await(db.tx(s -> s.createSelectionQuery("from SampleRateRecord", SampleRateRecord.class)
                .getResultList()))) {
            sampleRates.put(r.endpoint, r.sampleRate);
        }
        this.writer = new Thread(this::drainLoop, "retrainer-prediction-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void onBatch(ServedBatch batch) {
        if (!running) {
            return;
        }
        sawGroup(new ServedGroup(batch.endpoint(), batch.model().ref().model(), batch.model().ref().version(), batch.slot(),
                batch.shadow()), batch.at());
        double rate = sampleRate(batch.endpoint());
        int dropped = 0;
        for (int i = 0; i < batch.ids().size(); i++) {
            if (rate < 1.0 && !sampled(batch.ids().get(i), rate)) {
                continue;
            }
            if (queue.offer(new Pending(batch, i))) {
                accepted.incrementAndGet();
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            droppedTotal.addAndGet(dropped);
            metrics.dropped.labels(batch.endpoint()).inc(dropped);
        }
    }

    /**
     * Whether the prediction with {@code id} is logged at {@code rate}: a fixed function of the id
     * (its random bits as a fraction in [0, 1)), so the live and shadow rows of a request agree.
     */
    static boolean sampled(String id, double rate) {
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        long bits;
        try {
            bits = UUID.fromString(id).getLeastSignificantBits();
        } catch (IllegalArgumentException e) {
            bits = id.hashCode() * 0x9E3779B97F4A7C15L;
        }
        // The top two bits of a random UUID's low half are its variant (always 10): skip them.
        return ((bits << 2) >>> 11) * 0x1.0p-53 < rate;
    }

    /** The fraction of {@code endpoint}'s predictions that are logged (1.0 unless set). */
    public double sampleRate(String endpoint) {
        return sampleRates.getOrDefault(endpoint, 1.0);
    }

    /** Stores and applies {@code endpoint}'s sampling rate, a fraction in [0, 1]. */
    public Future<Double> setSampleRate(String endpoint, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            return Future.failedFuture(new IllegalArgumentException("sample_rate must be between 0 and 1, got " + rate));
        }
        return db.tx(s -> s.find(SampleRateRecord.class, endpoint).thenCompose(existing -> {
            SampleRateRecord r = existing != null ? existing : new SampleRateRecord();
            r.endpoint = endpoint;
            r.sampleRate = rate;
            r.updatedAt = Instant.now();
            return existing != null ? java.util.concurrent.CompletableFuture.completedFuture(rate)
                    : s.persist(r).thenApply(v -> rate);
        })).onSuccess(v -> sampleRates.put(endpoint, rate));
    }

    /** Every endpoint, version, slot and shadow flag that answered since start, with when it last did. */
    public Map<ServedGroup, Instant> servedGroups() {
        return java.util.Collections.unmodifiableMap(groups);
    }

    /** Records that {@code group} answered at {@code at} (for groups known only from the database after a restart). */
    void sawGroup(ServedGroup group, Instant at) {
        groups.merge(group, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Forgets groups that last answered before {@code cutoff}. */
    void forgetGroupsBefore(Instant cutoff) {
        groups.values().removeIf(at -> at.isBefore(cutoff));
    }

    /** Rows accepted into the queue since start. */
    public long accepted() {
        return accepted.get();
    }

    /** Rows dropped because the queue was full since start. */
    public long dropped() {
        return droppedTotal.get();
    }

    /** Rows accepted but not yet written (or failed). */
    public long pending() {
        return accepted.get() - processed.get();
    }

    /**
     * Completes once every row accepted before this call has been written (or has failed to be):
     * feedback uses it so a prediction still in the queue is not reported unknown.
     */
    public Future<Void> flush() {
        long target = accepted.get();
        if (processed.get() >= target) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        waiters.add(new Waiter(target, p));
        // The writer may have finished between the check and the add: re-check so no waiter is stranded.
        completeWaiters();
        return p.future();
    }

    private void completeWaiters() {
        long done = processed.get();
        waiters.removeIf(w -> {
            if (w.target() <= done) {
                w.promise().tryComplete();
                return true;
            }
            return false;
        });
    }

    private void drainLoop() {
        List<Pending> batch = new ArrayList<>(BATCH_ROWS);
        while (running || !queue.isEmpty()) {
            try {
                metrics.queueDepth.set(queue.size());
                Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    completeWaiters();
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MS);
                while (batch.size() < BATCH_ROWS) {
                    if (queue.drainTo(batch, BATCH_ROWS - batch.size()) > 0) {
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    // Someone waits for these rows (feedback) or we are stopping: write what we have now.
                    if (left <= 0 || !waiters.isEmpty() || !running) {
                        break;
                    }
                    Pending next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                write(batch);
            } catch (InterruptedException e) {
                // Nobody interrupts this thread (close() lets it drain); stop if someone does.
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("prediction log writer: {}", e.toString(), e);
            } finally {
                if (!batch.isEmpty()) {
                    processed.addAndGet(batch.size());
                    batch.clear();
                }
                completeWaiters();
            }
        }
        metrics.queueDepth.set(0);
    }

    private void write(List<Pending> batch) {
        List<PredictionRecord> records = new ArrayList<>(batch.size());
        Map<String, Integer> perEndpoint = new HashMap<>();
        for (Pending p : batch) {
            records.add(record(p.batch(), p.row()));
            perEndpoint.merge(p.batch().endpoint(), 1, Integer::sum);
        }
        try {
            Db.await(db.stateless(s -> s.insert(records.size(), records.toArray())));
            perEndpoint.forEach((e, n) -> metrics.written.labels(e).inc(n));
        } catch (RuntimeException e) {
            perEndpoint.forEach((ep, n) -> metrics.writeFailed.labels(ep).inc(n));
            LOG.warn("prediction log: a batch of {} predictions could not be written: {}", records.size(), e.getMessage());
        }
    }

    /** The row as stored: inputs and output as JSON, the values quality queries aggregate as columns. */
    static PredictionRecord record(ServedBatch b, int row) {
        PredictionRecord r = new PredictionRecord();
        UUID requestId = parseId(b.ids().get(row));
        r.requestId = requestId;
        r.id = b.shadow() ? UUID.randomUUID() : requestId;
        r.endpoint = b.endpoint();
        r.modelName = b.model().ref().model();
        r.modelVersion = b.model().ref().version();
        r.slot = b.slot();
        r.shadow = b.shadow();
        r.inputs = Json.write(inputs(b.inputs(), row));
        Prediction p = b.outputs().get(row);
        r.output = Json.write(output(p));
        r.predictedLabel = p.label();
        r.predictedValue = Double.isFinite(p.value()) ? p.value() : null;
        if (p.label() != null && p.probabilities().size() == 2) {
            String positive = new TreeSet<>(p.probabilities().keySet()).last();
            r.positiveClass = positive;
            Double score = p.probabilities().get(positive);
            r.positiveScore = score != null && Double.isFinite(score) ? score : null;
        }
        r.createdAt = b.at();
        return r;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            // Ids come from InferenceService as random UUIDs; anything else still gets a stable id.
            return UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static Map<String, Object> inputs(Dataset d, int row) {
        Schema schema = d.schema();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < schema.columns().size(); c++) {
            m.put(schema.columns().get(c).name(), d.value(c, row));
        }
        return m;
    }

    private static Map<String, Object> output(Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.label() != null) {
            m.put("label", p.label());
        }
        m.put("value", Double.isFinite(p.value()) ? p.value() : null);
        if (!p.probabilities().isEmpty()) {
            m.put("probabilities", new java.util.TreeMap<>(p.probabilities()));
        }
        return m;
    }

    /** Stops taking rows and writes what is queued (waiting up to 10 s), then stops the writer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("prediction log: {} predictions still queued at shutdown were not written", queue.size());
        }
        waiters.forEach(w -> w.promise().tryFail("prediction log closed"));
    }
}
