package io.retrainer.plugins.logreg;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * A trained logistic regression ready to score rows. Thread-safe: the encoder and the Tribuo model
 * are immutable, and each call builds its own examples.
 */
final class LogRegPredictor implements Predictor {
    private final FeatureEncoder encoder;
    private final Model<Label> model;
    private final List<String> classes;

    LogRegPredictor(ModelArtifact artifact) {
        this.encoder = artifact.encoder();
        this.model = artifact.model();
        this.classes = artifact.model().getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        FeatureEncoder.Bound bound = encoder.bind(inputs.schema());
        List<Prediction> out = new ArrayList<>(inputs.rowCount());
        for (int r = 0; r < inputs.rowCount(); r++) {
            org.tribuo.Prediction<Label> p = model.predict(bound.example(inputs, r, LabelFactory.UNKNOWN_LABEL));
            Map<String, Double> probabilities = new HashMap<>();
            for (String c : classes) {
                Label scored = p.getOutputScores().get(c);
                probabilities.put(c, scored == null ? 0.0 : scored.getScore());
            }
            out.add(Prediction.ofClass(p.getOutput().getLabel(), probabilities));
        }
        return out;
    }

    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    @Override
    public List<String> classes() {
        return classes;
    }
}
