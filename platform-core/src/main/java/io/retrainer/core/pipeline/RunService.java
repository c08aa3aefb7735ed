package io.retrainer.core.pipeline;

import io.retrainer.core.ConflictException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.json.Json;
import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.PipelineRevisionRecord;
import io.retrainer.core.persistence.RunRecord;
import io.retrainer.core.persistence.StageRunRecord;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Runs as records: queueing (a run is a row before anything executes), reading, cancelling,
 * and the stage updates the executor writes as a run goes.
 */
public final class RunService {
    private final Db db;
    private final PlatformMetrics metrics;
    private final List<Runnable> queuedListeners = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> cancelListeners = new CopyOnWriteArrayList<>();
    private volatile io.retrainer.core.notify.Notifier notifier = io.retrainer.core.notify.Notifier.NONE;

    /** A service over {@code db}. */
    public RunService(Db db, PlatformMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
    }

    /** Sends run events (started, succeeded, failed, cancelled) to {@code n}. */
    public void notifyTo(io.retrainer.core.notify.Notifier n) {
        this.notifier = n;
    }

    /** Where run events go. */
    io.retrainer.core.notify.Notifier notifier() {
        return notifier;
    }

    /** Calls {@code listener} whenever a run is queued (the executor wakes up). */
    public void onQueued(Runnable listener) {
        queuedListeners.add(listener);
    }

    /** Calls {@code listener} with the id of a running run that an operator cancelled. */
    public void onCancel(LongConsumer listener) {
        cancelListeners.add(listener);
    }

    /**
     * Queues a run of the current revision of {@code pipeline}.
     *
     * @param trigger manual, schedule or api
     * @param reason why, in words a person understands
     * @return the run id; fails with {@link NotFoundException} for an unknown pipeline
     */
    public Future<Long> trigger(String pipeline, String trigger, String reason) {
        return db.tx(s -> PipelineService.pipeline(s, pipeline).thenCompose(p -> s.createSelectionQuery(
                                "from PipelineRevisionRecord where pipelineId = :id and revision = :r", PipelineRevisionRecord.class)
                        .setParameter("id", p.id)
                        .setParameter("r", p.currentRevision)
                        .getSingleResult()
                        .thenCompose(rev -> {
                            PipelineParser.Result parsed = PipelineParser.parse(rev.source,
                                    "json".equals(rev.sourceType) ? PipelineParser.Format.JSON : PipelineParser.Format.YAML);
                            RunRecord r = new RunRecord();
                            r.pipelineId = p.id;
                            r.pipelineName = p.name;
                            r.revision = p.currentRevision;
                            r.status = RunStatus.QUEUED.label();
                            r.triggerType = trigger;
                            r.triggerReason = reason;
                            r.seed = parsed.ok() ? parsed.definition().seed() : 42;
                            r.createdAt = Instant.now();
                            return s.persist(r).thenApply(v -> r);
                        })))
                .map(r -> {
                    metrics.triggered(pipeline, trigger);
                    queuedListeners.forEach(Runnable::run);
                    return r.id;
                });
    }

    /** A run with its stages; fails with {@link NotFoundException}. */
    public Future<RunView> get(long id) {
        return db.tx(s -> s.find(RunRecord.class, id).thenCompose(r -> {
            if (r == null) {
                throw new NotFoundException("no run with id " + id);
            }
            return s.createSelectionQuery("from StageRunRecord where runId = :id order by position", StageRunRecord.class)
                    .setParameter("id", id)
                    .getResultList()
                    .thenApply(stages -> new RunView(Runs.summary(r), stages.stream().map(Runs::stage).toList()));
        }));
    }

