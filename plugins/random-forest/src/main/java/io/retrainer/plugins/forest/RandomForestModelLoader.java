package io.retrainer.plugins.forest;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.TaskArtifact;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import org.pf4j.Extension;

/** Reads the artifacts {@link RandomForestTrainer} writes (format {@value RandomForestTrainer#FORMAT}). */
@Extension
public final class RandomForestModelLoader implements ModelLoader {

    /** The plugin's id, like the trainer's; the host finds loaders by {@link #format()}. */
    @Override
    public String id() {
        return RandomForestTrainer.ID;
    }

    @Override
    public String description() {
        return "Loads random forests trained by the random-forest trainer.";
    }

    @Override
    public String format() {
        return RandomForestTrainer.FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return PluginClassLoader.call(() -> new TribuoPredictor(TaskArtifact.fromBytes(RandomForestTrainer.CODEC, artifact)));
    }
}
