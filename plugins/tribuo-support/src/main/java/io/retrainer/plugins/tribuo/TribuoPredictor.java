package io.retrainer.plugins.tribuo;

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
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * A trained Tribuo model ready to score rows: class and class probabilities for classification
 * (the model's scores for every class it knows, 0 for a class it does not score), the single
 * output for regression. Thread-safe: the encoder and the Tribuo model are immutable, and each
 * call builds its own examples.
 */
public final class TribuoPredictor implements Predictor {
    private final FeatureEncoder encoder;
    private final Task task;
    private final Model<Label> classifier;
    private final Model<Regressor> regressor;
    private final List<String> classes;

    /**
     * @param model a {@code Model<Label>} for classification, a {@code Model<Regressor>} for regression
     * @throws ClassCastException if the model's output type does not match the task
     */
    public TribuoPredictor(Task task, FeatureEncoder encoder, Model<?> model) {
        this.encoder = encoder;
        this.task = task;
        if (task == Task.CLASSIFICATION) {
            classifier = model.castModel(Label.class);
            regressor = null;
            classes = classifier.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
        } else {
            classifier = null;
            regressor = model.castModel(Regressor.class);
            classes = List.of();
        }
    }

    /** Scores with the artifact's task, encoder and model. */
    public TribuoPredictor(TaskArtifact artifact) {
        this(artifact.task(), artifact.encoder(), artifact.model());
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        FeatureEncoder.Bound bound = encoder.bind(inputs.schema());
        List<Prediction> out = new ArrayList<>(inputs.rowCount());
        for (int r = 0; r < inputs.rowCount(); r++) {
            out.add(task == Task.CLASSIFICATION ? classify(bound, inputs, r) : regress(bound, inputs, r));
        }
        return out;
    }

    private Prediction classify(FeatureEncoder.Bound bound, Dataset inputs, int r) {
        org.tribuo.Prediction<Label> p = classifier.predict(bound.example(inputs, r, LabelFactory.UNKNOWN_LABEL));
        Map<String, Double> probabilities = new HashMap<>();
        for (String c : classes) {
            Label scored = p.getOutputScores().get(c);
            probabilities.put(c, scored == null ? 0.0 : scored.getScore());
        }
        return Prediction.ofClass(p.getOutput().getLabel(), probabilities);
    }

    private Prediction regress(FeatureEncoder.Bound bound, Dataset inputs, int r) {
        org.tribuo.Prediction<Regressor> p = regressor.predict(bound.example(inputs, r, RegressionFactory.UNKNOWN_REGRESSOR));
        return Prediction.ofValue(p.getOutput().getValues()[0]);
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public List<String> classes() {
        return classes;
    }
}
