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

    /** The version serving at {@code endpoint}, if any. */
    Optional<ModelRef> current(String endpoint);
}
