package io.retrainer.core.registry;

import io.retrainer.api.ModelRef;
import io.retrainer.api.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * A registered model version as the API and console show it.
 *
 * @param model model name
 * @param version version number
 * @param stage lifecycle stage
 * @param stageReason why it has that stage (gate verdict, promotion, rollback)
 * @param format artifact format
 * @param artifactSha256 artifact hash in the content-addressed store
 * @param artifactSize artifact size in bytes
 * @param metrics evaluation metrics ({@code values} and {@code details})
 * @param lineage where it came from: data fingerprint, pipeline revision, plugins and versions, settings, seed
 * @param inputSchema the columns the model takes
 * @param trainingSchema the columns it was trained on, label included
 * @param runId the run that produced it
 * @param pipeline the pipeline that produced it
 * @param created when it was registered
 */
public record ModelVersionView(String model, int version, ModelStage stage, String stageReason, String format,
                               String artifactSha256, long artifactSize, Map<String, Object> metrics,
                               Map<String, Object> lineage, Schema inputSchema, Schema trainingSchema, Long runId,
                               String pipeline, Instant created) {
    /** The reference a deployer receives. */
    public ModelRef ref() {
        return new ModelRef(model, version, format, artifactSha256, inputSchema);
    }
}
