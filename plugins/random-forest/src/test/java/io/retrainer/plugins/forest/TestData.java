package io.retrainer.plugins.forest;

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
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Reads the unquoted test CSVs (every column numeric except a categorical label), splits and scores. */
final class TestData {
    private TestData() {
    }

    /** @param categoricalLabel whether the label holds class names (else it is numeric) */
    static Dataset read(String resource, String label, boolean categoricalLabel) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources", resource));
        String[] header = lines.get(0).split(",");
        List<Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(new Column(name, name.equals(label) && categoricalLabel ? ColumnType.CATEGORICAL : ColumnType.NUMERIC));
        }
        Dataset.Builder b = Dataset.builder(new Schema(columns, label));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            Object[] row = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                row[i] = header[i].equals(label) && categoricalLabel ? fields[i] : (Object) Double.parseDouble(fields[i]);
            }
            b.addRow(row);
        }
        return b.build();
    }

    /** Splits 80/20 at random; for a categorical label each class separately, keeping the proportions. */
    static Dataset[] split(Dataset data, long seed) {
        boolean classes = data.schema().column(data.schema().label()).orElseThrow().type() == ColumnType.CATEGORICAL;
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int r = 0; r < data.rowCount(); r++) {
            groups.computeIfAbsent(classes ? data.labelString(r) : "", k -> new ArrayList<>()).add(r);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> rows : groups.values()) {
            Collections.shuffle(rows, random);
            int cut = (int) Math.round(rows.size() * 0.8);
            train.addAll(rows.subList(0, cut));
            test.addAll(rows.subList(cut, rows.size()));
        }
        return new Dataset[] {
            data.rows(train.stream().mapToInt(Integer::intValue).toArray()),
            data.rows(test.stream().mapToInt(Integer::intValue).toArray())};
    }

    /** AUC by counting pairs: deliberately the slow, obvious definition. */
    static double auc(List<Prediction> predictions, Dataset holdout, String positiveClass) {
        double won = 0;
        long pairs = 0;
        for (int i = 0; i < predictions.size(); i++) {
            for (int j = 0; j < predictions.size(); j++) {
                if (holdout.labelString(i).equals(positiveClass) && !holdout.labelString(j).equals(positiveClass)) {
                    double si = predictions.get(i).probabilities().get(positiveClass);
                    double sj = predictions.get(j).probabilities().get(positiveClass);
                    pairs++;
                    won += si > sj ? 1 : si == sj ? 0.5 : 0;
                }
            }
        }
        return won / pairs;
    }

    static double accuracy(List<Prediction> predictions, Dataset holdout) {
        int correct = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            correct += predictions.get(r).label().equals(holdout.labelString(r)) ? 1 : 0;
        }
        return (double) correct / holdout.rowCount();
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
