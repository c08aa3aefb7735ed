package io.retrainer.core.serving;

import io.retrainer.api.ModelRef;
import io.retrainer.api.ServingRuntime;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.DeploymentEventRecord;
import io.retrainer.core.persistence.DeploymentRecord;
import io.retrainer.core.registry.ModelRegistry;
import io.retrainer.core.registry.ModelVersionView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's serving runtime: endpoint name to its traffic picture ({@link EndpointRouting}):
 * a stable version in one slot, optionally a canary in the other slot with a share of traffic,
 * and optionally a shadow receiving mirrored requests. A change replaces the picture atomically,
 * so a request sees either the old state or the new one, never a mix. The stable version is
 * stored, and restored at start so the served model survives a restart; a rollout in flight at a
 * crash is not resumed (its run is marked interrupted and the stable version serves).
 */
public final class ServingService implements ServingRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);
    private static final Pattern ENDPOINT = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Db db;
    private final ModelRegistry registry;
    private final Map<String, EndpointRouting> routes = new ConcurrentHashMap<>();
    private final Map<String, SlotStats> stats = new ConcurrentHashMap<>();
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private final List<PredictionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A runtime that loads models from {@code registry} and records deployments in {@code db}. */
    public ServingService(Db db, ModelRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    /** Stores what serves at {@code endpoint} and appends the change to its history. Blocking. */
    private void record(String endpoint, ModelRef model, String action, String message, ModelVersionView v) {
        Instant now = Instant.now();
        Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenCompose(existing -> {
            DeploymentRecord d = existing != null ? existing : new DeploymentRecord();
            d.endpoint = endpoint;
            d.modelName = model.model();
            d.modelVersion = model.version();
            d.deployer = "local-serving";
            d.pipelineName = v.pipeline();
            d.updatedAt = now;
            String plan = pendingPlans.remove(endpoint);
            if (plan != null) {
                d.rolloutPlan = plan;
            }
            return (existing != null ? CompletableFuture.completedFuture((Void) null) : s.persist(d))
                    .thenCompose(x -> event(s, endpoint, model, action, message, now));
        })));
    }

    /** Appends an event to the endpoint's history without changing what serves (rollout steps, rollbacks). Blocking. */
    public void recordEvent(String endpoint, ModelRef model, String action, String message) {
        Db.await(db.tx(s -> event(s, endpoint, model, action, message, Instant.now())));
    }

    private static java.util.concurrent.CompletionStage<Void> event(org.hibernate.reactive.stage.Stage.Session s, String endpoint,
                                                                   ModelRef model, String action, String message, Instant at) {
        DeploymentEventRecord e = new DeploymentEventRecord();
        e.endpoint = endpoint;
        e.modelName = model.model();
        e.modelVersion = model.version();
        e.action = action;
        e.message = message;
        e.at = at;
        return s.persist(e);
    }

    /** Makes {@code endpoint} known (a pipeline deploys there), so requests get 503 rather than 404 until a model is live. */
    public void declare(String endpoint) {
        declared.add(endpoint);
    }

    /** Activates {@code model} at {@code endpoint}. Blocking: call from a worker thread. */
    @Override
    public void activate(String endpoint, ModelRef model) throws Exception {
        activate(endpoint, model, "activate", "now serving " + model);
    }

    /** Activates and records the change with {@code action} (activate, promote, rollback). Blocking. */
    public void activate(String endpoint, ModelRef model, String action, String message) throws Exception {
        if (!ENDPOINT.matcher(endpoint).matches()) {
            throw new IllegalArgumentException("endpoint name '" + endpoint + "' must match " + ENDPOINT.pattern());
        }
        ModelVersionView v = Db.await(registry.version(model.model(), model.version()));
        ServedModel next = new ServedModel(v.ref(), registry.loadPredictor(v), Instant.now());
        record(endpoint, model, action, message, v);
        declared.add(endpoint);
        routes.compute(endpoint, (e, r) -> {
            EndpointRouting current = r == null ? EndpointRouting.empty() : r;
            String slot = current.idleSlot();
            stats.put(statsKey(endpoint, slot), new SlotStats());
            return current.withStable(next, slot);
        });
        LOG.info("endpoint {} now serves {} v{}", endpoint, model.model(), model.version());
    }

    /** Loads a version for serving without making it live (the first step of a rollout). Blocking. */
    public ServedModel load(ModelRef model) throws Exception {
        ModelVersionView v = Db.await(registry.version(model.model(), model.version()));
        return new ServedModel(v.ref(), registry.loadPredictor(v), Instant.now());
    }

    /** Puts {@code model} in the idle slot of {@code endpoint} with {@code percent} of traffic; returns the slot. */
    public String startCanary(String endpoint, ServedModel model, int percent) {
        EndpointRouting r = routes.get(endpoint);
        if (r == null || r.stable() == null) {
            throw new IllegalStateException("endpoint '" + endpoint + "' has no stable version to roll out against");
        }
        String slot = r.idleSlot();
        stats.put(statsKey(endpoint, slot), new SlotStats());
        stats.put(statsKey(endpoint, r.stableSlot()), new SlotStats());
        routes.put(endpoint, r.withCanary(model, percent).withShadow(null, 0));
        return slot;
    }

    /** Mirrors {@code fraction} of the endpoint's requests to {@code model} (in the idle slot); returns the slot. */
    public String startShadow(String endpoint, ServedModel model, double fraction) {
        EndpointRouting r = routes.get(endpoint);
        if (r == null || r.stable() == null) {
            throw new IllegalStateException("endpoint '" + endpoint + "' has no stable version to shadow");
        }
        stats.put(statsKey(endpoint, r.idleSlot()), new SlotStats());
        routes.put(endpoint, r.withShadow(model, fraction));
        return r.idleSlot();
    }

    /** Sets the canary's share of traffic; resets both slots' statistics for the next gate. */
    public void setCanaryPercent(String endpoint, int percent) {
        routes.computeIfPresent(endpoint, (e, r) -> {
            stats.put(statsKey(endpoint, r.stableSlot()), new SlotStats());
            stats.put(statsKey(endpoint, r.idleSlot()), new SlotStats());
            return r.withCanary(r.canary(), percent);
        });
    }

    /** Removes the canary and shadow: all traffic back to the stable version (a rollback). */
    public void dropCanary(String endpoint) {
        routes.computeIfPresent(endpoint, (e, r) -> r.withCanary(null, 0).withShadow(null, 0));
    }

    /** The canary becomes the stable version (recorded, so it survives a restart). Blocking. */
    public void promoteCanary(String endpoint, String message) {
        EndpointRouting r = routes.get(endpoint);
        if (r == null || r.canary() == null) {
            throw new IllegalStateException("endpoint '" + endpoint + "' has no canary to promote");
        }
        ServedModel canary = r.canary();
        record(endpoint, canary.ref(), "promote", message, Db.await(registry.version(canary.ref().model(), canary.ref().version())));
        routes.put(endpoint, r.withStable(canary, r.idleSlot()));
    }

    /** The traffic picture of {@code endpoint}, if it has one. */
    public Optional<EndpointRouting> routing(String endpoint) {
        return Optional.ofNullable(routes.get(endpoint));
    }

    /** Request statistics of a slot since its last reset. */
    public SlotStats stats(String endpoint, String slot) {
        return stats.computeIfAbsent(statsKey(endpoint, slot), k -> new SlotStats());
    }

    /**
     * Picks the model for one request: the canary for its share of traffic, the stable version
     * otherwise. With a {@code requestKey} the choice is sticky (the same key always lands in the
     * same slot at a given share); without one it is random.
     *
     * @return the route, or empty if no model is live at {@code endpoint}
     */
    public Optional<Routed> route(String endpoint, String requestKey) {
        EndpointRouting r = routes.get(endpoint);
        if (r == null || r.stable() == null) {
            return Optional.empty();
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        ServedModel model = r.stable();
        String slot = r.stableSlot();
        if (r.canary() != null && r.canaryPercent() > 0) {
            int bucket = requestKey == null ? random.nextInt(100) : Math.floorMod(requestKey.hashCode() * 0x9E3779B1, 100);
            if (bucket < r.canaryPercent()) {
                model = r.canary();
                slot = r.idleSlot();
            }
        }
        boolean mirror = r.shadow() != null && random.nextDouble() < r.shadowFraction();
        return Optional.of(new Routed(endpoint, model, slot, mirror ? r.shadow() : null, mirror ? r.idleSlot() : null));
    }

    /** Adds a listener that sees every answered request. */
    public void addListener(PredictionListener listener) {
        listeners.add(listener);
    }

    /** Tells the listeners about an answered request. Never throws: a failing listener is logged and skipped. */
    public void published(ServedBatch batch) {
        for (PredictionListener l : listeners) {
            try {
                l.onBatch(batch);
            } catch (RuntimeException e) {
                LOG.warn("prediction listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static String statsKey(String endpoint, String slot) {
        return endpoint + "/" + slot;
    }

    private volatile RolloutController rollouts;

    /** Hands rollouts to {@code controller} (wired by the platform). */
    public void useRollouts(RolloutController controller) {
        this.rollouts = controller;
    }

    @Override
    public io.retrainer.api.RolloutOutcome rollout(String endpoint, ModelRef model, io.retrainer.api.RolloutPlan plan,
                                                   java.util.function.BiConsumer<Double, String> progress,
                                                   java.util.function.BooleanSupplier cancelled) throws Exception {
        rememberPlan(endpoint, plan);
        if (rollouts == null) {
            return ServingRuntime.super.rollout(endpoint, model, plan, progress, cancelled);
        }
        return rollouts.rollout(endpoint, model, plan, progress, cancelled);
    }

    private void rememberPlan(String endpoint, io.retrainer.api.RolloutPlan plan) {
        String json = RolloutPlans.toJson(plan);
        Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenApply(d -> {
            if (d != null) {
                d.rolloutPlan = json;
            } else {
                pendingPlans.put(endpoint, json);
            }
            return null;
        })));
    }

    private final Map<String, String> pendingPlans = new ConcurrentHashMap<>();

    /**
     * Makes {@code endpoint} follow {@code alias} of {@code model}: it serves what the alias points
     * at, and redeploys (with its last rollout plan) whenever the alias moves. Blocking.
     */
    public void follow(String endpoint, String model, String alias, int version) throws Exception {
        if (served(endpoint).map(m -> !m.ref().model().equals(model) || m.ref().version() != version).orElse(true)) {
            ModelVersionView v = Db.await(registry.version(model, version));
            rollout(endpoint, v.ref(), plan(endpoint), (f, m) -> { }, () -> false);
        }
        Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenApply(d -> {
            d.followModel = model;
            d.followAlias = alias;
            return null;
        })));
    }

    /** Stops following an alias; the endpoint keeps serving what it serves. Blocking. */
    public void unfollow(String endpoint) {
        Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenApply(d -> {
            if (d != null) {
                d.followModel = null;
                d.followAlias = null;
            }
            return null;
        })));
    }

    /** The endpoints that follow {@code alias} of {@code model}. */
    public io.vertx.core.Future<List<String>> followers(String model, String alias) {
        return db.tx(s -> s.createSelectionQuery("select endpoint from DeploymentRecord where followModel = :m and followAlias = :a",
                        String.class)
                .setParameter("m", model).setParameter("a", alias).getResultList());
    }

    /** The alias an endpoint follows, as {@code model:alias}, if any. */
    public io.vertx.core.Future<Optional<String>> following(String endpoint) {
        return db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenApply(d -> d == null || d.followAlias == null
                ? Optional.<String>empty() : Optional.of(d.followModel + ":" + d.followAlias)));
    }

    /** The rollout plan of the endpoint's last deployment (immediate if none was recorded). Blocking. */
    public io.retrainer.api.RolloutPlan plan(String endpoint) {
        String json = Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenApply(d -> d == null ? null : d.rolloutPlan)));
        return RolloutPlans.fromJson(json != null ? json : pendingPlans.get(endpoint));
    }

    @Override
    public Optional<ModelRef> current(String endpoint) {
        return served(endpoint).map(ServedModel::ref);
    }

    /** The stable model serving at {@code endpoint}; empty if none is live. */
    public Optional<ServedModel> served(String endpoint) {
        return Optional.ofNullable(routes.get(endpoint)).map(EndpointRouting::stable);
    }

    /** Whether any pipeline deploys to {@code endpoint} or a model serves there. */
    public boolean isKnown(String endpoint) {
        return declared.contains(endpoint) || routes.containsKey(endpoint);
    }

    /** Every known endpoint, by name. */
    public List<EndpointView> endpoints() {
        List<EndpointView> out = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(declared);
        names.addAll(routes.keySet());
        for (String name : names) {
            ServedModel m = served(name).orElse(null);
            out.add(m == null ? new EndpointView(name, null, null, null)
                    : new EndpointView(name, m.ref().model(), m.ref().version(), m.since()));
        }
        out.sort(Comparator.comparing(EndpointView::endpoint));
        return out;
    }

    /** Loads every stored deployment back into memory. Blocking: call at start from a worker thread. */
    public void restore() {
        List<DeploymentRecord> all = Db.await(db.tx(s -> s.createSelectionQuery("from DeploymentRecord", DeploymentRecord.class)
                .getResultList()));
        for (DeploymentRecord d : all) {
            declared.add(d.endpoint);
            if (d.modelName == null || d.modelVersion == null) {
                continue;
            }
            try {
                ModelVersionView v = Db.await(registry.version(d.modelName, d.modelVersion));
                ServedModel m = new ServedModel(v.ref(), registry.loadPredictor(v), d.updatedAt);
                routes.put(d.endpoint, EndpointRouting.empty().withStable(m, EndpointRouting.BLUE));
                LOG.info("endpoint {} restored: {} v{}", d.endpoint, d.modelName, d.modelVersion);
            } catch (Exception e) {
                LOG.error("endpoint {} could not restore {} v{}: {} (it answers 503 until a model is deployed)",
                        d.endpoint, d.modelName, d.modelVersion, e.getMessage());
            }
        }
    }
}
