package io.retrainer.core.drift;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.util.List;
import java.util.Random;
import org.pf4j.Extension;

/**
 * Drift-test data source: SEA-concept-like rows (as in {@code shared/data/sea_drift.csv}):
 * {@code f1..f3} uniform on [0, 10], a categorical {@code color} (red 50 %, green 30 %, blue 20 %),
 * and {@code label = f1 + f2 <= 8} ("yes"/"no"). {@link #rows} makes the same kind of rows for live
 * traffic, optionally with {@code f1} shifted or some colours replaced by one never seen in training.
 */
@Extension
public class SeaSource implements DataSource {
    static final Schema TRAINING = new Schema(List.of(new Column("f1", ColumnType.NUMERIC), new Column("f2", ColumnType.NUMERIC),
            new Column("f3", ColumnType.NUMERIC), new Column("color", ColumnType.CATEGORICAL), new Column("label", ColumnType.CATEGORICAL)),
            "label");
    static final Schema INPUTS = TRAINING.withoutLabel();

    @Override
    public String id() {
        return "test-sea";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder().optional("rows", SettingType.INTEGER, 5000, "rows").build();
    }

    @Override
    public Dataset load(StageContext ctx) {
        Random r = new Random(11);
        Dataset.Builder b = Dataset.builder(TRAINING).fingerprint("test-sea");
        for (int i = 0; i < ctx.settings().integer("rows"); i++) {
            double f1 = 10 * r.nextDouble();
            double f2 = 10 * r.nextDouble();
            double f3 = 10 * r.nextDouble();
            b.addRow(f1, f2, f3, color(r), f1 + f2 <= 8 ? "yes" : "no");
        }
        return b.build();
    }

    static String color(Random r) {
        double u = r.nextDouble();
        return u < 0.5 ? "red" : u < 0.8 ? "green" : "blue";
    }

    /**
     * Live inputs: {@code n} rows like the training rows, {@code f1} plus {@code shiftF1}, and a
     * fraction {@code unseen} of colours replaced by "purple".
     */
    static Dataset rows(Random r, int n, double shiftF1, double unseen) {
        Dataset.Builder b = Dataset.builder(INPUTS);
        for (int i = 0; i < n; i++) {
            double f1 = 10 * r.nextDouble() + shiftF1;
            double f2 = 10 * r.nextDouble();
            double f3 = 10 * r.nextDouble();
            String color = color(r);
            b.addRow(f1, f2, f3, r.nextDouble() < unseen ? "purple" : color);
        }
        return b.build();
    }
}
