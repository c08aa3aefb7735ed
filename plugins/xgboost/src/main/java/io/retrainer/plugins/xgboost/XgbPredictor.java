package io.retrainer.plugins.xgboost;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained XGBoost model ready to score rows, evaluated by {@link TreeEnsemble} in plain Java.
 * Thread-safe: the encoder and the trees are immutable, and each call has its own buffers.
 */
final class XgbPredictor implements Predictor {
    private final FeatureEncoder encoder;
    private final TreeEnsemble trees;
    private final List<String> classes;

    XgbPredictor(ModelArtifact artifact) throws IOException {
        this(artifact.encoder(), TreeEnsemble.parse(artifact.modelJson()), artifact.classes());
    }

    XgbPredictor(FeatureEncoder encoder, TreeEnsemble trees, List<String> classes) throws IOException {
        this.encoder = encoder;
        this.trees = trees;
        this.classes = List.copyOf(classes);
        if (trees.numFeature() != encoder.width()) {
            throw new IOException("the model has " + trees.numFeature() + " features but the encoding makes " + encoder.width());
        }
        int expectedClasses = switch (trees.objective()) {
            case BINARY_LOGISTIC -> 2;
            case MULTI_SOFTPROB -> trees.outputs();
            case REG_SQUAREDERROR -> 0;
        };
        if (classes.size() != expectedClasses) {
            throw new IOException("objective " + trees.objective().xgboostName + " with " + trees.outputs()
                    + " outputs does not fit the " + classes.size() + " classes " + classes);
        }
    }

    /** The trees this predictor evaluates. */
    TreeEnsemble trees() {
        return trees;
    }

    /** The encoding of input rows. */
    FeatureEncoder encoder() {
        return encoder;
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        FeatureEncoder.Bound bound = encoder.bind(inputs.schema());
        float[] x = new float[encoder.width()];
        float[] out = new float[trees.outputs()];
        List<Prediction> predictions = new ArrayList<>(inputs.rowCount());
        for (int r = 0; r < inputs.rowCount(); r++) {
            bound.dense(inputs, r, x);
            trees.predict(x, out);
            predictions.add(toPrediction(out));
        }
        return predictions;
    }

    private Prediction toPrediction(float[] out) {
        switch (trees.objective()) {
            case BINARY_LOGISTIC -> {
                double positive = out[0];
                Map<String, Double> probabilities = Map.of(classes.get(0), 1 - positive, classes.get(1), positive);
                return Prediction.ofClass(positive > 0.5 ? classes.get(1) : classes.get(0), probabilities);
            }
            case MULTI_SOFTPROB -> {
                Map<String, Double> probabilities = new HashMap<>();
                int best = 0;
                for (int c = 0; c < out.length; c++) {
                    probabilities.put(classes.get(c), (double) out[c]);
                    if (out[c] > out[best]) {
                        best = c;
                    }
                }
                return Prediction.ofClass(classes.get(best), probabilities);
            }
            default -> {
                return Prediction.ofValue(out[0]);
            }
        }
    }

    @Override
    public Task task() {
        return classes.isEmpty() ? Task.REGRESSION : Task.CLASSIFICATION;
    }

    @Override
    public List<String> classes() {
        return classes;
    }
}
