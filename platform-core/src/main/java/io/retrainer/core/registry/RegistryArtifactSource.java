package io.retrainer.core.registry;

import io.retrainer.api.ArtifactSource;
import io.retrainer.api.ModelRef;
import io.retrainer.core.persistence.Db;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry as deployers see it: verified artifact bytes and a version's metadata. Blocking (worker threads). */
public final class RegistryArtifactSource implements ArtifactSource {
    private final ModelRegistry registry;
    private final ArtifactStore artifacts;

    /** A source over the registry and its store. */
    public RegistryArtifactSource(ModelRegistry registry, ArtifactStore artifacts) {
        this.registry = registry;
        this.artifacts = artifacts;
    }

    @Override
    public byte[] read(ModelRef model) throws IOException {
        return artifacts.get(model.artifactSha256());
    }

    @Override
    public Map<String, Object> metadata(ModelRef model) {
        ModelVersionView v = Db.await(registry.version(model.model(), model.version()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", v.stage().label());
        m.put("created", v.created().toString());
        m.put("pipeline", v.pipeline());
        m.put("run_id", v.runId());
        m.put("metrics", v.metrics());
        m.put("lineage", v.lineage());
        return m;
    }
}
