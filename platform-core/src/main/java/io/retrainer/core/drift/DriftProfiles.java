package io.retrainer.core.drift;

import io.retrainer.core.json.Json;
import io.retrainer.core.persistence.Db;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Stores and loads reference profiles, one per model version. */
final class DriftProfiles {
    private final Db db;

    DriftProfiles(Db db) {
        this.db = db;
    }

    /** Stores {@code profile}, replacing any earlier one of the same version. */
    Future<Void> save(ReferenceProfile profile) {
        String json = Json.write(profile);
        return db.tx(s -> s.createSelectionQuery("from DriftProfileRecord where modelName = :m and version = :v",
                        DriftProfileRecord.class)
                .setParameter("m", profile.model())
                .setParameter("v", profile.version())
                .getSingleResultOrNull()
                .thenCompose(existing -> {
                    DriftProfileRecord r = existing != null ? existing : new DriftProfileRecord();
                    r.modelName = profile.model();
                    r.version = profile.version();
                    r.profile = json;
                    r.createdAt = Instant.now();
                    return existing != null ? CompletableFuture.completedFuture((Void) null) : s.persist(r);
                }));
    }

    /** The profile of {@code model} v{@code version}, if one was stored. */
    Future<Optional<ReferenceProfile>> load(String model, int version) {
        return db.tx(s -> s.createSelectionQuery("from DriftProfileRecord where modelName = :m and version = :v",
                        DriftProfileRecord.class)
                .setParameter("m", model)
                .setParameter("v", version)
                .getSingleResultOrNull())
                .map(r -> r == null ? Optional.empty() : Optional.of(Json.read(r.profile, ReferenceProfile.class)));
    }
}
