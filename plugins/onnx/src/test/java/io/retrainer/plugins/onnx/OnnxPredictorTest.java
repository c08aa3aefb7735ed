package io.retrainer.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The onnx loader against the models make_model.py builds by hand: ONNX Runtime's answers are
 * compared with the same arithmetic done here from the same weights.
 */
class OnnxPredictorTest {
    /** The weights of logistic.onnx, as in make_model.py. */
    private static final double[][] W = {{0.5, -1.25}, {-0.75, 0.25}, {1.5, 0.125}, {-0.25, 2.0}};
    private static final double[] B = {0.1, -0.2};
    /** The weights of linear.onnx. */
    private static final double[] V = {1.0, -2.0, 0.5, 3.0};
    private static final double C = 0.25;

    private final OnnxModelLoader loader = new OnnxModelLoader();

    @Test
    void classifierMatchesSoftmaxOfTheWeights() throws Exception {
        Predictor p = loader.load(resource("logistic.onnx"));
        assertEquals(Task.CLASSIFICATION, p.task());
        assertEquals(List.of("no", "yes"), p.classes(), "class names come from the model metadata");

        Dataset rows = rows(200, new Random(7));
        List<Prediction> out = p.predict(rows);
        assertEquals(200, out.size());
        int seenYes = 0;
        for (int r = 0; r < rows.rowCount(); r++) {
            double[] expected = softmax(rows, r);
            Prediction got = out.get(r);
            assertEquals(expected[0], got.probabilities().get("no"), 1e-5, "row " + r);
            assertEquals(expected[1], got.probabilities().get("yes"), 1e-5, "row " + r);
            String label = expected[1] > expected[0] ? "yes" : "no";
            assertEquals(label, got.label(), "row " + r);
            assertEquals(Math.max(expected[0], expected[1]), got.value(), 1e-5);
            seenYes += label.equals("yes") ? 1 : 0;
        }
        assertTrue(seenYes > 20 && seenYes < 180, "both classes occur in the test rows: " + seenYes);
    }

    @Test
    void featuresAreTakenByNameInSchemaOrderAndTheLabelIsIgnored() throws Exception {
        Predictor p = loader.load(resource("logistic.onnx"));
        Schema schema = new Schema(List.of(num("a"), num("b"), new Column("y", ColumnType.CATEGORICAL), num("c"), num("d")), "y");
        Dataset withLabel = Dataset.builder(schema).addRow(1.0, 2.0, "yes", -1.0, 0.5).build();
        Dataset plain = Dataset.builder(features()).addRow(1.0, 2.0, -1.0, 0.5).build();
        assertEquals(p.predict(plain).get(0), p.predict(withLabel).get(0));
    }

    @Test
    void regressorMatchesTheLinearFormula() throws Exception {
        Predictor p = loader.load(resource("linear.onnx"));
        assertEquals(Task.REGRESSION, p.task());
        assertEquals(List.of(), p.classes());
        Dataset rows = rows(50, new Random(3));
        List<Prediction> out = p.predict(rows);
        for (int r = 0; r < rows.rowCount(); r++) {
            double expected = C;
            for (int f = 0; f < 4; f++) {
                expected += (float) rows.number(f, r) * V[f];
            }
            assertEquals(expected, out.get(r).value(), 1e-5, "row " + r);
            assertEquals(null, out.get(r).label());
        }
    }

    @Test
    void oneSessionServesManyThreadsAtOnce() throws Exception {
        Predictor p = loader.load(resource("logistic.onnx"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> calls = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int seed = t;
                calls.add(pool.submit(() -> {
                    Dataset rows = rows(1 + seed, new Random(seed));
                    List<Prediction> out = p.predict(rows);
                    for (int r = 0; r < rows.rowCount(); r++) {
                        assertEquals(softmax(rows, r)[1], out.get(r).probabilities().get("yes"), 1e-5);
                    }
                    return null;
                }));
            }
            for (Future<Void> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void categoricalColumnsAndWrongWidthsAreRefusedNamingTheProblem() throws Exception {
        Predictor p = loader.load(resource("logistic.onnx"));
        Schema categorical = new Schema(List.of(num("a"), num("b"), num("c"), new Column("d", ColumnType.CATEGORICAL)), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.predict(Dataset.builder(categorical).addRow(1.0, 2.0, 3.0, "x").build()));
        assertTrue(e.getMessage().contains("column 'd' is categorical"), e.getMessage());

        Schema three = new Schema(List.of(num("a"), num("b"), num("c")), null);
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(Dataset.builder(three).addRow(1.0, 2.0, 3.0).build()));
        assertTrue(e.getMessage().contains("takes 4 features but the input has 3"), e.getMessage());
    }

    @Test
    void bytesThatAreNotAModelAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loader.load("this is not a model".getBytes()));
        assertTrue(e.getMessage().startsWith("not a model ONNX Runtime can load"), e.getMessage());
    }

    @Test
    void missingValuesPassAsNaN() throws Exception {
        Predictor p = loader.load(resource("linear.onnx"));
        Dataset rows = Dataset.builder(features()).addRow(1.0, null, 0.0, 0.0).build();
        assertTrue(Double.isNaN(p.predict(rows).get(0).value()));
    }

    private static double[] softmax(Dataset rows, int r) {
        double[] logits = B.clone();
        for (int f = 0; f < 4; f++) {
            for (int c = 0; c < 2; c++) {
                logits[c] += (float) rows.number(f, r) * W[f][c];
            }
        }
        double max = Math.max(logits[0], logits[1]);
        double e0 = Math.exp(logits[0] - max);
        double e1 = Math.exp(logits[1] - max);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    private static Dataset rows(int n, Random random) {
        Dataset.Builder b = Dataset.builder(features());
        for (int r = 0; r < n; r++) {
            b.addRow(random.nextGaussian() * 2, random.nextGaussian() * 2, random.nextGaussian() * 2, random.nextGaussian() * 2);
        }
        return b.build();
    }

    private static Schema features() {
        return new Schema(List.of(num("a"), num("b"), num("c"), num("d")), null);
    }

    private static Column num(String name) {
        return new Column(name, ColumnType.NUMERIC);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxPredictorTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException(name + " is not on the test class path (run make_model.py)");
            }
            return in.readAllBytes();
        }
    }
}
