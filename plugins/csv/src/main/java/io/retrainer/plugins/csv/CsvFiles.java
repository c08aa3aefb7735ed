package io.retrainer.plugins.csv;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files a {@code path} setting names: one file, every {@code *.csv} and {@code *.csv.gz} in a
 * directory (sorted by name), or the files a glob matches (sorted by path). Files ending in
 * {@code .gz} are decompressed on the fly.
 *
 * @param pattern the path as resolved against the working directory (may hold glob characters)
 * @param shownPath the path as the pipeline gives it, used in messages
 * @param multi whether the path is a directory or a glob (lineage then covers a set of named files)
 * @param files the files, in reading order
 */
record CsvFiles(Path pattern, String shownPath, boolean multi, List<CsvFile> files) {
    private static final String GLOB_CHARS = "*?[{";

    /**
     * One file of the set.
     *
     * @param path the absolute path
     * @param shownPath how messages name it: relative when the setting was relative
     */
    record CsvFile(Path path, String shownPath) {
        boolean gzip() {
            return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        }

        /**
         * Opens the decompressed content; {@code counter} sees the raw (compressed) bytes, for progress.
         *
         * @throws IOException naming the file if it is not gzip data though named {@code .gz}
         */
        InputStream open(long[] counter) throws IOException {
            InputStream raw = new BufferedInputStream(new Counting(Files.newInputStream(path), counter), 1 << 16);
            if (!gzip()) {
                return raw;
            }
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new IOException(shownPath + " is named .gz but is not gzip data (" + e.getMessage() + ")", e);
            }
        }

        long size() throws IOException {
            return Files.size(path);
        }
    }

    /**
     * Finds the files. A missing single file is not an error here (the caller says so when loading),
     * so that a change token can still be taken of a directory that is empty for now.
     *
     * @throws IOException if a directory cannot be listed
     */
    static CsvFiles resolve(String given) throws IOException {
        Path absolute = Path.of(given).toAbsolutePath().normalize();
        boolean relative = !Path.of(given).isAbsolute();
        if (isGlob(given)) {
            return new CsvFiles(absolute, given, true, glob(absolute, relative));
        }
        if (Files.isDirectory(absolute)) {
            List<CsvFile> files = new ArrayList<>();
            try (Stream<Path> entries = Files.list(absolute)) {
                entries.filter(CsvFiles::isCsvName).filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .forEach(p -> files.add(new CsvFile(p, shown(p, relative))));
            }
            return new CsvFiles(absolute, given, true, List.copyOf(files));
        }
        return new CsvFiles(absolute, given, false, List.of(new CsvFile(absolute, given)));
    }

    /** Whether the setting is a glob rather than a file or directory name. */
    static boolean isGlob(String given) {
        return given.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
    }

    /** Data files in a directory: {@code .csv} or {@code .csv.gz}, not hidden (tools write partial files as dot files). */
    private static boolean isCsvName(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".csv") || lower.endsWith(".csv.gz"));
    }

    private static List<CsvFile> glob(Path absolute, boolean relative) throws IOException {
        // Walk only from the deepest directory without glob characters, and only as deep as the
        // pattern reaches ('**' reaches any depth), so a pattern never scans the whole disk.
        Path base = absolute.getRoot();
        int rest = 0;
        boolean anyDepth = false;
        boolean inPattern = false;
        for (Path segment : absolute) {
            String s = segment.toString();
            if (!inPattern && !isGlob(s)) {
                base = base.resolve(s);
            } else {
                inPattern = true;
                rest++;
                anyDepth |= s.contains("**");
            }
        }
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        List<CsvFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, anyDepth ? Integer.MAX_VALUE : rest)) {
            walk.filter(matcher::matches).filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .forEach(p -> files.add(new CsvFile(p, shown(p, relative))));
        }
        return List.copyOf(files);
    }

    private static String shown(Path file, boolean relative) {
        return relative ? Path.of("").toAbsolutePath().relativize(file).toString() : file.toString();
    }

    /**
     * A cheap token that changes when any file is added, removed, rewritten or grows: for one file
     * its size and modification time (as before directories were supported), for a set a hash over
     * every file's name, size and modification time.
     */
    String token() throws IOException {
        if (!multi) {
            Path file = files.get(0).path();
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        }
        MessageDigest digest = sha256();
        for (CsvFile f : files) {
            String entry = f.path() + "\t" + Files.size(f.path()) + "\t" + Files.getLastModifiedTime(f.path()).toMillis() + "\n";
            digest.update(entry.getBytes(StandardCharsets.UTF_8));
        }
        return files.size() + " files:" + HexFormat.of().formatHex(digest.digest());
    }

    /** The sum of the files' sizes on disk, for progress. */
    long totalBytes() throws IOException {
        long total = 0;
        for (CsvFile f : files) {
            total += f.size();
        }
        return Math.max(1, total);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** Counts the bytes read through it into {@code counter[0]}. */
    private static final class Counting extends FilterInputStream {
        private final long[] counter;

        Counting(InputStream in, long[] counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter[0] += n;
            }
            return n;
        }
    }
}
