package io.retrainer.core.registry;

import io.retrainer.api.Schema;
import java.util.Map;

/**
 * What the run's register stage hands the registry.
 *
 * @param model model name
 * @param format artifact format
 * @param artifact artifact bytes
 * @param metrics evaluation metrics
 * @param lineage provenance
 * @param inputSchema the model's input columns
 * @param trainingSchema the training data's columns, label included
 * @param runId the producing run
 * @param pipeline the producing pipeline
 * @param stage {@link ModelStage#CANDIDATE} or {@link ModelStage#REJECTED}
 * @param stageReason the gate's reason
 */
public record Registration(String model, String format, byte[] artifact, Map<String, Object> metrics,
                           Map<String, Object> lineage, Schema inputSchema, Schema trainingSchema, Long runId,
                           String pipeline, ModelStage stage, String stageReason) {
}
