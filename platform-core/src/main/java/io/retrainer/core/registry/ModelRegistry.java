package io.retrainer.core.registry;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.json.Json;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.ModelVersionRecord;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.plugins.PluginHost;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model versions: registration with metrics and lineage, lifecycle stages, and loading a
 * version's predictor from the verified artifact store.
 */
public final class ModelRegistry {
    private final Db db;
    private final ArtifactStore artifacts;
    private final PluginHost plugins;
    // Loaded predictors by artifact hash: the champion and the served model are the same object.
    private final Map<String, Predictor> loaded = new ConcurrentHashMap<>();
    private final List<java.util.function.Function<ModelVersionView, Future<?>>> productionListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A registry over {@code db}, storing artifacts in {@code artifacts}, loading through {@code plugins}. */
    public ModelRegistry(Db db, ArtifactStore artifacts, PluginHost plugins) {
        this.db = db;
        this.artifacts = artifacts;
        this.plugins = plugins;
    }

    /**
     * Stores the artifact and registers the next version of the model. Blocking (file write);
     * call from a worker thread.
     */
    public ModelVersionView register(Registration r) throws IOException {
        String sha = artifacts.put(r.artifact());
        ModelVersionRecord rec = new ModelVersionRecord();
        rec.modelName = r.model();
        rec.stage = r.stage().label();
        rec.stageReason = r.stageReason();
        rec.format = r.format();
        rec.artifactSha256 = sha;
        rec.artifactSize = r.artifact().length;
        rec.metrics = Json.write(r.metrics());
        rec.lineage = Json.write(r.lineage());
        rec.inputSchema = Json.write(SchemaJson.toMap(r.inputSchema()));
        rec.trainingSchema = Json.write(SchemaJson.toMap(r.trainingSchema()));
        rec.runId = r.runId();
        rec.pipelineName = r.pipeline();
        rec.createdAt = Instant.now();
        return Db.await(db.tx(s -> s.createSelectionQuery(
                        "select coalesce(max(version), 0) from ModelVersionRecord where modelName = :m", Integer.class)
                .setParameter("m", r.model())
                .getSingleResult()
                .thenCompose(max -> {
                    rec.version = max + 1;
                    return s.persist(rec);
                })
                .thenApply(v -> view(rec))));
    }

    /**
     * Sets a version's stage. Making one production archives the version that was.
     *
     * @throws NotFoundException (in the future) if there is no such version
     */
    public Future<ModelVersionView> setStage(String model, int version, ModelStage stage, String reason) {
        return db.tx(s -> find(s, model, version).thenCompose(rec -> {
            CompletionStage<Integer> archived = CompletableFuture.completedFuture(0);
            if (stage == ModelStage.PRODUCTION) {
                archived = s.createMutationQuery("update ModelVersionRecord set stage = :archived, stageReason = :why "
                                + "where modelName = :m and stage = :production and version <> :v")
                        .setParameter("archived", ModelStage.ARCHIVED.label())
                        .setParameter("why", "replaced by v" + version)
                        .setParameter("m", model)
                        .setParameter("production", ModelStage.PRODUCTION.label())
                        .setParameter("v", version)
                        .executeUpdate();
            }
            return archived.thenApply(n -> {
                rec.stage = stage.label();
                rec.stageReason = reason;
                return view(rec);
            });
        })).compose(v -> {
            if (stage != ModelStage.PRODUCTION || productionListeners.isEmpty()) {
                return Future.succeededFuture(v);
            }
            List<Future<?>> done = new ArrayList<>();
            productionListeners.forEach(l -> done.add(l.apply(v)));
            return Future.join(done).map(x -> v).otherwise(v);
        });
    }

    /** The host service deployers use to read artifacts and metadata. */
    public io.retrainer.api.ArtifactSource artifactSource() {
        return new RegistryArtifactSource(this, artifacts);
    }

    /**
     * Calls {@code listener} after a version became production; {@link #setStage} completes only
     * once the listener's future has (so the champion alias has moved when a promotion answers).
     */
    public void onProduction(java.util.function.Function<ModelVersionView, Future<?>> listener) {
        productionListeners.add(listener);
    }

