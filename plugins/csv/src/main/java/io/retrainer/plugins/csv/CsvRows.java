package io.retrainer.plugins.csv;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams the records of a CSV file, checking each has as many fields as the header and turning
 * parser errors into messages with the file and line.
 *
 * <p>commons-csv does the parsing because RFC 4180 quoting (delimiters, doubled quotes and line
 * breaks inside quoted fields) is easy to get subtly wrong by hand.
 */
final class CsvRows implements AutoCloseable {
    private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");

    private final String shownPath;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private CSVRecord current;
    private long currentEndLine;
    private long failedLine;

    /**
     * Opens the stream and reads the header.
     *
     * @throws IOException if the file is empty or the header is unusable
     */
    CsvRows(InputStream in, String shownPath, String delimiter) throws IOException {
        this.shownPath = shownPath;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
        this.parser = CSVParser.parse(reader, format);
        this.records = parser.iterator();
        CSVRecord first = next();
        if (first == null) {
            throw new IOException(shownPath + " is empty: a header row with the column names is required");
        }
        this.header = headerNames(new ArrayList<>(first.toList()));
    }

    /** The file as messages name it. */
    String shownPath() {
        return shownPath;
    }

    /** The column names from the header row. */
    List<String> header() {
        return header;
    }

    /** The line the current record started on (1-based), or where the parser failed. */
    long line() {
        if (failedLine > 0) {
            return failedLine;
        }
        // The parser counts lines up to the record's end; a record spans more lines when a quoted
        // field holds line breaks, and the start is where an operator looks in an editor. Worked out
        // only when asked, because it means scanning every value.
        return currentEndLine - lineBreaks(current);
    }

    /**
     * The next record's fields, or {@code null} at the end.
     *
     * @throws IOException naming the line if the record is malformed
     */
    String[] nextFields() throws IOException {
        CSVRecord record = next();
        if (record == null) {
            return null;
        }
        if (record.size() != header.size()) {
            throw error("expected " + header.size() + " fields, found " + record.size());
        }
        return record.values();
    }

    /** An exception whose message starts with the file and the current line. */
    IOException error(String what) {
        return new IOException(shownPath + " line " + line() + ": " + what);
    }

    private CSVRecord next() throws IOException {
        long linesBefore = parser.getCurrentLineNumber();
        try {
            if (!records.hasNext()) {
                return null;
            }
            current = records.next();
            currentEndLine = parser.getCurrentLineNumber();
            return current;
        } catch (UncheckedIOException e) {
            Matcher m = START_LINE.matcher(String.valueOf(e.getCause().getMessage()));
            failedLine = m.find() ? Long.parseLong(m.group(1)) : linesBefore + 1;
            String detail = e.getCause().getMessage().replaceFirst("^\\(startline \\d+\\)\\s*", "");
            if (e.getCause() instanceof ZipException || e.getCause() instanceof EOFException) {
                // Raised by GZIPInputStream underneath the parser: the compressed data, not the CSV, is broken.
                throw error("truncated or corrupt gzip data (" + detail + ")");
            }
            throw error(detail.startsWith("EOF reached before encapsulated token finished")
                    ? "unterminated quoted field (a \" opened here is never closed)" : "malformed CSV: " + detail);
        }
    }

    private List<String> headerNames(List<String> names) throws IOException {
        if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
            // Spreadsheet exports often start with a UTF-8 byte order mark; it is not part of the name.
            names.set(0, names.get(0).substring(1));
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim();
            if (name.isEmpty()) {
                throw error("header column " + (i + 1) + " has no name");
            }
            if (names.subList(0, i).stream().map(String::trim).anyMatch(name::equals)) {
                throw error("header names column '" + name + "' twice");
            }
            names.set(i, name);
        }
        return List.copyOf(names);
    }

    private static long lineBreaks(CSVRecord record) {
        long breaks = 0;
        for (String value : record.values()) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\n' || c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n')) {
                    breaks++;
                }
            }
        }
        return breaks;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
