package io.retrainer.plugins.onnx;

import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import org.pf4j.Extension;

/**
 * Loads models of format {@value #FORMAT}: the artifact bytes are the {@code .onnx} file itself,
 * as exported by any framework (for example scikit-learn through skl2onnx with
 * {@code zipmap=False}). See {@link OnnxPredictor} for the graphs it accepts.
 */
@Extension
public final class OnnxModelLoader implements ModelLoader {
    /** The artifact format, and this loader's id. */
    public static final String FORMAT = "onnx";

    @Override
    public String description() {
        return "Serves ONNX models (one float input [rows, features]; outputs label + probabilities, or one number) with ONNX Runtime.";
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Predictor load(byte[] artifact) throws Exception {
        return OnnxPredictor.load(artifact);
    }
}
