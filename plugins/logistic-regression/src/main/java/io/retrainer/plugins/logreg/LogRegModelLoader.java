package io.retrainer.plugins.logreg;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import org.pf4j.Extension;

/** Reads the artifacts {@link LogRegTrainer} writes (format {@value ModelArtifact#FORMAT}). */
@Extension
public final class LogRegModelLoader implements ModelLoader {

    /** The plugin's id, like the trainer's; the host finds loaders by {@link #format()}. */
    @Override
    public String id() {
        return LogRegTrainer.ID;
    }

    @Override
    public String description() {
        return "Loads logistic regression models trained by the logistic-regression trainer.";
    }

    @Override
    public String format() {
        return ModelArtifact.FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return PluginClassLoader.call(() -> {
            ModelArtifact read = ModelArtifact.fromBytes(artifact);
            return new TribuoPredictor(Task.CLASSIFICATION, read.encoder(), read.model());
        });
    }
}
