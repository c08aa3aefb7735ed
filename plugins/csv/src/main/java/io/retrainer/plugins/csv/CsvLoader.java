package io.retrainer.plugins.csv;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * Loads a CSV file, or a set of them sharing one header, in two streaming passes: the first
 * checks the structure and infers each column's type, the second converts the values. Two passes
 * over the data cost far less memory
 * than holding every cell as text until the types are known, which matters at millions of rows.
 * Gzip files are decompressed on the fly in both passes.
 */
final class CsvLoader {
    private static final int REPORT_EVERY = 10_000;

    private final CsvOptions options;
    private final StageContext context;

    CsvLoader(CsvOptions options, StageContext context) {
        this.options = options;
        this.context = context;
    }

    /** How one kept column's text becomes a value. */
    private enum Conversion { NUMBER, TIMESTAMP, TEXT, CLASS_CODE }

    /** The kept columns: where each sits in the file, and how its values are converted. */
    private record Plan(Schema schema, int[] sourceIndex, Conversion[] conversions, int rows) {
    }

    Dataset load() throws IOException {
        CsvFiles files = options.files();
        if (files.files().isEmpty()) {
            throw new IOException("csv: no " + (CsvFiles.isGlob(options.shownPath()) ? "files match " + options.shownPath()
                    : "*.csv or *.csv.gz files in directory " + options.shownPath()) + " (looked at " + files.pattern() + ")");
        }
        for (CsvFiles.CsvFile f : files.files()) {
            if (!Files.isRegularFile(f.path())) {
                throw new IOException("csv: file " + f.shownPath() + " not found (looked at " + f.path() + ")");
            }
        }
        String tokenBefore = files.token();
        Plan plan = inferPlan(files);
        Dataset data = read(plan, files);
        if (!tokenBefore.equals(files.token())) {
            throw new IOException(options.shownPath() + " changed while it was being loaded; run again once it is complete");
        }
        String from = files.multi() ? files.files().size() + " file(s) at " + options.shownPath() : options.shownPath();
        context.log().info("loaded " + data.rowCount() + " rows, " + plan.schema().columns().size() + " columns from " + from);
        context.progress(1.0, "loaded " + data.rowCount() + " rows");
        return data;
    }

    private Plan inferPlan(CsvFiles files) throws IOException {
        long size = files.totalBytes();
        long[] bytesRead = {0};
        List<String> header = null;
        String headerFile = null;
        int[] kept = null;
        ColumnProfile[] profiles = null;
        int count = 0;
        for (CsvFiles.CsvFile file : files.files()) {
            try (InputStream in = file.open(bytesRead);
                 CsvRows rows = new CsvRows(in, file.shownPath(), options.delimiter())) {
                if (header == null) {
                    header = rows.header();
                    headerFile = file.shownPath();
                    kept = keptColumns(header, headerFile);
                    profiles = new ColumnProfile[kept.length];
                    for (int k = 0; k < kept.length; k++) {
                        profiles[k] = new ColumnProfile();
                    }
                } else if (!header.equals(rows.header())) {
                    throw new IOException("csv: " + file.shownPath() + " has the header " + rows.header() + " but "
                            + headerFile + " has " + header + "; every file at " + options.shownPath() + " must have the same columns in the same order");
                }
                for (String[] fields = rows.nextFields(); fields != null; fields = rows.nextFields()) {
                    for (int k = 0; k < kept.length; k++) {
                        String raw = fields[kept[k]];
                        if (!Values.isMissing(raw)) {
                            profiles[k].observe(raw, rows);
                        }
                    }
                    if (++count % REPORT_EVERY == 0) {
                        checkCancelled();
                        context.progress(0.5 * Math.min(1.0, (double) bytesRead[0] / size), "checked " + count + " rows");
                    }
                }
            }
        }
        if (count == 0) {
            throw new IOException(options.shownPath() + " has a header but no data rows");
        }
        return plan(header, kept, profiles, count, files.multi());
    }

