package io.retrainer.plugins.linreg;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Reads the unquoted, all-numeric test CSVs and splits them. */
final class TestData {
    private TestData() {
    }

    static Dataset read(String resource, String label) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources", resource));
        String[] header = lines.get(0).split(",");
        List<Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(new Column(name, ColumnType.NUMERIC));
        }
        Dataset.Builder b = Dataset.builder(new Schema(columns, label));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            Object[] row = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                row[i] = Double.parseDouble(fields[i]);
            }
            b.addRow(row);
        }
        return b.build();
    }

    /** Splits 80/20 at random. */
    static Dataset[] split(Dataset data, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < data.rowCount(); r++) {
            rows.add(r);
        }
        Collections.shuffle(rows, new Random(seed));
        int cut = (int) Math.round(rows.size() * 0.8);
        return new Dataset[] {
            data.rows(rows.subList(0, cut).stream().mapToInt(Integer::intValue).toArray()),
            data.rows(rows.subList(cut, rows.size()).stream().mapToInt(Integer::intValue).toArray())};
    }

    /** Root mean squared error and R² of {@code predictions} against the label of {@code holdout}. */
    static double[] rmseAndR2(List<Prediction> predictions, Dataset holdout) {
        int label = holdout.labelIndex();
        double mean = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            mean += holdout.number(label, r) / holdout.rowCount();
        }
        double residual = 0;
        double total = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            double y = holdout.number(label, r);
            residual += Math.pow(y - predictions.get(r).value(), 2);
            total += Math.pow(y - mean, 2);
        }
        return new double[] {Math.sqrt(residual / holdout.rowCount()), 1 - residual / total};
    }
}
