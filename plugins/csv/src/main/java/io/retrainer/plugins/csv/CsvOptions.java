package io.retrainer.plugins.csv;

import io.retrainer.api.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code csv} source's settings, typed.
 *
 * @param file the file, resolved against the process working directory
 * @param shownPath the path as the pipeline gives it, used in messages
 * @param label the label column
 * @param columns the feature columns to keep; empty keeps all
 * @param delimiter the field separator
 * @param task {@code auto}, {@code classification} or {@code regression}
 * @param timestampColumns columns to parse as timestamps
 */
record CsvOptions(Path file, String shownPath, String label, List<String> columns, String delimiter, String task,
                  List<String> timestampColumns) {

    static CsvOptions from(Settings settings) {
        String path = settings.requireString("path");
        String delimiter = settings.requireString("delimiter");
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException("csv: delimiter must not be empty");
        }
        return new CsvOptions(Path.of(path).toAbsolutePath(), path, settings.requireString("label"),
                settings.list("columns"), delimiter, settings.requireString("task"), settings.list("timestamp_columns"));
    }
}