    /** The production version of {@code model}, if any. */
    public Future<Optional<ModelVersionView>> production(String model) {
        return db.tx(s -> s.createSelectionQuery("from ModelVersionRecord where modelName = :m and stage = :p",
                        ModelVersionRecord.class)
                .setParameter("m", model)
                .setParameter("p", ModelStage.PRODUCTION.label())
                .getResultList()
                .thenApply(list -> list.stream().findFirst().map(ModelRegistry::view)));
    }

    /** One version. */
    public Future<ModelVersionView> version(String model, int version) {
        return db.tx(s -> find(s, model, version).thenApply(ModelRegistry::view));
    }

    /** Every version of {@code model}, newest first. */
    public Future<List<ModelVersionView>> versions(String model) {
        return db.tx(s -> s.createSelectionQuery("from ModelVersionRecord where modelName = :m order by version desc",
                        ModelVersionRecord.class)
                .setParameter("m", model)
                .getResultList()
                .thenApply(list -> list.stream().map(ModelRegistry::view).toList()));
    }

    /** Every model, by name. */
    public Future<List<ModelSummary>> models() {
        return db.tx(s -> s.createSelectionQuery("from ModelVersionRecord order by modelName, version",
                        ModelVersionRecord.class)
                .getResultList()
                .thenApply(ModelRegistry::summarise));
    }

    /**
     * The predictor of a version: its artifact read and verified, loaded by the format's
     * {@link ModelLoader}. Blocking; call from a worker thread.
     *
     * @throws Exception when the artifact is missing or corrupt, or no loader reads its format
     */
    public Predictor loadPredictor(ModelVersionView v) throws Exception {
        Predictor cached = loaded.get(v.artifactSha256());
        if (cached != null) {
            return cached;
        }
        LoadedExtension<ModelLoader> loader = plugins.loaderFor(v.format()).orElseThrow(() -> new IllegalStateException(
                "no model loader for format '" + v.format() + "' is loaded (needed by " + v.model() + " v" + v.version() + ")"));
        byte[] bytes = artifacts.get(v.artifactSha256());
        Predictor p = loader.call(() -> loader.extension().load(bytes));
        loaded.put(v.artifactSha256(), p);
        return p;
    }

    private static CompletionStage<ModelVersionRecord> find(org.hibernate.reactive.stage.Stage.Session s, String model, int version) {
        return s.createSelectionQuery("from ModelVersionRecord where modelName = :m and version = :v", ModelVersionRecord.class)
                .setParameter("m", model)
                .setParameter("v", version)
                .getSingleResultOrNull()
                .thenApply(rec -> {
                    if (rec == null) {
                        throw new NotFoundException("model " + model + " has no version " + version);
                    }
                    return rec;
                });
    }

    private static List<ModelSummary> summarise(List<ModelVersionRecord> all) {
        Map<String, List<ModelVersionRecord>> byName = new LinkedHashMap<>();
        for (ModelVersionRecord r : all) {
            byName.computeIfAbsent(r.modelName, k -> new ArrayList<>()).add(r);
        }
        List<ModelSummary> out = new ArrayList<>();
        byName.forEach((name, list) -> {
            ModelVersionRecord latest = list.get(list.size() - 1);
            Integer production = list.stream().filter(r -> ModelStage.PRODUCTION.label().equals(r.stage))
                    .map(r -> r.version).findFirst().orElse(null);
            out.add(new ModelSummary(name, list.size(), latest.version, production, latest.createdAt));
        });
        return out;
    }

    static ModelVersionView view(ModelVersionRecord r) {
        return new ModelVersionView(r.modelName, r.version, ModelStage.of(r.stage), r.stageReason, r.format,
                r.artifactSha256, r.artifactSize, Json.readMap(r.metrics), Json.readMap(r.lineage),
                SchemaJson.fromMap(Json.readMap(r.inputSchema)), SchemaJson.fromMap(Json.readMap(r.trainingSchema)),
                r.runId, r.pipelineName, r.createdAt);
    }
}
