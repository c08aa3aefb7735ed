package io.retrainer.plugins.xgboost;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import org.pf4j.Extension;

/**
 * Reads the artifacts {@link XgbTrainer} writes (format {@value ModelArtifact#FORMAT}) into the
 * pure-Java {@link XgbPredictor}: serving needs no native library and no matrix per request.
 */
@Extension
public final class XgbModelLoader implements ModelLoader {

    /** The plugin's id, like the trainer's; the host finds loaders by {@link #format()}. */
    @Override
    public String id() {
        return XgbTrainer.ID;
    }

    @Override
    public String description() {
        return "Loads XGBoost models trained by the xgboost trainer and evaluates their trees in Java.";
    }

    @Override
    public String format() {
        return ModelArtifact.FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return new XgbPredictor(ModelArtifact.fromBytes(artifact));
    }
}
