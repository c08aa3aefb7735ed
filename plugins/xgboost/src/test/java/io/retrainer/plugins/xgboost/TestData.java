package io.retrainer.plugins.xgboost;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Reads the unquoted test CSVs (every column numeric except a categorical label) and splits them. */
final class TestData {
    private TestData() {
    }

    /** A CSV whose label is categorical. */
    static Dataset read(String resource, String label) throws IOException {
        return read(resource, label, ColumnType.CATEGORICAL);
    }

    static Dataset read(String resource, String label, ColumnType labelType) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources", resource));
        String[] header = lines.get(0).split(",");
        List<Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(new Column(name, name.equals(label) ? labelType : ColumnType.NUMERIC));
        }
        Dataset.Builder b = Dataset.builder(new Schema(columns, label));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            Object[] row = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                boolean text = header[i].equals(label) && labelType == ColumnType.CATEGORICAL;
                row[i] = text ? fields[i] : (Object) Double.parseDouble(fields[i]);
            }
            b.addRow(row);
        }
        return b.build();
    }

    /** Splits each class 80/20 at random, so both parts keep the class proportions (one "class" for regression). */
    static Dataset[] split(Dataset data, long seed) {
        boolean classification = data.schema().column(data.schema().label()).orElseThrow().type() == ColumnType.CATEGORICAL;
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int r = 0; r < data.rowCount(); r++) {
            byClass.computeIfAbsent(classification ? data.labelString(r) : "", k -> new ArrayList<>()).add(r);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            Collections.shuffle(rows, random);
            int cut = (int) Math.round(rows.size() * 0.8);
            train.addAll(rows.subList(0, cut));
            test.addAll(rows.subList(cut, rows.size()));
        }
        return new Dataset[] {
            data.rows(train.stream().mapToInt(Integer::intValue).toArray()),
            data.rows(test.stream().mapToInt(Integer::intValue).toArray())};
    }

    /** A copy of {@code data} in which each numeric feature value is missing with probability {@code fraction}. */
    static Dataset withHoles(Dataset data, double fraction, long seed) {
        Random random = new Random(seed);
        Schema schema = data.schema();
        Dataset.Builder b = Dataset.builder(schema);
        for (int r = 0; r < data.rowCount(); r++) {
            Object[] row = new Object[schema.columns().size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = data.value(c, r);
                boolean feature = !schema.columns().get(c).name().equals(schema.label());
                if (feature && row[c] instanceof Double && random.nextDouble() < fraction) {
                    row[c] = null;
                }
            }
            b.addRow(row);
        }
        return b.build();
    }

    /** AUC by counting pairs: deliberately the slow, obvious definition. */
    static double auc(double[] scores, boolean[] positive) {
        double won = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    won += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return won / pairs;
    }
}
