package io.retrainer.api;

/**
 * Where a deployment put the model.
 *
 * @param target a target id, e.g. the serving endpoint name or an export path
 * @param message one sentence for the run log
 */
public record DeploymentResult(String target, String message) {
}
