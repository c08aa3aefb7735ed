package io.retrainer.core.pipeline;

import io.retrainer.api.Dataset;
import io.retrainer.api.Predictor;
import io.retrainer.core.registry.ModelVersionView;
import java.util.Optional;

/**
 * Work that needs a new version's training data at registration (drift reference profiles):
 * called in the register stage, on its worker thread, with data no later stage keeps.
 */
@FunctionalInterface
public interface RegistrationHook {
    /**
     * Called once per registered version. Must not throw for ordinary problems: return a line saying so.
     *
     * @return a line for the register stage's log, if any
     */
    Optional<String> registered(ModelVersionView version, Dataset train, Dataset holdout, Predictor predictor);
}
