package io.retrainer.plugins.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For the Tribuo plugins' tests (shared through this module's test-jar): reads the unquoted test
 * CSVs on the class path (every column numeric except a categorical label), splits and scores.
 */
public final class TestData {
    private TestData() {
    }

    /**
     * @param resource a CSV at the root of the class path: breast_cancer.csv, wine.csv (categorical
     *     labels) or diabetes_progression.csv (numeric label)
     * @param categoricalLabel whether the label holds class names (else it is numeric)
     */
    public static Dataset read(String resource, String label, boolean categoricalLabel) throws IOException {
        List<String> lines;
        try (InputStream in = TestData.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the test class path");
            }
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
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
    public static Dataset[] split(Dataset data, long seed) {
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
    public static double auc(List<Prediction> predictions, Dataset holdout, String positiveClass) {
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

    /** The share of rows whose predicted class is the label. */
    public static double accuracy(List<Prediction> predictions, Dataset holdout) {
        int correct = 0;
        for (int r = 0; r < holdout.rowCount(); r++) {
            correct += predictions.get(r).label().equals(holdout.labelString(r)) ? 1 : 0;
        }
        return (double) correct / holdout.rowCount();
    }

    /** Root mean squared error and R² of {@code predictions} against the label of {@code holdout}. */
    public static double[] rmseAndR2(List<Prediction> predictions, Dataset holdout) {
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

    /** Four threads each predict {@code inputs} {@code repeats} times with one predictor; all must agree with one call alone. */
    public static void assertSafeToShareBetweenThreads(Predictor predictor, Dataset inputs, int repeats) throws InterruptedException {
        List<Prediction> expected = predictor.predict(inputs);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < repeats; i++) {
                        assertEquals(expected, predictor.predict(inputs));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failure.get());
    }
}
