package io.retrainer.api;

import java.util.Map;

/**
 * Read access to registered model versions, handed to deployers through
 * {@link StageContext#hostService(Class)} so they can ship a model elsewhere (files, another
 * serving system). Implemented by the host only.
 *
 * @since 1.1.0
 */
public interface ArtifactSource {

    /**
     * The artifact bytes of {@code model}, checked against their SHA-256.
     *
     * @throws java.io.IOException if the artifact is missing or corrupt
     */
    byte[] read(ModelRef model) throws java.io.IOException;

    /**
     * What the registry knows about {@code model}: {@code metrics}, {@code lineage}, {@code stage},
     * {@code created} (JSON-like values: maps, lists, strings, numbers).
     */
    Map<String, Object> metadata(ModelRef model);
}
