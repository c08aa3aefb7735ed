package io.retrainer.plugins.csv;

import io.retrainer.api.Settings;
import java.io.IOException;
import java.util.List;

/**
 * The {@code csv} source's settings, typed.
 *
 * @param shownPath the path as the pipeline gives it (a file, a directory or a glob), used in messages
 * @param label the label column
 * @param columns the feature columns to keep; empty keeps all
 * @param delimiter the field separator
 * @param task {@code auto}, {@code classification} or {@code regression}
 * @param timestampColumns columns to parse as timestamps
 */
record CsvOptions(String shownPath, String label, List<String> columns, String delimiter, String task,
                  List<String> timestampColumns) {

    static CsvOptions from(Settings settings) {
        String path = settings.requireString("path");
        String delimiter = settings.requireString("delimiter");
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException("csv: delimiter must not be empty");
        }
        return new CsvOptions(path, settings.requireString("label"),
                settings.list("columns"), delimiter, settings.requireString("task"), settings.list("timestamp_columns"));
    }

    /** The files the path names, resolved against the process working directory now. */
    CsvFiles files() throws IOException {
        return CsvFiles.resolve(shownPath);
    }
}
