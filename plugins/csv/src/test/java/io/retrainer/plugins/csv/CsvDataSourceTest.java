package io.retrainer.plugins.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Task;
import io.retrainer.api.testing.TestStageContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataSourceTest {
    /** Relative on purpose: surefire runs in the module directory, so this also tests path resolution. */
    private static final String BREAST_CANCER = "src/test/resources/breast_cancer.csv";
    private static final String WINE = "src/test/resources/wine.csv";
    private static final String DIABETES = "src/test/resources/diabetes_progression.csv";

    private final CsvDataSource source = new CsvDataSource();

    @TempDir
    Path dir;

    private TestStageContext context(String path, String label, Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("path", path);
        config.put("label", label);
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return TestStageContext.of(source.configSpec(), config);
    }

    private Dataset load(String path, String label, Object... extra) throws Exception {
        return source.load(context(path, label, extra));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private String loadFailure(Path file, String label, Object... extra) {
        return assertThrows(Exception.class, () -> load(file.toString(), label, extra)).getMessage();
    }

    private static Set<String> distinctStrings(Dataset data, String column) {
        int c = data.schema().indexOf(column);
        Set<String> values = new HashSet<>();
        for (int r = 0; r < data.rowCount(); r++) {
            values.add(data.string(c, r));
        }
        return values;
    }

    @Test
    void breastCancerHas30NumericFeaturesAndACategoricalLabel() throws Exception {
        TestStageContext context = context(BREAST_CANCER, "diagnosis");
        Dataset data = source.load(context);

        assertEquals(569, data.rowCount());
        assertEquals(31, data.schema().columns().size());
        List<Column> features = data.schema().features();
        assertEquals(30, features.size());
        assertTrue(features.stream().allMatch(c -> c.type() == ColumnType.NUMERIC), features.toString());
        assertEquals(ColumnType.CATEGORICAL, data.schema().column("diagnosis").orElseThrow().type());
        assertEquals(Task.CLASSIFICATION, data.schema().task().orElseThrow());
        assertEquals(Set.of("malignant", "benign"), distinctStrings(data, "diagnosis"));
        assertEquals(17.99, data.number(data.schema().indexOf("mean_radius"), 0), 1e-12);
        assertTrue(context.logLines().contains("INFO loaded 569 rows, 31 columns from " + BREAST_CANCER), context.logLines().toString());
        assertEquals(1.0, context.lastProgress());
    }

    @Test
    void fingerprintIsStableAndFollowsTheContent() throws Exception {
        Path copy = Files.copy(Path.of(BREAST_CANCER), dir.resolve("bc.csv"));
        String first = load(copy.toString(), "diagnosis").fingerprint();
        String token = source.changeToken(context(copy.toString(), "diagnosis").settings()).orElseThrow();

        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, load(copy.toString(), "diagnosis").fingerprint());

        List<String> lines = Files.readAllLines(copy);
        Files.writeString(copy, lines.get(1) + "\n", StandardOpenOption.APPEND);
        assertNotEquals(first, load(copy.toString(), "diagnosis").fingerprint());
        assertNotEquals(token, source.changeToken(context(copy.toString(), "diagnosis").settings()).orElseThrow());
    }

    @Test
    void wrongFieldCountNamesFileAndLine() throws Exception {
        // the quoted field spans lines 2-3, so the short row is on line 4
        Path file = write("x.csv", "a,b,c\n1,\"two\nlines\",3\n4,5\n");
        assertEquals(file + " line 4: expected 3 fields, found 2", loadFailure(file, "c"));
    }

    @Test
    void unterminatedQuoteNamesTheLine() throws Exception {
        Path file = write("x.csv", "a,b\n1,2\n\n3,\"4\n5,6\n");
        String message = loadFailure(file, "b");
        assertTrue(message.startsWith(file + " line 4: unterminated quoted field"), message);
    }

    @Test
    void unparsableTimestampNamesLineAndColumn() throws Exception {
        Path file = write("t.csv", "when,y\n2024-05-01,a\n2024-05-01T10:15:30,b\nyesterday,a\n");
        String message = loadFailure(file, "y", "timestamp_columns", List.of("when"));
        assertTrue(message.startsWith(file + " line 4: column 'when': 'yesterday' is not a timestamp"), message);
    }

    @Test
    void timestampsAndMissingValuesAreParsed() throws Exception {
        Path file = write("t.csv", "when,x,colour,y\n"
                + "2024-05-01,1.5,red,a\n"
                + "2024-05-01T00:00:01Z,NA,?,b\n"
                + "1714521600000,null,NULL,a\n"
                + ",nan,,b\n");
        Dataset data = load(file.toString(), "y", "timestamp_columns", List.of("when"));

        assertEquals(List.of(new Column("when", ColumnType.TIMESTAMP), new Column("x", ColumnType.NUMERIC),
                new Column("colour", ColumnType.CATEGORICAL), new Column("y", ColumnType.CATEGORICAL)), data.schema().columns());
        assertEquals(1714521600000.0, data.number(0, 0));
        assertEquals(1714521601000.0, data.number(0, 1));
        assertEquals(1714521600000.0, data.number(0, 2));
        assertTrue(data.isMissing(0, 3));
        assertEquals(1.5, data.number(1, 0));
        for (int row = 1; row < 4; row++) {
            assertTrue(data.isMissing(1, row), "x row " + row);
            assertTrue(data.isMissing(2, row), "colour row " + row);
        }
    }

    @Test
    void missingLabelListsAvailableColumns() throws Exception {
        Path file = write("x.csv", "a,b,c\n1,2,3\n");
        String message = loadFailure(file, "nope");
        assertTrue(message.contains("label column 'nope'"), message);
        assertTrue(message.contains("available: a, b, c"), message);
    }

    @Test
    void unknownSelectedColumnListsAvailableColumns() throws Exception {
        Path file = write("x.csv", "a,b,c\n1,2,3\n");
        String message = loadFailure(file, "c", "columns", List.of("a", "zz"));
        assertTrue(message.contains("zz not in"), message);
        assertTrue(message.contains("available: a, b, c"), message);
    }

    @Test
    void selectedColumnsKeepTheLabel() throws Exception {
        Dataset data = load(WINE, "cultivar", "columns", List.of("proline", "alcohol"));
        assertEquals(List.of("alcohol", "proline", "cultivar"),
                data.schema().columns().stream().map(Column::name).toList());
    }

    @Test
    void emptyFileAndHeaderOnlyAreExplained() throws Exception {
        assertTrue(loadFailure(write("e.csv", ""), "y").contains("is empty: a header row"));
        assertTrue(loadFailure(write("h.csv", "x,y\n"), "y").contains("has a header but no data rows"));
    }

    @Test
    void autoTaskMakesWineCultivarCategorical() throws Exception {
        Dataset data = load(WINE, "cultivar");
        assertEquals(178, data.rowCount());
        assertEquals(ColumnType.CATEGORICAL, data.schema().column("cultivar").orElseThrow().type());
        assertEquals(Set.of("class_0", "class_1", "class_2"), distinctStrings(data, "cultivar"));
    }

    @Test
    void autoTaskTakesFewWholeNumbersAsClassCodes() throws Exception {
        Path file = write("codes.csv", "x,y\n0.5,0\n1.5,1.0\n2.5,2\n3.5,1\n");
        Dataset data = load(file.toString(), "y");
        assertEquals(ColumnType.CATEGORICAL, data.schema().column("y").orElseThrow().type());
        assertEquals(Set.of("0", "1", "2"), distinctStrings(data, "y"));
    }

    @Test
    void autoTaskKeepsAContinuousLabelNumeric() throws Exception {
        Dataset data = load(DIABETES, "progression");
        assertEquals(442, data.rowCount());
        assertEquals(Task.REGRESSION, data.schema().task().orElseThrow());
        // sex is coded 1/2 but is a feature: only the label gets the class-code rule
        assertEquals(ColumnType.NUMERIC, data.schema().column("sex").orElseThrow().type());
    }

    @Test
    void taskSettingOverridesInference() throws Exception {
        Path file = write("codes.csv", "x,y\n0.5,0\n1.5,1\n");
        assertEquals(Task.REGRESSION, load(file.toString(), "y", "task", "regression").schema().task().orElseThrow());
        assertEquals(Task.CLASSIFICATION, load(DIABETES, "progression", "task", "classification").schema().task().orElseThrow());

        String message = assertThrows(Exception.class, () -> load(BREAST_CANCER, "diagnosis", "task", "regression")).getMessage();
        assertTrue(message.contains("label 'diagnosis'"), message);
        assertTrue(message.contains("is not numeric: 'malignant' on line 2"), message);
    }

    @Test
    void quotedFieldsFollowRfc4180AndOtherDelimitersWork() throws Exception {
        Path file = write("q.csv", "name;y\n\"Smith; John \"\"JJ\"\"\";a\nplain;b\n");
        Dataset data = load(file.toString(), "y", "delimiter", ";");
        assertEquals("Smith; John \"JJ\"", data.string(0, 0));
    }

    // --- directories, globs and gzip ---

    /** Writes {@code lines} (header first) to {@code file}, gzip-compressed if its name ends in .gz. */
    private static Path writeLines(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        return file;
    }

    /** breast_cancer.csv cut into three files: rows 1-200, 201-400, 401-569, each with the header. */
    private Path splitBreastCancer(Path target, String... names) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(BREAST_CANCER));
        String header = lines.get(0);
        int[] cuts = {1, 201, 401, lines.size()};
        for (int i = 0; i < 3; i++) {
            List<String> part = new ArrayList<>();
            part.add(header);
            part.addAll(lines.subList(cuts[i], cuts[i + 1]));
            writeLines(target.resolve(names[i]), part);
        }
        return target;
    }

    private static void assertSameRows(Dataset expected, Dataset actual) {
        assertEquals(expected.schema(), actual.schema());
        assertEquals(expected.rowCount(), actual.rowCount());
        for (int r = 0; r < expected.rowCount(); r++) {
            for (int c = 0; c < expected.schema().columns().size(); c++) {
                assertEquals(expected.value(c, r), actual.value(c, r), "row " + r + " column " + c);
            }
        }
    }

    @Test
    void directoryReadsEveryCsvAndGzipFileSortedByName() throws Exception {
        // a < b < c keeps the original row order; upper-case .CSV counts too
        Path data = splitBreastCancer(dir.resolve("data"), "part-a.csv", "part-b.csv.gz", "part-c.CSV");
        Files.writeString(data.resolve("notes.txt"), "not data");
        Files.writeString(data.resolve(".part-d.csv"), "half,written");
        Files.createDirectories(data.resolve("sub.csv"));

        TestStageContext context = context(data.toString(), "diagnosis");
        Dataset all = source.load(context);

        assertSameRows(load(BREAST_CANCER, "diagnosis"), all);
        assertTrue(context.logLines().contains("INFO loaded 569 rows, 31 columns from 3 file(s) at " + data), context.logLines().toString());
    }

    @Test
    void filesAreReadInNameOrder() throws Exception {
        // the first rows of the data set go into the file whose name sorts last
        Path data = splitBreastCancer(dir.resolve("data"), "z.csv", "m.csv", "a.csv");
        Dataset all = load(data.toString(), "diagnosis");
        Dataset original = load(BREAST_CANCER, "diagnosis");
        int radius = all.schema().indexOf("mean_radius");
        assertEquals(original.number(radius, 400), all.number(radius, 0));
        assertEquals(original.number(radius, 0), all.number(radius, 369));
    }

    @Test
    void globSelectsMatchingFilesOnly() throws Exception {
        Path data = splitBreastCancer(dir.resolve("data"), "2026-01.csv.gz", "2026-02.csv.gz", "2025-12.csv.gz");
        Dataset only2026 = load(data + "/2026-*.csv.gz", "diagnosis");
        assertEquals(200 + 200, only2026.rowCount());

        Dataset nested = load(dir + "/**/2025-*.csv.gz", "diagnosis");
        assertEquals(169, nested.rowCount());

        String message = assertThrows(Exception.class, () -> load(data + "/2027-*.csv", "diagnosis")).getMessage();
        assertTrue(message.startsWith("csv: no files match " + data + "/2027-*.csv"), message);
    }

    @Test
    void relativeGlobNamesFilesRelativelyInMessages() throws Exception {
        Path data = Path.of("target", "csv-test-" + System.nanoTime());
        try {
            writeLines(data.resolve("a.csv"), List.of("x,y", "1,a", "2,b"));
            writeLines(data.resolve("b.csv"), List.of("x,y", "3,a", "4"));
            String message = assertThrows(Exception.class, () -> load(data + "/*.csv", "y")).getMessage();
            assertEquals(data.resolve("b.csv") + " line 3: expected 2 fields, found 1", message);
        } finally {
            for (String name : List.of("a.csv", "b.csv")) {
                Files.deleteIfExists(data.resolve(name));
            }
            Files.deleteIfExists(data);
        }
    }

    @Test
    void gzipFileHasTheFingerprintOfItsContent() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(BREAST_CANCER));
        Path plain = writeLines(dir.resolve("bc.csv"), lines);
        Path gz = writeLines(dir.resolve("bc.csv.gz"), lines);
        Dataset fromPlain = load(plain.toString(), "diagnosis");
        Dataset fromGz = load(gz.toString(), "diagnosis");
        assertSameRows(fromPlain, fromGz);
        assertEquals(fromPlain.fingerprint(), fromGz.fingerprint());
        assertTrue(Files.size(gz) < Files.size(plain) / 2, "the test file really is compressed");
    }

    @Test
    void errorsInLaterFilesNameThatFileAndLine() throws Exception {
        Path data = dir.resolve("data");
        writeLines(data.resolve("1.csv"), List.of("x,y", "1,a", "2,b"));
        writeLines(data.resolve("2.csv.gz"), List.of("x,y", "3,a", "4,b,extra"));
        assertEquals(data.resolve("2.csv.gz") + " line 3: expected 2 fields, found 3", loadFailure(data, "y"));

        Files.delete(data.resolve("2.csv.gz"));
        writeLines(data.resolve("2.csv"), List.of("x,y", "3,a", "oops,b"));
        String message = loadFailure(data, "x", "task", "regression");
        assertTrue(message.endsWith("is not numeric: 'oops' on line 3 of " + data.resolve("2.csv")), message);
    }

    @Test
    void aFileWithAnotherHeaderIsNamed() throws Exception {
        Path data = dir.resolve("data");
        writeLines(data.resolve("1.csv"), List.of("x,y", "1,a"));
        writeLines(data.resolve("2.csv"), List.of("x,z", "1,a"));
        String message = loadFailure(data, "y");
        assertTrue(message.startsWith("csv: " + data.resolve("2.csv") + " has the header [x, z] but " + data.resolve("1.csv")
                + " has [x, y]"), message);
    }

    @Test
    void corruptGzipIsNamed() throws Exception {
        Path data = dir.resolve("data");
        writeLines(data.resolve("1.csv"), List.of("x,y", "1,a"));
        Files.writeString(data.resolve("2.csv.gz"), "x,y\n1,a\n");
        String message = loadFailure(data, "y");
        assertTrue(message.startsWith(data.resolve("2.csv.gz") + " is named .gz but is not gzip data"), message);

        Path truncated = writeLines(dir.resolve("t.csv.gz"), Files.readAllLines(Path.of(BREAST_CANCER)));
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        message = loadFailure(truncated, "diagnosis");
        assertTrue(message.startsWith(truncated + " line ") && message.contains("truncated or corrupt gzip data"), message);
    }

    @Test
    void emptyDirectoryIsExplainedButHasAChangeToken() throws Exception {
        Path data = Files.createDirectories(dir.resolve("empty"));
        String message = loadFailure(data, "y");
        assertTrue(message.startsWith("csv: no *.csv or *.csv.gz files in directory " + data), message);
        assertEquals("0 files:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                source.changeToken(context(data.toString(), "y").settings()).orElseThrow());
    }

    @Test
    void fingerprintAndChangeTokenCoverEveryFile() throws Exception {
        Path data = splitBreastCancer(dir.resolve("data"), "a.csv", "b.csv.gz", "c.csv");
        String first = load(data.toString(), "diagnosis").fingerprint();
        String token = source.changeToken(context(data.toString(), "diagnosis").settings()).orElseThrow();
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, load(data.toString(), "diagnosis").fingerprint());
        assertEquals(token, source.changeToken(context(data.toString(), "diagnosis").settings()).orElseThrow());
        // a different split of the same rows is different lineage: the set of files differs
        assertNotEquals(load(BREAST_CANCER, "diagnosis").fingerprint(), first);

        // a renamed file changes the fingerprint (names are part of it) and the token
        Files.move(data.resolve("c.csv"), data.resolve("d.csv"));
        String renamed = load(data.toString(), "diagnosis").fingerprint();
        String renamedToken = source.changeToken(context(data.toString(), "diagnosis").settings()).orElseThrow();
        assertNotEquals(first, renamed);
        assertNotEquals(token, renamedToken);

        // new rows in one file change both
        Files.writeString(data.resolve("d.csv"), Files.readAllLines(Path.of(BREAST_CANCER)).get(5) + "\n", StandardOpenOption.APPEND);
        String grown = load(data.toString(), "diagnosis").fingerprint();
        String grownToken = source.changeToken(context(data.toString(), "diagnosis").settings()).orElseThrow();
        assertNotEquals(renamed, grown);
        assertNotEquals(renamedToken, grownToken);

        // a new file changes both
        writeLines(data.resolve("e.csv.gz"), List.of(Files.readAllLines(Path.of(BREAST_CANCER)).get(0),
                Files.readAllLines(Path.of(BREAST_CANCER)).get(7)));
        assertEquals(571, load(data.toString(), "diagnosis").rowCount());
        assertNotEquals(grown, load(data.toString(), "diagnosis").fingerprint());
        assertNotEquals(grownToken, source.changeToken(context(data.toString(), "diagnosis").settings()).orElseThrow());
    }
}
