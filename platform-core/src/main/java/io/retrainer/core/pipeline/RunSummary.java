package io.retrainer.core.pipeline;

import java.time.Instant;

/**
 * A run without its stages.
 *
 * @param id run id
 * @param pipeline pipeline name
 * @param revision pipeline revision used
 * @param status queued, running, succeeded, failed or cancelled
 * @param trigger what started it (manual, schedule, api)
 * @param triggerReason why, in words
 * @param error why it failed, or {@code null}
 * @param verdict the gate's decision (promote/reject), or {@code null}
 * @param verdictReason the gate's reason
 * @param modelName the model it registered, or {@code null}
 * @param modelVersion the version it registered, or {@code null}
 * @param created when it was queued
 * @param started when it began executing
 * @param finished when it ended
 */
public record RunSummary(long id, String pipeline, int revision, String status, String trigger, String triggerReason,
                         String error, String verdict, String verdictReason, String modelName, Integer modelVersion,
                         Instant created, Instant started, Instant finished) {
}
