package com.example.echo;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.pf4j.Extension;

/**
 * Generates a two-class data set: points {@code (x, y)} uniform on the unit square, class
 * {@code high} when {@code x + y > 1}, else {@code low}, with a share of labels flipped. The same
 * settings give the same rows, so the fingerprint is derived from the settings.
 */
@Extension
public final class EchoDataSource implements DataSource {

    @Override
    public String id() {
        return "echo-data";
    }

    @Override
    public String description() {
        return "Generates points on the unit square labelled by which side of x + y = 1 they fall on.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("rows", SettingType.INTEGER, 200, "How many rows to generate")
                .optional("noise", SettingType.NUMBER, 0.05, "Share of labels flipped at random (0 to 0.5)")
                .optional("data_seed", SettingType.INTEGER, 7, "Seed of the generator (the data, not the run)")
                .build();
    }

    @Override
    public Dataset load(StageContext context) {
        Settings s = context.settings();
        long rows = s.integer("rows");
        double noise = s.number("noise");
        if (rows < 2 || rows > 10_000_000) {
            throw new IllegalArgumentException("rows must be between 2 and 10000000, got " + rows);
        }
        if (noise < 0 || noise > 0.5) {
            throw new IllegalArgumentException("noise must be between 0 and 0.5, got " + noise);
        }
        Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC), new Column("y", ColumnType.NUMERIC),
                new Column("side", ColumnType.CATEGORICAL)), "side");
        Dataset.Builder b = Dataset.builder(schema);
        Random random = new Random(s.integer("data_seed"));
        for (long i = 0; i < rows; i++) {
            if (i % 10_000 == 0) {
                if (context.isCancelled()) {
                    throw new IllegalStateException("cancelled after " + i + " rows");
                }
                context.progress((double) i / rows, "generated " + i + " of " + rows + " rows");
            }
            double x = random.nextDouble();
            double y = random.nextDouble();
            boolean high = x + y > 1;
            if (random.nextDouble() < noise) {
                high = !high;
            }
            b.addRow(x, y, high ? "high" : "low");
        }
        context.log().info("echo-data generated " + rows + " rows with " + noise + " label noise");
        return b.fingerprint("echo-" + rows + "-" + noise + "-" + s.integer("data_seed")).build();
    }

    @Override
    public Optional<String> changeToken(Settings settings) {
        // The data only changes when the settings do.
        return Optional.of(settings.values().toString());
    }
}
