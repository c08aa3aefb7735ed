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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
}
