package io.retrainer.core.drift;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/** Drift-test trainer: the SEA concept itself, "yes" when {@code f1 + f2 <= 8}. */
@Extension
public class SumTrainer implements Trainer {
    static final String FORMAT = "test-sea-sum";

    @Override
    public String id() {
        return "test-sea-sum";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder().build();
    }

    @Override
    public TrainedModel train(Dataset data, StageContext ctx) {
        return new TrainedModel("sum<=8".getBytes(StandardCharsets.UTF_8), FORMAT, Map.of(), new SumPredictor());
    }

    /** Reads the (constant) artifact back. */
    @Extension
    public static class Loader implements ModelLoader {
        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public Predictor load(byte[] artifact) {
            return new SumPredictor();
        }
    }

    static final class SumPredictor implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            int f1 = inputs.schema().indexOf("f1");
            int f2 = inputs.schema().indexOf("f2");
            List<Prediction> out = new ArrayList<>(inputs.rowCount());
            for (int r = 0; r < inputs.rowCount(); r++) {
                boolean yes = inputs.number(f1, r) + inputs.number(f2, r) <= 8;
                out.add(Prediction.ofClass(yes ? "yes" : "no", Map.of("yes", yes ? 0.9 : 0.1, "no", yes ? 0.1 : 0.9)));
            }
            return out;
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }
    }
}
