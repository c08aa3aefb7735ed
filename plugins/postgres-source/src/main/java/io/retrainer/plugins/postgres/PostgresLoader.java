package io.retrainer.plugins.postgres;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.StageContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Runs the query through a server-side cursor (autocommit off, a fetch size), so rows arrive in
 * batches and never all at once in the driver, and collects them column by column.
 *
 * <p>Column types come from the result's metadata. The rows are kept in this loader's own column
 * buffers rather than going straight into a {@link Dataset.Builder}, because with {@code task: auto}
 * the label's type (class codes or a number) is only known after the last row.
 *
 * <p>The fingerprint is the SHA-256 over the column names and types and then every value in the
 * order the server sent them: stable only if the query fixes the order (ORDER BY).
 */
final class PostgresLoader {
    /** A numeric label with at most this many distinct whole values is taken as class codes (as the csv source does). */
    static final int MAX_CLASS_CODES = 20;
    private static final int REPORT_EVERY = 10_000;

    private final PostgresOptions options;
    private final StageContext context;

    PostgresLoader(PostgresOptions options, StageContext context) {
        this.options = options;
        this.context = context;
    }

    /** How one result column is read. */
    private enum Reader { NUMBER, BOOLEAN, TEXT, TIMESTAMP_TZ, TIMESTAMP_LOCAL, DATE }

