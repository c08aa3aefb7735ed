package io.retrainer.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A parsed pipeline definition (the YAML or JSON document an operator writes).
 *
 * @param name the pipeline's name
 * @param model the registered model's name (defaults to the pipeline name)
 * @param seed the run seed (split and trainers), default 42
 * @param source the data source stage
 * @param validate settings of the built-in validate stage
 * @param split settings of the built-in split stage
 * @param train the trainer stage
 * @param evaluate evaluator stages, in order
 * @param deploy the deployer stage, or {@code null} (the model is then only registered)
 * @param triggers what starts runs by itself: schedules, live performance, drift, new data
 * @param window the recent part of the loaded data to train on, or {@code null} for all of it
 */
public record PipelineDefinition(String name, String model, long seed, StageSpec source, Map<String, Object> validate,
                                 Map<String, Object> split, StageSpec train, List<StageSpec> evaluate, StageSpec deploy,
                                 List<TriggerSpec> triggers, DataWindow window) {

    /**
     * The serving endpoint this pipeline deploys to: by convention the {@code endpoint} setting of
     * its deploy stage (as in {@code local-serving}). Declared endpoints answer 503, not 404,
     * until a model is live.
     */
    public java.util.Optional<String> servingEndpoint() {
        if (deploy != null && deploy.config().get("endpoint") instanceof String s) {
            return java.util.Optional.of(s);
        }
        return java.util.Optional.empty();
    }
}
