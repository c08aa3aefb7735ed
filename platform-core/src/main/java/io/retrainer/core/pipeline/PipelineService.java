package io.retrainer.core.pipeline;

import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.PipelineRecord;
import io.retrainer.core.persistence.PipelineRevisionRecord;
import io.retrainer.core.persistence.RunRecord;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.hibernate.reactive.stage.Stage;

/**
 * Pipelines as code: saving a definition validates it against the loaded plugins and, if it
 * differs from the current one, stores it as the next revision. Revisions are kept verbatim for export.
 */
public final class PipelineService {
    private final Db db;
    private final PipelineValidator validator;
    private final List<Consumer<PipelineView>> listeners = new CopyOnWriteArrayList<>();

    /** A service over {@code db}, validating with {@code validator}. */
    public PipelineService(Db db, PipelineValidator validator) {
        this.db = db;
        this.validator = validator;
    }

    /** Calls {@code listener} with each newly saved revision. */
    public void onSaved(Consumer<PipelineView> listener) {
        listeners.add(listener);
    }

    /** Checks a document without saving; every problem with its path, empty when valid. */
    public List<String> check(String source, PipelineParser.Format format) {
        return validator.check(source, format).problems();
    }

    /**
     * The outcome of a save.
     *
     * @param pipeline the current revision after saving
     * @param newRevision whether this save stored a new revision (false when the document was unchanged)
     */
    public record Saved(PipelineView pipeline, boolean newRevision) {
    }

    /**
     * Validates and saves {@code source}.
     *
     * @return the saved (or unchanged current) revision; fails with {@link InvalidInputException} listing every problem
     */
    public Future<PipelineView> save(String source, PipelineParser.Format format) {
        return saveRevision(source, format).map(Saved::pipeline);
    }

    /** Like {@link #save}, also telling whether a new revision was stored. */
    public Future<Saved> saveRevision(String source, PipelineParser.Format format) {
        PipelineParser.Result result = validator.check(source, format);
        if (!result.ok()) {
            return Future.failedFuture(new InvalidInputException(result.problems()));
        }
        PipelineDefinition d = result.definition();
        return db.tx(s -> s.createSelectionQuery("from PipelineRecord where name = :n", PipelineRecord.class)
                        .setParameter("n", d.name())
                        .getSingleResultOrNull()
                        .thenCompose(existing -> existing == null ? create(s, d, source, format)
                                : revise(s, existing, d, source, format)))
                .onSuccess(saved -> {
                    if (saved.newRevision()) {
                        listeners.forEach(l -> l.accept(saved.pipeline()));
                    }
                });
    }

    private java.util.concurrent.CompletionStage<Saved> create(Stage.Session s, PipelineDefinition d, String source,
                                                                       PipelineParser.Format format) {
        PipelineRecord p = new PipelineRecord();
        p.name = d.name();
        p.currentRevision = 1;
        p.createdAt = Instant.now();
        p.updatedAt = p.createdAt;
        return s.persist(p).thenCompose(v -> s.flush()).thenCompose(v -> addRevision(s, p, d, source, format))
                .thenApply(v -> new Saved(v, true));
    }

    private java.util.concurrent.CompletionStage<Saved> revise(Stage.Session s, PipelineRecord p, PipelineDefinition d,
                                                                       String source, PipelineParser.Format format) {
        return revisionRecord(s, p.id, p.currentRevision).thenCompose(current -> {
            if (current != null && current.source.equals(source)) {
                return CompletableFuture.completedFuture(new Saved(view(p, current), false));
            }
            p.currentRevision = p.currentRevision + 1;
            p.updatedAt = Instant.now();
            return addRevision(s, p, d, source, format).thenApply(v -> new Saved(v, true));
        });
    }

    private java.util.concurrent.CompletionStage<PipelineView> addRevision(Stage.Session s, PipelineRecord p, PipelineDefinition d,
                                                                            String source, PipelineParser.Format format) {
        PipelineRevisionRecord r = new PipelineRevisionRecord();
        r.pipelineId = p.id;
        r.revision = p.currentRevision;
        r.source = source;
        r.sourceType = format.name().toLowerCase();
        r.createdAt = p.updatedAt;
        return s.persist(r).thenApply(v -> new PipelineView(p.name, r.revision, p.currentRevision, source, format, d, r.createdAt));
    }