    /** The newest runs, of one pipeline or ({@code null}) of all. */
    public Future<List<RunSummary>> list(String pipeline, int limit) {
        return db.tx(s -> {
            var q = pipeline == null
                    ? s.createSelectionQuery("from RunRecord order by id desc", RunRecord.class)
                    : s.createSelectionQuery("from RunRecord where pipelineName = :p order by id desc", RunRecord.class)
                            .setParameter("p", pipeline);
            return q.setMaxResults(limit).getResultList().thenApply(list -> list.stream().map(Runs::summary).toList());
        });
    }

    /**
     * Cancels a run: a queued one at once, a running one at its next stage boundary or when its
     * plugin next checks {@code isCancelled()}. Fails with {@link ConflictException} if it has ended.
     */
    public Future<RunSummary> cancel(long id) {
        return db.tx(s -> s.find(RunRecord.class, id).thenApply(r -> {
            if (r == null) {
                throw new NotFoundException("no run with id " + id);
            }
            RunStatus status = RunStatus.valueOf(r.status.toUpperCase());
            if (status.isFinal()) {
                throw new ConflictException("run " + id + " has already " + r.status);
            }
            r.cancelRequested = true;
            if (status == RunStatus.QUEUED) {
                r.status = RunStatus.CANCELLED.label();
                r.error = "cancelled before it started";
                r.finishedAt = Instant.now();
            }
            return r;
        })).map(r -> {
            if (RunStatus.RUNNING.label().equals(r.status)) {
                cancelListeners.forEach(l -> l.accept(id));
            } else {
                metrics.runFinished(r.pipelineName, r.status);
                notifier.publish(io.retrainer.core.notify.Event.ofRun("run.cancelled", r.pipelineName, r.id, io.retrainer.core.notify.Event.details("trigger", r.triggerType, "reason", r.triggerReason, "error", r.error)));
            }
            return Runs.summary(r);
        });
    }

    /** Marks runs left running by a crash as failed ("interrupted"); returns how many. */
    public Future<Integer> failInterrupted() {
        Instant now = Instant.now();
        return db.tx(s -> s.createMutationQuery("update StageRunRecord set status = 'failed', error = 'interrupted', finishedAt = :now "
                                + "where status = 'running'")
                .setParameter("now", now)
                .executeUpdate()
                .thenCompose(n -> s.createMutationQuery("update StageRunRecord set status = 'skipped' where status = 'pending' "
                                + "and runId in (select id from RunRecord where status = 'running')")
                        .executeUpdate())
                .thenCompose(n -> s.createMutationQuery("update RunRecord set status = 'failed', error = 'interrupted', "
                                + "finishedAt = :now where status = 'running'")
                        .setParameter("now", now)
                        .executeUpdate()));
    }

    // ---- used by the executor -------------------------------------------------------------

