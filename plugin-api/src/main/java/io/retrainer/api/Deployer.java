package io.retrainer.api;

/**
 * Makes a registered model version live at a target, and can put a previous one back.
 */
public interface Deployer extends RetrainerExtension {

    /**
     * Deploys {@code model}.
     *
     * @param model the version to make live
     * @param context settings, log, and host services such as {@link ServingRuntime}
     * @return where the model now serves, in words and as a target id
     * @throws Exception with a readable message when deployment fails
     */
    DeploymentResult deploy(ModelRef model, StageContext context) throws Exception;

    /**
     * Puts {@code previous} back at the target after a failed or unwanted deployment.
     *
     * @param previous the version that served before
     * @param context settings, log, and host services
     * @throws Exception when the rollback fails
     */
    void rollback(ModelRef previous, StageContext context) throws Exception;
}