    Dataset load() throws SQLException {
        try (Connection connection = SqlErrors.connect(options)) {
            // A cursor needs a transaction; read-only because a data source must never change data.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(options.query(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
                 CancelWatch watch = new CancelWatch(statement, context)) {
                statement.setFetchSize(options.fetchSize());
                context.progress(0.0, "running the query on " + options.shownUrl());
                Dataset data;
                try (ResultSet rs = statement.executeQuery()) {
                    data = read(rs);
                } catch (SQLException e) {
                    if (context.isCancelled()) {
                        throw new CancellationException("postgres: the query was cancelled");
                    }
                    throw SqlErrors.queryFailed(options, options.query(), 0, e);
                }
                connection.rollback();
                context.log().info("loaded " + data.rowCount() + " rows, " + data.schema().columns().size()
                        + " columns from " + options.shownUrl());
                context.progress(1.0, "loaded " + data.rowCount() + " rows");
                return data;
            }
        }
    }

    private Dataset read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(meta.getColumnLabel(i));
        }
        int labelIndex = names.indexOf(options.label());
        if (labelIndex < 0) {
            throw new IllegalArgumentException("postgres: label column '" + options.label() + "' is not among the query's columns"
                    + " (available: " + String.join(", ", names) + ")");
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("postgres: the query returns two columns called '" + name
                        + "'; give them distinct names with AS");
            }
        }
        Reader[] readers = new Reader[n];
        ColumnType[] types = new ColumnType[n];
        for (int c = 0; c < n; c++) {
            readers[c] = reader(meta, c + 1);
            types[c] = switch (readers[c]) {
                case NUMBER -> ColumnType.NUMERIC;
                case BOOLEAN, TEXT -> ColumnType.CATEGORICAL;
                default -> ColumnType.TIMESTAMP;
            };
        }
        if (types[labelIndex] == ColumnType.TIMESTAMP) {
            throw new IllegalArgumentException("postgres: the label '" + options.label() + "' cannot be a timestamp column");
        }
        if (options.task().equals("regression") && types[labelIndex] != ColumnType.NUMERIC) {
            throw new IllegalArgumentException("postgres: task is regression but label '" + options.label() + "' has SQL type "
                    + meta.getColumnTypeName(labelIndex + 1) + "; cast it to a number in the query");
        }

        Fingerprint fingerprint = new Fingerprint();
        for (int c = 0; c < n; c++) {
            fingerprint.text(names.get(c));
            fingerprint.text(types[c].name());
        }
        Buffers buffers = new Buffers(types);
        int rows = 0;
        while (rs.next()) {
            for (int c = 0; c < n; c++) {
                if (types[c].isNumericStorage()) {
                    double v = number(rs, c + 1, readers[c]);
                    buffers.numbers[c] = grow(buffers.numbers[c], rows);
                    buffers.numbers[c][rows] = v;
                    fingerprint.number(v);
                } else {
                    String v = readers[c] == Reader.BOOLEAN ? bool(rs, c + 1) : rs.getString(c + 1);
                    buffers.strings[c] = grow(buffers.strings[c], rows);
                    buffers.strings[c][rows] = v;
                    fingerprint.text(v);
                }
            }
            if (++rows % REPORT_EVERY == 0) {
                if (context.isCancelled()) {
                    throw new CancellationException("postgres: loading was cancelled after " + rows + " rows");
                }
                // The total is unknown without a second query; the message carries the count.
                context.progress(0.0, "read " + rows + " rows");
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("postgres: the query returned no rows");
        }
        return build(names, types, buffers, rows, labelIndex, fingerprint.hex());
    }

    private Dataset build(List<String> names, ColumnType[] types, Buffers buffers, int rows, int labelIndex, String fingerprint) {
        // The label: a numeric label is a class when asked for, or (auto) when it holds a few whole numbers.
        boolean labelAsClasses = types[labelIndex] == ColumnType.NUMERIC && switch (options.task()) {
            case "classification" -> true;
            case "regression" -> false;
            default -> looksLikeClassCodes(buffers.numbers[labelIndex], rows);
        };
        if (labelAsClasses) {
            String[] codes = new String[rows];
            double[] values = buffers.numbers[labelIndex];
            for (int r = 0; r < rows; r++) {
                codes[r] = Double.isNaN(values[r]) ? null : canonical(values[r]);
            }
            types[labelIndex] = ColumnType.CATEGORICAL;
            buffers.strings[labelIndex] = codes;
            buffers.numbers[labelIndex] = null;
        }
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < types.length; c++) {
            columns.add(new Column(names.get(c), types[c]));
        }
        Dataset.Builder builder = Dataset.builder(new Schema(columns, options.label())).fingerprint(fingerprint);
        Object[] row = new Object[types.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < types.length; c++) {
                if (buffers.numbers[c] != null) {
                    double v = buffers.numbers[c][r];
                    row[c] = Double.isNaN(v) ? null : (Object) v;
                } else {
                    row[c] = buffers.strings[c][r];
                }
            }
            builder.addRow(row);
        }
        return builder.build();
    }

    private Reader reader(ResultSetMetaData meta, int column) throws SQLException {
        int type = meta.getColumnType(column);
        String typeName = meta.getColumnTypeName(column);
        switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
                 Types.NUMERIC, Types.DECIMAL:
                return Reader.NUMBER;
            case Types.BIT, Types.BOOLEAN:
                return Reader.BOOLEAN;
            case Types.DATE:
                return Reader.DATE;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
                // pgjdbc reports both timestamp kinds as TIMESTAMP; the type name tells them apart.
                return "timestamptz".equalsIgnoreCase(typeName) || type == Types.TIMESTAMP_WITH_TIMEZONE
                        ? Reader.TIMESTAMP_TZ : Reader.TIMESTAMP_LOCAL;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.ARRAY, Types.STRUCT:
                throw new IllegalArgumentException("postgres: column '" + meta.getColumnLabel(column) + "' has SQL type "
                        + typeName + ", which cannot be a feature; convert it in the query (for example "
                        + meta.getColumnLabel(column) + "::text) or leave it out");
            default:
                // char, varchar, text, enums, uuid, json, time, interval: their text form, as categories.
                return Reader.TEXT;
        }
    }

    private static double number(ResultSet rs, int column, Reader reader) throws SQLException {
        switch (reader) {
            case NUMBER: {
                double v = rs.getDouble(column);
                return rs.wasNull() ? Double.NaN : v;
            }
            case TIMESTAMP_TZ: {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                return t == null || isInfinite(t.toLocalDateTime()) ? Double.NaN : t.toInstant().toEpochMilli();
            }
            case TIMESTAMP_LOCAL: {
                // As the csv source does: a date-time without offset is taken as UTC, whatever the JVM's zone.
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                return t == null || isInfinite(t) ? Double.NaN : t.toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            default: {
                LocalDate d = rs.getObject(column, LocalDate.class);
                return d == null || d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)
                        ? Double.NaN : d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
        }
    }

    /** pgjdbc maps 'infinity' and '-infinity' to the extreme values; they are no point in time a model can use. */
    private static boolean isInfinite(LocalDateTime t) {
        return t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN);
    }

    private static String bool(ResultSet rs, int column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : Boolean.toString(v);
    }

    static boolean looksLikeClassCodes(double[] values, int rows) {
        Set<Double> distinct = new HashSet<>();
        for (int r = 0; r < rows; r++) {
            double v = values[r];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v != Math.rint(v) || (distinct.add(v) && distinct.size() > MAX_CLASS_CODES)) {
                return false;
            }
        }
        return true;
    }

    /** A class code 1 read as 1.0 is the class "1". */
    private static String canonical(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static double[] grow(double[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length * 2));
    }

    private static String[] grow(String[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length * 2));
    }

    /** Per column, either numbers (numeric and timestamp) or strings. */
    private static final class Buffers {
        final double[][] numbers;
        final String[][] strings;

        Buffers(ColumnType[] types) {
            numbers = new double[types.length][];
            strings = new String[types.length][];
            for (int c = 0; c < types.length; c++) {
                if (types[c].isNumericStorage()) {
                    numbers[c] = new double[16];
                } else {
                    strings[c] = new String[16];
                }
            }
        }
    }

    /** SHA-256 over a stream of typed values, batched through a buffer. */
    private static final class Fingerprint {
        private final MessageDigest digest;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        Fingerprint() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime must provide SHA-256", e);
            }
        }

        void number(double v) {
            room(9);
            // One NaN for every missing value, so equal data hash equally.
            buffer.put((byte) 'n').putLong(Double.isNaN(v) ? 0x7ff8000000000000L : Double.doubleToLongBits(v));
        }

        void text(String v) {
            if (v == null) {
                room(5);
                buffer.put((byte) 's').putInt(-1);
                return;
            }
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            room(5);
            buffer.put((byte) 's').putInt(bytes.length);
            if (bytes.length > buffer.remaining()) {
                flush();
                digest.update(bytes);
            } else {
                buffer.put(bytes);
            }
        }

        String hex() {
            flush();
            return HexFormat.of().formatHex(digest.digest());
        }

        private void room(int bytes) {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        private void flush() {
            buffer.flip();
            digest.update(buffer);
            buffer.clear();
        }
    }
}
