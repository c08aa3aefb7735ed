package com.example.echo;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Trainer and model loader in one class: trains a {@link CentroidModel} and reads its artifacts
 * back. The platform finds it under both extension points: as trainer {@code nearest-centroid}
 * and as loader of format {@code echo-centroid}.
 */
@Extension
public final class CentroidTrainer implements Trainer, ModelLoader {

    @Override
    public String id() {
        return "nearest-centroid";
    }

    @Override
    public String format() {
        return CentroidModel.FORMAT;
    }

    @Override
    public String description() {
        return "A nearest-centroid classifier over the numeric features (one mean point per class).";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("min_rows_per_class", SettingType.INTEGER, 1, "Fail if a class has fewer training rows")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) {
        if (training.schema().task().orElse(Task.REGRESSION) != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("nearest-centroid needs a categorical label, '"
                    + training.schema().label() + "' is numeric");
        }
        long minRows = context.settings().integer("min_rows_per_class");
        Map<String, Long> perClass = new java.util.TreeMap<>();
        for (int r = 0; r < training.rowCount(); r++) {
            perClass.merge(training.labelString(r), 1L, Long::sum);
        }
        perClass.forEach((label, n) -> {
            if (n < minRows) {
                throw new IllegalArgumentException("class '" + label + "' has " + n + " training rows, fewer than min_rows_per_class "
                        + minRows);
            }
        });
        if (context.isCancelled()) {
            throw new IllegalStateException("cancelled before training");
        }
        context.progress(0.5, "averaging " + training.rowCount() + " rows");
        CentroidModel model = CentroidModel.fit(training);
        context.log().info("trained " + model);
        context.progress(1.0, "done");
        return new TrainedModel(model.toBytes(), CentroidModel.FORMAT, Map.of("min_rows_per_class", Long.toString(minRows)), model);
    }

    @Override
    public Predictor load(byte[] artifact) {
        return CentroidModel.fromBytes(artifact);
    }
}
