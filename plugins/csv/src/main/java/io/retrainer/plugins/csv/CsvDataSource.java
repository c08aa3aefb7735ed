package io.retrainer.plugins.csv;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.Settings;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Reads a CSV file with a header row, or every CSV file in a directory or matching a glob (one
 * header shared by all), gzip-compressed or not. Column types are inferred (numeric if every
 * present value is a number, categorical otherwise), except the label, whose type also follows the
 * {@code task} setting, and the columns named as timestamps. The fingerprint is the SHA-256 of the
 * file's (decompressed) bytes, or for a set of files the SHA-256 over each file's name and content hash.
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
        return "Reads a CSV file with a header row (or a directory or glob of them, gzip or not), inferring column types.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("path", SettingType.STRING,
                        "CSV file to read, or a directory (all *.csv and *.csv.gz in it, by name), or a glob such as "
                                + "data/2026-*.csv.gz; .gz files are decompressed; a relative path is resolved against the "
                                + "platform's working directory.")
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

    /**
     * The file's size and modification time, or for a directory or glob a hash over every file's
     * name, size and modification time: cheap, and changes whenever a file is added, removed or rewritten.
     */
    @Override
    public Optional<String> changeToken(Settings settings) throws IOException {
        return Optional.of(CsvOptions.from(settings).files().token());
    }
}
