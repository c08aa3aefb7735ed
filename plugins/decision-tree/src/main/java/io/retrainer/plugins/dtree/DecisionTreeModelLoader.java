package io.retrainer.plugins.dtree;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.TaskArtifact;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import org.pf4j.Extension;

/** Reads the artifacts {@link DecisionTreeTrainer} writes (format {@value DecisionTreeTrainer#FORMAT}). */
@Extension
public final class DecisionTreeModelLoader implements ModelLoader {

    /** The plugin's id, like the trainer's; the host finds loaders by {@link #format()}. */
    @Override
    public String id() {
        return DecisionTreeTrainer.ID;
    }

    @Override
    public String description() {
        return "Loads decision trees trained by the decision-tree trainer.";
    }

    @Override
    public String format() {
        return DecisionTreeTrainer.FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return PluginClassLoader.call(() -> new TribuoPredictor(TaskArtifact.fromBytes(DecisionTreeTrainer.CODEC, artifact)));
    }
}
