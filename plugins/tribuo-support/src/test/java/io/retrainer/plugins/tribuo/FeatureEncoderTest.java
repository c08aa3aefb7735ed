package io.retrainer.plugins.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.api.testing.TestStageContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

class FeatureEncoderTest {
    private static final Schema SCHEMA = new Schema(List.of(new Column("x", ColumnType.NUMERIC),
            new Column("colour", ColumnType.CATEGORICAL), new Column("note", ColumnType.TEXT),
            new Column("y", ColumnType.CATEGORICAL)), "y");
    // x: mean 2, population standard deviation √(2/3) over the labelled rows 0-2 (row 3 is not used).
    private static final Dataset DATA = Dataset.builder(SCHEMA)
            .addRow(1.0, "red", "a", "hot").addRow(3.0, "blue", "b", "cold").addRow(2.0, "red", "c", "hot")
            .addRow(100.0, "green", "d", null).build();
    private static final int[] LABELLED = {0, 1, 2};

    private static List<String> features(ArrayExample<Label> example) {
        List<String> out = new ArrayList<>();
        for (Feature f : example) {
            out.add(f.getName() + "=" + f.getValue());
        }
        return out;
    }

    private static TestStageContext context() {
        return TestStageContext.of(ConfigSpec.empty(), Map.of());
    }

    @Test
    void standardisesNumbersOneHotsCategoriesAndIgnoresText() {
        TestStageContext context = context();
        FeatureEncoder encoder = FeatureEncoder.fit(DATA, LABELLED, true, "some-plugin", context.log());
        assertTrue(context.logLines().contains("WARN column 'note' is text and is ignored: some-plugin uses numeric and categorical columns only"),
                context.logLines().toString());
        assertEquals(3, encoder.featureCount(), "x, colour=blue, colour=red");

        Dataset inputs = Dataset.builder(new Schema(List.of(new Column("colour", ColumnType.CATEGORICAL),
                        new Column("x", ColumnType.TEXT)), null))
                .addRow("red", "3").addRow("purple", null).addRow(null, "not a number").build();
        FeatureEncoder.Bound bound = encoder.bind(inputs.schema());
        double z = (3 - 2) / Math.sqrt(2.0 / 3);
        // Tribuo's ArrayExample sorts features by name.
        assertEquals(List.of("cat:colour=red=1.0", "constant=1.0", "num:x=" + z),
                features(bound.example(inputs, 0, LabelFactory.UNKNOWN_LABEL)));
        assertEquals(List.of("constant=1.0", "num:x=0.0"), features(bound.example(inputs, 1, LabelFactory.UNKNOWN_LABEL)),
                "an unseen category sets nothing, a missing number is the training mean");
        assertEquals(List.of("constant=1.0", "num:x=0.0"), features(bound.example(inputs, 2, LabelFactory.UNKNOWN_LABEL)));

        FeatureEncoder raw = FeatureEncoder.fit(DATA, LABELLED, false, "some-plugin", context().log());
        assertEquals(List.of("cat:colour=blue=1.0", "constant=1.0", "num:x=1.0"),
                features(raw.bind(SCHEMA).example(DATA, 1, new Label("cold"))));
    }

    @Test
    void storedLayoutIsPinned() throws IOException {
        FeatureEncoder encoder = FeatureEncoder.fit(DATA, LABELLED, true, "some-plugin", context().log());
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        encoder.write(new DataOutputStream(written));

        // The layout stored models depend on: numeric count, (column, mean, scale)*,
        // categorical count, (column, vocabulary size, category*)*; strings as int length + UTF-8.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeInt(1);
        writeString(out, "x");
        out.writeDouble(2.0);
        out.writeDouble(Math.sqrt(2.0 / 3));
        out.writeInt(1);
        writeString(out, "colour");
        out.writeInt(2);
        writeString(out, "blue");
        writeString(out, "red");
        assertArrayEquals(expected.toByteArray(), written.toByteArray());

        FeatureEncoder read = FeatureEncoder.read(new DataInputStream(new ByteArrayInputStream(written.toByteArray())));
        assertEquals(features(encoder.bind(SCHEMA).example(DATA, 3, new Label("x"))),
                features(read.bind(SCHEMA).example(DATA, 3, new Label("x"))));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Test
    void keepsTheMostFrequentCategoriesAndNeedsAUsableColumn() {
        Schema schema = new Schema(List.of(new Column("id", ColumnType.CATEGORICAL), new Column("y", ColumnType.NUMERIC)), "y");
        Dataset.Builder b = Dataset.builder(schema);
        for (int i = 0; i < FeatureEncoder.MAX_CATEGORIES + 10; i++) {
            b.addRow("id" + i, 1.0);
        }
        b.addRow("id0", 1.0);
        Dataset ids = b.build();
        TestStageContext context = context();
        FeatureEncoder encoder = FeatureEncoder.fit(ids, IntStream.range(0, ids.rowCount()).toArray(), true,
                "p", context.log());
        assertEquals(FeatureEncoder.MAX_CATEGORIES, encoder.featureCount());
        assertTrue(context.logLines().contains("WARN column 'id' has 1010 distinct values; only the 1000 most frequent are used, "
                + "the others count as unseen"), context.logLines().toString());
        assertEquals(List.of("cat:id=id0=1.0", "constant=1.0"),
                features(encoder.bind(schema).example(ids, 0, LabelFactory.UNKNOWN_LABEL)), "the most frequent is kept");

        Dataset text = Dataset.builder(new Schema(List.of(new Column("t", ColumnType.TEXT), new Column("y", ColumnType.NUMERIC)), "y"))
                .addRow("a", 1.0).build();
        Exception e = assertThrows(IllegalArgumentException.class, () -> FeatureEncoder.fit(text, new int[] {0}, true, "p", context.log()));
        assertEquals("p found no numeric or categorical feature column in [t]", e.getMessage());
    }
}