    /**
     * Claims the oldest queued run whose pipeline has nothing running, marking it running.
     * {@code SKIP LOCKED} lets several nodes claim from one queue without taking the same run.
     */
    Future<Optional<RunRecord>> claimNext() {
        return db.tx(s -> s.createNativeQuery("select r.id from run r where r.status = 'queued' and not exists "
                                + "(select 1 from run x where x.pipeline_id = r.pipeline_id and x.status = 'running') "
                                + "order by r.id limit 1 for update skip locked", Long.class)
                .getResultList()
                .thenCompose(ids -> {
                    if (ids.isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<RunRecord>empty());
                    }
                    return s.find(RunRecord.class, ids.get(0)).thenApply(r -> {
                        r.status = RunStatus.RUNNING.label();
                        r.startedAt = Instant.now();
                        return Optional.of(r);
                    });
                }));
    }

    Future<PipelineView> revisionOf(RunRecord run) {
        return db.tx(s -> s.createSelectionQuery("from PipelineRevisionRecord where pipelineId = :id and revision = :r",
                        PipelineRevisionRecord.class)
                .setParameter("id", run.pipelineId)
                .setParameter("r", run.revision)
                .getSingleResult()
                .thenApply(rev -> {
                    PipelineParser.Format f = "json".equals(rev.sourceType) ? PipelineParser.Format.JSON : PipelineParser.Format.YAML;
                    PipelineParser.Result parsed = PipelineParser.parse(rev.source, f);
                    if (!parsed.ok()) {
                        throw new IllegalStateException("revision " + run.revision + " of " + run.pipelineName
                                + " no longer parses: " + String.join("; ", parsed.problems()));
                    }
                    return new PipelineView(run.pipelineName, rev.revision, rev.revision, rev.source, f, parsed.definition(),
                            rev.createdAt);
                }));
    }

    Future<Void> createStages(long runId, List<String[]> namesAndPlugins) {
        return db.tx(s -> {
            java.util.concurrent.CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < namesAndPlugins.size(); i++) {
                StageRunRecord st = new StageRunRecord();
                st.runId = runId;
                st.position = i;
                st.name = namesAndPlugins.get(i)[0];
                st.plugin = namesAndPlugins.get(i)[1];
                st.status = "pending";
                st.log = "";
                chain = chain.thenCompose(v -> s.persist(st));
            }
            return chain;
        });
    }

    Future<Void> stageStarted(long runId, int position) {
        return db.tx(s -> s.createMutationQuery("update StageRunRecord set status = 'running', startedAt = :now "
                        + "where runId = :run and position = :pos")
                .setParameter("now", Instant.now()).setParameter("run", runId).setParameter("pos", position)
                .executeUpdate().thenApply(n -> null));
    }

    Future<Void> stageProgress(long runId, int position, String logChunk, double progress, String message) {
        return db.tx(s -> s.createMutationQuery("update StageRunRecord set log = concat(log, :chunk), progress = :p, "
                        + "progressMessage = :m where runId = :run and position = :pos")
                .setParameter("chunk", logChunk).setParameter("p", progress).setParameter("m", message)
                .setParameter("run", runId).setParameter("pos", position)
                .executeUpdate().thenApply(n -> null));
    }

    Future<Void> stageFinished(long runId, int position, String status, String logChunk, Map<String, Object> stageMetrics,
                               String error) {
        return db.tx(s -> s.createMutationQuery("update StageRunRecord set status = :st, finishedAt = :now, "
                        + "log = concat(log, :chunk), metrics = :metrics, error = :err, "
                        + "progress = case when :st = 'succeeded' then 1.0 else progress end "
                        + "where runId = :run and position = :pos")
                .setParameter("st", status).setParameter("now", Instant.now()).setParameter("chunk", logChunk)
                .setParameter("metrics", stageMetrics == null ? null : Json.write(stageMetrics)).setParameter("err", error)
                .setParameter("run", runId).setParameter("pos", position)
                .executeUpdate().thenApply(n -> null));
    }

    Future<Void> skipRemaining(long runId, int fromPosition, String status) {
        return db.tx(s -> s.createMutationQuery("update StageRunRecord set status = :st where runId = :run "
                        + "and position >= :pos and status = 'pending'")
                .setParameter("st", status).setParameter("run", runId).setParameter("pos", fromPosition)
                .executeUpdate().thenApply(n -> null));
    }

    Future<Void> recordVerdict(long runId, String verdict, String reason) {
        return db.tx(s -> s.find(RunRecord.class, runId).thenApply(r -> {
            r.verdict = verdict;
            r.verdictReason = reason;
            return null;
        }));
    }

    Future<Void> recordModel(long runId, String model, int version) {
        return db.tx(s -> s.find(RunRecord.class, runId).thenApply(r -> {
            r.modelName = model;
            r.modelVersion = version;
            return null;
        }));
    }

    Future<Void> finish(long runId, RunStatus status, String error) {
        return db.tx(s -> s.find(RunRecord.class, runId).thenApply(r -> {
            r.status = status.label();
            r.error = error;
            r.finishedAt = Instant.now();
            // Counted before the commit so a client that sees the run ended also sees it counted.
            metrics.runFinished(r.pipelineName, r.status);
            return null;
        }));
    }
}
