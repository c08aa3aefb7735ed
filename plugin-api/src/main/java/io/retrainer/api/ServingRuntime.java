package io.retrainer.api;

import java.util.Optional;

/**
 * The host's own serving runtime, handed to deployers through
 * {@link StageContext#hostService(Class)}. Implemented by the host only.
 */
public interface ServingRuntime {

    /**
     * Makes {@code model} the one answering at {@code endpoint}, replacing the previous one in a
     * single atomic step (requests in flight finish on the model they started with).
     *
     * @param endpoint the endpoint name, {@code [a-z0-9][a-z0-9-]*}
     * @param model the version to serve; its artifact is loaded and verified before the swap
     * @throws Exception when the model cannot be loaded; the previous one keeps serving
     */
    void activate(String endpoint, ModelRef model) throws Exception;

    /** The version serving at {@code endpoint}, if any (the one taking all traffic, or the old one during a rollout). */
    Optional<ModelRef> current(String endpoint);

    /**
     * Rolls {@code model} out at {@code endpoint} by {@code plan}: idle slot, traffic steps, a health
     * gate before each step, automatic rollback. Blocks until the rollout has completed or been
     * rolled back; checks {@code cancelled} between steps and rolls back if it turns true.
     *
     * @param endpoint the endpoint name
     * @param model the new version
     * @param plan steps, interval and gate thresholds
     * @param progress receives (fraction done, message) as steps pass
     * @param cancelled polled between steps; when true the rollout is aborted and rolled back
     * @return whether the new version took over, and why or why not
     * @throws Exception when the model cannot be loaded; the old version keeps serving
     * @since 1.1.0
     */
    default RolloutOutcome rollout(String endpoint, ModelRef model, RolloutPlan plan,
                                   java.util.function.BiConsumer<Double, String> progress,
                                   java.util.function.BooleanSupplier cancelled) throws Exception {
        activate(endpoint, model);
        return new RolloutOutcome(true, "activated at once (this host has no gradual rollout)");
    }
}