    /** The current revision of {@code name}; fails with {@link NotFoundException}. */
    public Future<PipelineView> get(String name) {
        return db.tx(s -> pipeline(s, name).thenCompose(p -> revisionRecord(s, p.id, p.currentRevision)
                .thenApply(r -> view(p, r))));
    }

    /** Revision {@code revision} of {@code name}; fails with {@link NotFoundException}. */
    public Future<PipelineView> get(String name, int revision) {
        return db.tx(s -> pipeline(s, name).thenCompose(p -> revisionRecord(s, p.id, revision).thenApply(r -> {
            if (r == null) {
                throw new NotFoundException("pipeline " + name + " has no revision " + revision);
            }
            return view(p, r);
        })));
    }

    /** Every revision of {@code name}, newest first. */
    public Future<List<PipelineView>> revisions(String name) {
        return db.tx(s -> pipeline(s, name).thenCompose(p -> s.createSelectionQuery(
                        "from PipelineRevisionRecord where pipelineId = :id order by revision desc", PipelineRevisionRecord.class)
                .setParameter("id", p.id)
                .getResultList()
                .thenApply(list -> list.stream().map(r -> view(p, r)).toList())));
    }

    /** Every pipeline with its newest run. */
    public Future<List<PipelineSummary>> list() {
        return db.tx(s -> s.createSelectionQuery("from PipelineRecord order by name", PipelineRecord.class)
                .getResultList()
                .thenCompose(pipelines -> s.createSelectionQuery(
                                "from RunRecord r where r.id in (select max(x.id) from RunRecord x group by x.pipelineId)",
                                RunRecord.class)
                        .getResultList()
                        .thenApply(lastRuns -> {
                            Map<Long, RunRecord> byPipeline = lastRuns.stream()
                                    .collect(Collectors.toMap(r -> r.pipelineId, r -> r));
                            List<PipelineSummary> out = new ArrayList<>();
                            for (PipelineRecord p : pipelines) {
                                RunRecord last = byPipeline.get(p.id);
                                out.add(new PipelineSummary(p.name, p.currentRevision, p.updatedAt,
                                        last == null ? null : Runs.summary(last)));
                            }
                            return out;
                        })));
    }

    /** The current definition of every pipeline (for schedules and endpoints at start). */
    public Future<List<PipelineView>> currentDefinitions() {
        return db.tx(s -> s.createSelectionQuery("select r from PipelineRevisionRecord r, PipelineRecord p "
                        + "where r.pipelineId = p.id and r.revision = p.currentRevision", PipelineRevisionRecord.class)
                .getResultList()
                .thenApply(list -> {
                    List<PipelineView> out = new ArrayList<>();
                    for (PipelineRevisionRecord r : list) {
                        PipelineParser.Result parsed = PipelineParser.parse(r.source, format(r));
                        if (parsed.ok()) {
                            out.add(new PipelineView(parsed.definition().name(), r.revision, r.revision, r.source,
                                    format(r), parsed.definition(), r.createdAt));
                        }
                    }
                    return out;
                }));
    }

    static java.util.concurrent.CompletionStage<PipelineRecord> pipeline(Stage.Session s, String name) {
        return s.createSelectionQuery("from PipelineRecord where name = :n", PipelineRecord.class)
                .setParameter("n", name)
                .getSingleResultOrNull()
                .thenApply(p -> {
                    if (p == null) {
                        throw new NotFoundException("no pipeline called '" + name + "'");
                    }
                    return p;
                });
    }

    private static java.util.concurrent.CompletionStage<PipelineRevisionRecord> revisionRecord(Stage.Session s, long pipelineId,
                                                                                                int revision) {
        return s.createSelectionQuery("from PipelineRevisionRecord where pipelineId = :id and revision = :r",
                        PipelineRevisionRecord.class)
                .setParameter("id", pipelineId)
                .setParameter("r", revision)
                .getSingleResultOrNull();
    }

    private static PipelineView view(PipelineRecord p, PipelineRevisionRecord r) {
        PipelineParser.Result parsed = PipelineParser.parse(r.source, format(r));
        return new PipelineView(p.name, r.revision, p.currentRevision, r.source, format(r), parsed.definition(), r.createdAt);
    }

    private static PipelineParser.Format format(PipelineRevisionRecord r) {
        return "json".equals(r.sourceType) ? PipelineParser.Format.JSON : PipelineParser.Format.YAML;
    }
}
