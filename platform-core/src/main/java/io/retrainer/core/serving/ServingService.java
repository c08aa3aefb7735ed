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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's serving runtime: endpoint name to the model answering there. A swap replaces one
 * immutable {@link ServedModel} in a map, so a request sees either the old model or the new one,
 * never a mix. Deployments are stored, and restored at start so the served model survives a
 * restart.
 */
public final class ServingService implements ServingRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);
    private static final Pattern ENDPOINT = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Db db;
    private final ModelRegistry registry;
    private final Map<String, ServedModel> live = new ConcurrentHashMap<>();
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    /** A runtime that loads models from {@code registry} and records deployments in {@code db}. */
    public ServingService(Db db, ModelRegistry registry) {
        this.db = db;
        this.registry = registry;
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
        Db.await(db.tx(s -> s.find(DeploymentRecord.class, endpoint).thenCompose(existing -> {
            DeploymentRecord d = existing != null ? existing : new DeploymentRecord();
            d.endpoint = endpoint;
            d.modelName = model.model();
            d.modelVersion = model.version();
            d.deployer = "local-serving";
            d.pipelineName = v.pipeline();
            d.updatedAt = next.since();
            DeploymentEventRecord e = new DeploymentEventRecord();
            e.endpoint = endpoint;
            e.modelName = model.model();
            e.modelVersion = model.version();
            e.action = action;
            e.message = message;
            e.at = next.since();
            return (existing != null ? s.persist(e) : s.persist(d).thenCompose(x -> s.persist(e)));
        })));
        declared.add(endpoint);
        live.put(endpoint, next);
        LOG.info("endpoint {} now serves {} v{}", endpoint, model.model(), model.version());
    }

    @Override
    public Optional<ModelRef> current(String endpoint) {
        return Optional.ofNullable(live.get(endpoint)).map(ServedModel::ref);
    }

    /** The model serving at {@code endpoint}; empty if none is live. */
    public Optional<ServedModel> served(String endpoint) {
        return Optional.ofNullable(live.get(endpoint));
    }

    /** Whether any pipeline deploys to {@code endpoint} or a model serves there. */
    public boolean isKnown(String endpoint) {
        return declared.contains(endpoint) || live.containsKey(endpoint);
    }

    /** Every known endpoint, by name. */
    public List<EndpointView> endpoints() {
        List<EndpointView> out = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(declared);
        names.addAll(live.keySet());
        for (String name : names) {
            ServedModel m = live.get(name);
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
                live.put(d.endpoint, new ServedModel(v.ref(), registry.loadPredictor(v), d.updatedAt));
                LOG.info("endpoint {} restored: {} v{}", d.endpoint, d.modelName, d.modelVersion);
            } catch (Exception e) {
                LOG.error("endpoint {} could not restore {} v{}: {} (it answers 503 until a model is deployed)",
                        d.endpoint, d.modelName, d.modelVersion, e.getMessage());
            }
        }
    }
}
