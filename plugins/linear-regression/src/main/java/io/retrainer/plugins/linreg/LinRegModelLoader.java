package io.retrainer.plugins.linreg;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import org.pf4j.Extension;

/** Reads the artifacts {@link LinRegTrainer} writes (format {@value ModelArtifact#FORMAT}). */
@Extension
public final class LinRegModelLoader implements ModelLoader {

    /** The plugin's id, like the trainer's; the host finds loaders by {@link #format()}. */
    @Override
    public String id() {
        return LinRegTrainer.ID;
    }

    @Override
    public String description() {
        return "Loads linear regression models trained by the linear-regression trainer.";
    }

    @Override
    public String format() {
        return ModelArtifact.FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return PluginClassLoader.call(() -> new LinRegPredictor(ModelArtifact.fromBytes(artifact)));
    }
}
