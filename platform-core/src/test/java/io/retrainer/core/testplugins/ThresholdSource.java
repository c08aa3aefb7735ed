package io.retrainer.core.testplugins;

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
 * Engine-test data source on the test class path: {@code rows} rows of x uniform in [0,1) and
 * label {@code x > threshold}, with switches to fail, hang, or leave values missing.
 */
@Extension
public class ThresholdSource implements DataSource {
    @Override
    public String id() {
        return "test-threshold-data";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("rows", SettingType.INTEGER, 200, "rows")
                .optional("threshold", SettingType.NUMBER, 0.5, "label boundary")
                .optional("missing_fraction", SettingType.NUMBER, 0.0, "fraction of x left missing")
                .optional("fail", SettingType.STRING, null, "fail with this message")
                .optional("hang_ms", SettingType.INTEGER, 0, "sleep before returning, ignoring cancellation")
                .optional("extra_column", SettingType.BOOLEAN, false, "add a column z")
                .build();
    }

    @Override
    public Dataset load(StageContext ctx) throws Exception {
        ctx.log().info("generating");
        ctx.settings().string("fail").ifPresent(m -> {
            throw new IllegalStateException(m);
        });
        long hang = ctx.settings().integer("hang_ms");
        if (hang > 0) {
            Thread.sleep(hang);
        }
        boolean extra = ctx.settings().bool("extra_column");
        Schema schema = new Schema(extra
                ? List.of(new Column("x", ColumnType.NUMERIC), new Column("z", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL))
                : List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.CATEGORICAL)), "y");
        Dataset.Builder b = Dataset.builder(schema).fingerprint("test-" + ctx.settings().values());
        Random r = new Random(7);
        double threshold = ctx.settings().number("threshold");
        double missing = ctx.settings().number("missing_fraction");
        for (int i = 0; i < ctx.settings().integer("rows"); i++) {
            double x = r.nextDouble();
            Double shown = r.nextDouble() < missing ? null : x;
            String y = x > threshold ? "high" : "low";
            b.addRow(extra ? new Object[] {shown, 1.0, y} : new Object[] {shown, y});
        }
        return b.build();
    }
}
