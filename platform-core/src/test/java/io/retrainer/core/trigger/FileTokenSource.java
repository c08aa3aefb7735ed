package io.retrainer.core.trigger;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Trigger-test data source on the test class path: rows {@code x,label} from a file, and a change
 * token that is the file's row count ("3 rows"), so a test sees exactly which change fired.
 */
@Extension
public class FileTokenSource implements DataSource {
    @Override
    public String id() {
        return "test-file-token";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder().required("path", SettingType.STRING, "file of x,label lines").build();
    }

    @Override
    public Dataset load(StageContext ctx) throws Exception {
        Dataset.Builder b = Dataset.builder(new Schema(List.of(new Column("x", ColumnType.NUMERIC),
                new Column("y", ColumnType.CATEGORICAL)), "y"));
        for (String line : Files.readAllLines(Path.of(ctx.settings().requireString("path")))) {
            String[] parts = line.split(",");
            b.addRow(Double.parseDouble(parts[0]), parts[1]);
        }
        return b.fingerprint("rows-" + b.size()).build();
    }

    @Override
    public Optional<String> changeToken(Settings settings) throws Exception {
        return Optional.of(Files.readAllLines(Path.of(settings.requireString("path"))).size() + " rows");
    }
}
