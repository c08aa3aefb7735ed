package io.retrainer.web.serving;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pf4j.Extension;

/**
 * Test extensions for the Open Inference Protocol: data with numeric columns x and z and
 * (optionally) a categorical column color, and a fixed-rule model over them, as a classifier
 * ({@code high} when x + z > 1 or color is red) or a regressor (x + z; a missing number counts 0).
 */
public final class MixedTestModel {
    static final String FORMAT = "test-v2-mixed";

    private MixedTestModel() {
    }

    /** The data. */
    @Extension
    public static class Source implements DataSource {
        @Override
        public String id() {
            return "test-v2-mixed-data";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder().optional("color", SettingType.BOOLEAN, true, "add the categorical column color").build();
        }

        @Override
        public Dataset load(StageContext ctx) {
            boolean color = ctx.settings().bool("color");
            List<Column> cols = new ArrayList<>(List.of(new Column("x", ColumnType.NUMERIC), new Column("z", ColumnType.NUMERIC)));
            if (color) {
                cols.add(new Column("color", ColumnType.CATEGORICAL));
            }
            cols.add(new Column("y", ColumnType.CATEGORICAL));
            Dataset.Builder b = Dataset.builder(new Schema(cols, "y")).fingerprint("test-v2-" + color);
            Random r = new Random(3);
            for (int i = 0; i < 100; i++) {
                double x = r.nextDouble();
                double z = r.nextDouble();
                String c = r.nextBoolean() ? "red" : "blue";
                String y = x + z > 1 || (color && c.equals("red")) ? "high" : "low";
                b.addRow(color ? new Object[] {x, z, c, y} : new Object[] {x, z, y});
            }
            return b.build();
        }
    }

    /** The trainer: nothing to learn, the rule is fixed. */
    @Extension
    public static class RuleTrainer implements Trainer {
        @Override
        public String id() {
            return "test-v2-mixed";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder().optional("regression", SettingType.BOOLEAN, false, "predict x + z instead of a class").build();
        }

        @Override
        public TrainedModel train(Dataset data, StageContext ctx) {
            boolean regression = ctx.settings().bool("regression");
            return new TrainedModel(new byte[] {(byte) (regression ? 1 : 0)}, FORMAT, Map.of(), new Rule(regression));
        }
    }

    /** Reads the one-byte artifact back. */
    @Extension
    public static class Loader implements ModelLoader {
        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public Predictor load(byte[] artifact) {
            return new Rule(artifact[0] == 1);
        }
    }

    record Rule(boolean regression) implements Predictor {
        @Override
        public List<Prediction> predict(Dataset inputs) {
            int x = inputs.schema().indexOf("x");
            int z = inputs.schema().indexOf("z");
            int color = inputs.schema().indexOf("color");
            List<Prediction> out = new ArrayList<>();
            for (int r = 0; r < inputs.rowCount(); r++) {
                double sum = zeroIfMissing(inputs.number(x, r)) + zeroIfMissing(inputs.number(z, r));
                if (regression) {
                    out.add(Prediction.ofValue(sum));
                } else {
                    boolean high = sum > 1 || (color >= 0 && "red".equals(inputs.string(color, r)));
                    out.add(Prediction.ofClass(high ? "high" : "low", Map.of("high", high ? 0.9 : 0.2, "low", high ? 0.1 : 0.8)));
                }
            }
            return out;
        }

        private static double zeroIfMissing(double v) {
            return Double.isNaN(v) ? 0 : v;
        }

        @Override
        public Task task() {
            return regression ? Task.REGRESSION : Task.CLASSIFICATION;
        }

        @Override
        public List<String> classes() {
            return regression ? List.of() : List.of("high", "low");
        }
    }
}
