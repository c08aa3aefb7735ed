package io.retrainer.core.testplugins;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/** Engine-test trainer: learns the x threshold best separating the classes (or a fixed one). */
@Extension
public class ThresholdTrainer implements Trainer {
    static final String FORMAT = "test-threshold";

    @Override
    public String id() {
        return "test-threshold";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("fixed", SettingType.NUMBER, null, "use this threshold instead of learning one")
                .optional("wait_for_cancel", SettingType.BOOLEAN, false, "loop until cancelled")
                .optional("broken", SettingType.BOOLEAN, false, "the model throws when asked about x above the threshold")
                .build();
    }

    @Override
    public TrainedModel train(Dataset data, StageContext ctx) throws Exception {
        if (ctx.settings().bool("wait_for_cancel")) {
            while (!ctx.isCancelled()) {
                Thread.sleep(20);
            }
            throw new IllegalStateException("stopped: cancelled");
        }
        double best = ctx.settings().has("fixed") ? ctx.settings().number("fixed") : learn(data);
        ctx.progress(1.0, "done");
        boolean broken = ctx.settings().bool("broken");
        return new TrainedModel(ByteBuffer.allocate(9).putDouble(best).put((byte) (broken ? 1 : 0)).array(), FORMAT,
                Map.of("threshold", Double.toString(best)), new ThresholdPredictor(best, broken));
    }

    private static double learn(Dataset data) {
        double best = 0.5;
        int bestErrors = Integer.MAX_VALUE;
        for (int step = 1; step < 100; step++) {
            double t = step / 100.0;
            int errors = 0;
            for (int r = 0; r < data.rowCount(); r++) {
                double x = data.number(0, r);
                if (!Double.isNaN(x) && (x > t) != "high".equals(data.labelString(r))) {
                    errors++;
                }
            }
            if (errors < bestErrors) {
                bestErrors = errors;
                best = t;
            }
        }
        return best;
    }

    /** Reads the artifact back. */
    @Extension
    public static class Loader implements ModelLoader {
        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public Predictor load(byte[] artifact) {
            ByteBuffer b = ByteBuffer.wrap(artifact);
            return new ThresholdPredictor(b.getDouble(), b.get() == 1);
        }
    }

    record ThresholdPredictor(double threshold, boolean broken) implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            int x = inputs.schema().indexOf("x");
            List<Prediction> out = new ArrayList<>();
            for (int r = 0; r < inputs.rowCount(); r++) {
                double v = inputs.number(x, r);
                boolean high = !Double.isNaN(v) && v > threshold;
                if (high && broken) {
                    throw new IllegalStateException("broken test model asked about x = " + v);
                }
                out.add(Prediction.ofClass(high ? "high" : "low", Map.of("high", high ? 1.0 : 0.0, "low", high ? 0.0 : 1.0)));
            }
            return out;
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public List<String> classes() {
            return List.of("high", "low");
        }
    }
}
