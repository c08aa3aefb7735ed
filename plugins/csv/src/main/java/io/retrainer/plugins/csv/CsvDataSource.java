package io.retrainer.plugins.csv;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Settings;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Reads a CSV file with a header row. Column types are inferred (numeric if every present value is
 * a number, categorical otherwise), except the label, whose type also follows the {@code task}
 * setting, and the columns named as timestamps. The fingerprint is the SHA-256 of the file bytes.
 */
@Extension
public final class CsvDataSource implements DataSource {
    static final String ID = "csv";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Reads a CSV file with a header row, inferring column types.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("path", SettingType.STRING,
                        "CSV file to read; a relative path is resolved against the platform's working directory.")
                .required("label", SettingType.STRING, "Column the model learns to predict.")
                .optional("columns", SettingType.STRING_LIST, null,
                        "Feature columns to keep (the label is always kept); all columns when not given.")
                .optional("delimiter", SettingType.STRING, ",", "Field separator.")
                .choice("task", "auto", List.of("auto", "classification", "regression"),
                        "What the label is: auto treats a numeric label with at most " + ColumnProfile.MAX_CLASS_CODES
                                + " distinct whole values as classes, else as a number to regress.")
                .optional("timestamp_columns", SettingType.STRING_LIST, null,
                        "Columns holding ISO-8601 dates or date-times (UTC unless an offset is given) or epoch milliseconds.")
                .build();
    }

    @Override
    public Dataset load(StageContext context) throws IOException {
        return new CsvLoader(CsvOptions.from(context.settings()), context).load();
    }

    /** The file's size and modification time: cheap, and changes whenever the file is rewritten. */
    @Override
    public Optional<String> changeToken(Settings settings) throws IOException {
        return Optional.of(token(CsvOptions.from(settings).file()));
    }

    static String token(Path file) throws IOException {
        return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
    }
}