    /**
     * Converts the values. The fingerprint of one file is the SHA-256 of its (decompressed) bytes,
     * as it always was; for a directory or glob it is the SHA-256 over each file's name and content
     * hash in reading order, so renaming, adding or removing a file changes it too.
     */
    private Dataset read(Plan plan, CsvFiles files) throws IOException {
        MessageDigest overall = CsvFiles.sha256();
        Dataset.Builder builder = Dataset.builder(plan.schema());
        int width = plan.sourceIndex().length;
        long[] bytesRead = {0};
        for (CsvFiles.CsvFile file : files.files()) {
            MessageDigest sha256 = CsvFiles.sha256();
            try (InputStream in = new DigestInputStream(file.open(bytesRead), sha256);
                 CsvRows rows = new CsvRows(in, file.shownPath(), options.delimiter())) {
                for (String[] fields = rows.nextFields(); fields != null; fields = rows.nextFields()) {
                    Object[] row = new Object[width];
                    for (int k = 0; k < width; k++) {
                        String raw = fields[plan.sourceIndex()[k]];
                        row[k] = Values.isMissing(raw) ? null : convert(raw, plan.conversions()[k], plan.schema().columns().get(k), rows);
                    }
                    builder.addRow(row);
                    if (builder.size() % REPORT_EVERY == 0) {
                        checkCancelled();
                        context.progress(0.5 + 0.5 * builder.size() / plan.rows(), "read " + builder.size() + " rows");
                    }
                }
                // The parser may stop at the last record before the stream's end (a trailing blank
                // line); the content hash must cover every byte.
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!files.multi()) {
                return builder.fingerprint(HexFormat.of().formatHex(sha256.digest())).build();
            }
            String entry = file.path().getFileName() + "\t" + HexFormat.of().formatHex(sha256.digest()) + "\n";
            overall.update(entry.getBytes(StandardCharsets.UTF_8));
        }
        return builder.fingerprint(HexFormat.of().formatHex(overall.digest())).build();
    }

    private static Object convert(String raw, Conversion conversion, Column column, CsvRows rows) throws IOException {
        switch (conversion) {
            case TEXT:
                return raw;
            case TIMESTAMP:
                try {
                    return Values.parseTimestamp(raw);
                } catch (IllegalArgumentException e) {
                    throw rows.error("column '" + column.name() + "': " + e.getMessage());
                }
            default:
                double v = Values.parseNumber(raw);
                if (Double.isNaN(v)) {
                    // The first pass found only numbers here, so the file changed in between.
                    throw rows.error("column '" + column.name() + "': '" + raw + "' is not a number; did the file change while loading?");
                }
                return conversion == Conversion.NUMBER ? (Object) v : canonical(v, raw);
        }
    }

    /** A class code written as 1, 1.0 or 01 is one class: render whole numbers without decimals. */
    private static String canonical(double v, String raw) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : raw.trim();
    }

    /** Positions in the file of the columns to keep, in file order; checks every named column exists. */
    private int[] keptColumns(List<String> header, String file) throws IOException {
        Set<String> wanted = new LinkedHashSet<>(options.columns());
        List<String> unknown = new ArrayList<>();
        if (!header.contains(options.label())) {
            throw new IOException("csv: label column '" + options.label() + "' is not in " + file
                    + " (available: " + String.join(", ", header) + ")");
        }
        for (String name : options.columns()) {
            if (!header.contains(name)) {
                unknown.add(name);
            }
        }
        for (String name : options.timestampColumns()) {
            if (!header.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException("csv: column(s) " + String.join(", ", unknown) + " not in " + file
                    + " (available: " + String.join(", ", header) + ")");
        }
        return IntStream.range(0, header.size())
                .filter(i -> wanted.isEmpty() || wanted.contains(header.get(i)) || header.get(i).equals(options.label()))
                .toArray();
    }

    private Plan plan(List<String> header, int[] kept, ColumnProfile[] profiles, int rows, boolean multi) throws IOException {
        List<Column> columns = new ArrayList<>();
        Conversion[] conversions = new Conversion[kept.length];
        for (int k = 0; k < kept.length; k++) {
            String name = header.get(kept[k]);
            ColumnProfile p = profiles[k];
            Conversion c;
            if (name.equals(options.label())) {
                c = labelConversion(name, p, multi);
            } else if (options.timestampColumns().contains(name)) {
                c = Conversion.TIMESTAMP;
            } else {
                c = p.numeric() ? Conversion.NUMBER : Conversion.TEXT;
            }
            conversions[k] = c;
            columns.add(new Column(name, switch (c) {
                case NUMBER -> ColumnType.NUMERIC;
                case TIMESTAMP -> ColumnType.TIMESTAMP;
                default -> ColumnType.CATEGORICAL;
            }));
        }
        return new Plan(new Schema(columns, options.label()), kept, conversions, rows);
    }

    private Conversion labelConversion(String name, ColumnProfile p, boolean multi) throws IOException {
        if (options.timestampColumns().contains(name)) {
            throw new IOException("csv: the label '" + name + "' cannot be a timestamp column");
        }
        switch (options.task()) {
            case "regression":
                if (!p.numeric()) {
                    throw new IOException("csv: task is regression but label '" + name + "' in " + options.shownPath()
                            + " is not numeric: " + p.firstTextWithLine(multi));
                }
                return Conversion.NUMBER;
            case "classification":
                return p.numeric() ? Conversion.CLASS_CODE : Conversion.TEXT;
            default:
                if (!p.numeric()) {
                    return Conversion.TEXT;
                }
                return p.looksLikeClassCodes() ? Conversion.CLASS_CODE : Conversion.NUMBER;
        }
    }

    private void checkCancelled() {
        if (context.isCancelled()) {
            throw new CancellationException("csv: loading " + options.shownPath() + " was cancelled");
        }
    }
}
