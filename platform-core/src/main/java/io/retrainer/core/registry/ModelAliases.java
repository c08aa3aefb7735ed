package io.retrainer.core.registry;

import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.ModelAliasRecord;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Named aliases on model versions, beside the lifecycle stage: {@code champion} (kept on the
 * production version automatically), {@code challenger}, or any other name. Moving an alias
 * tells listeners, so endpoints that follow it redeploy.
 */
public final class ModelAliases {
    /** The alias that always points at the production version. */
    public static final String CHAMPION = "champion";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    /** Told after an alias moved. */
    @FunctionalInterface
    public interface Listener {
        /** {@code alias} of {@code model} now points at {@code version}. */
        void moved(String model, String alias, int version);
    }

    private final Db db;
    private final ModelRegistry registry;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Aliases over {@code db}, checking versions exist in {@code registry}. */
    public ModelAliases(Db db, ModelRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    /** Adds a listener. */
    public void onMoved(Listener listener) {
        listeners.add(listener);
    }

    /** Alias name to version, for {@code model}. */
    public Future<Map<String, Integer>> aliases(String model) {
        return db.tx(s -> s.createSelectionQuery("from ModelAliasRecord where modelName = :m order by alias", ModelAliasRecord.class)
                .setParameter("m", model)
                .getResultList()
                .thenApply(list -> {
                    Map<String, Integer> out = new LinkedHashMap<>();
                    list.forEach(a -> out.put(a.alias, a.version));
                    return out;
                }));
    }

    /** The version {@code alias} points at; fails with {@link NotFoundException}. */
    public Future<Integer> resolve(String model, String alias) {
        return aliases(model).map(all -> {
            Integer v = all.get(alias);
            if (v == null) {
                throw new NotFoundException("model " + model + " has no alias '" + alias + "'");
            }
            return v;
        });
    }

    /** Points {@code alias} at {@code version} (which must exist) and tells the listeners. */
    public Future<Void> move(String model, String alias, int version) {
        if (!NAME.matcher(alias).matches()) {
            return Future.failedFuture(new InvalidInputException(List.of("alias: \"" + alias
                    + "\" must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter")));
        }
        return registry.version(model, version)
                .compose(v -> db.tx(s -> s.find(ModelAliasRecord.class, key(model, alias)).thenCompose(existing -> {
                    ModelAliasRecord a = existing != null ? existing : new ModelAliasRecord();
                    boolean unchanged = existing != null && existing.version == version;
                    a.modelName = model;
                    a.alias = alias;
                    a.version = version;
                    a.updatedAt = Instant.now();
                    return (existing != null ? java.util.concurrent.CompletableFuture.completedFuture((Void) null) : s.persist(a))
                            .thenApply(x -> unchanged);
                })))
                .map(unchanged -> {
                    if (!unchanged) {
                        listeners.forEach(l -> l.moved(model, alias, version));
                    }
                    return null;
                });
    }

    /** Removes {@code alias}; fails with {@link NotFoundException} if absent. */
    public Future<Void> delete(String model, String alias) {
        return db.tx(s -> s.find(ModelAliasRecord.class, key(model, alias)).thenCompose(a -> {
            if (a == null) {
                throw new NotFoundException("model " + model + " has no alias '" + alias + "'");
            }
            return s.remove(a);
        }));
    }

    private static ModelAliasRecord.Key key(String model, String alias) {
        ModelAliasRecord.Key k = new ModelAliasRecord.Key();
        k.modelName = model;
        k.alias = alias;
        return k;
    }
}
