package io.retrainer.plugins.linreg;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * A trained linear regression ready to score rows. Thread-safe: the artifact is immutable, and
 * each call builds its own examples.
 */
final class LinRegPredictor implements Predictor {
    private final ModelArtifact artifact;

    LinRegPredictor(ModelArtifact artifact) {
        this.artifact = artifact;
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        FeatureEncoder.Bound bound = artifact.encoder().bind(inputs.schema());
        List<Prediction> out = new ArrayList<>(inputs.rowCount());
        for (int r = 0; r < inputs.rowCount(); r++) {
            org.tribuo.Prediction<Regressor> p = artifact.model().predict(bound.example(inputs, r, RegressionFactory.UNKNOWN_REGRESSOR));
            out.add(Prediction.ofValue(artifact.unscale(p.getOutput().getValues()[0])));
        }
        return out;
    }

    @Override
    public Task task() {
        return Task.REGRESSION;
    }

    @Override
    public List<String> classes() {
        return List.of();
    }
}
