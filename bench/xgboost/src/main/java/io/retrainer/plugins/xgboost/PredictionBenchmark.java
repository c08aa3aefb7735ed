package io.retrainer.plugins.xgboost;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Latency of scoring one row and a batch of 1,000 rows with a model of 100 depth-6 trees on 20
 * numeric features (trained here on 50,000 generated rows, same generator as the training
 * benchmark): the plugin's pure-Java evaluator, as served (encoding, trees, Prediction objects),
 * against xgboost4j given the already-encoded floats, both with a DMatrix per call (what
 * predict needs) and with {@code inplace_predict} (no DMatrix). In the plugin's package because
 * the evaluator is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictionBenchmark {
    private static final int FEATURES = 20;

    @Param({"1", "1000"})
    public int rows;

    private XgbPredictor pure;
    private Booster booster;
    private Dataset inputs;
    private float[] encoded;

    @Setup(Level.Trial)
    public void train() throws Exception {
        Random random = new Random(42);
        TrainedModel model = new XgbTrainer().train(generate(50_000, random, true),
                TestStageContext.of(new XgbTrainer().configSpec(), Map.of("rounds", 100, "max_depth", 6, "threads", 2)));
        pure = (XgbPredictor) new XgbModelLoader().load(model.artifact());
        booster = XGBoost.loadModel(ModelArtifact.fromBytes(model.artifact()).modelJson());
        // Prediction in xgboost4j on one thread, like one serving request.
        booster.setParam("nthread", 1);
        inputs = generate(rows, random, false);
        encoded = new float[rows * FEATURES];
        float[] x = new float[FEATURES];
        FeatureEncoder.Bound bound = pure.encoder().bind(inputs.schema());
        for (int r = 0; r < rows; r++) {
            bound.dense(inputs, r, x);
            System.arraycopy(x, 0, encoded, r * FEATURES, FEATURES);
        }
    }

    /** Rows like bench/xgboost/generate_csv.py writes: x0..x19 standard normal, label from a noisy logistic of a few. */
    static Dataset generate(int n, Random random, boolean labelled) {
        List<Column> columns = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            columns.add(new Column("x" + f, ColumnType.NUMERIC));
        }
        if (labelled) {
            columns.add(new Column("label", ColumnType.CATEGORICAL));
        }
        Dataset.Builder b = Dataset.builder(new Schema(columns, labelled ? "label" : null));
        for (int r = 0; r < n; r++) {
            Object[] row = new Object[columns.size()];
            double[] x = new double[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                x[f] = random.nextGaussian();
                row[f] = x[f];
            }
            if (labelled) {
                double z = 1.5 * x[0] - 2 * x[1] + x[2] * x[3] + Math.sin(3 * x[4]) + 0.5 * x[5] * x[5] - 0.5 + random.nextGaussian();
                row[FEATURES] = z > 0 ? "1" : "0";
            }
            b.addRow(row);
        }
        return b.build();
    }

    @TearDown(Level.Trial)
    public void dispose() {
        booster.dispose();
    }

    @Benchmark
    public List<Prediction> pureJava() {
        return pure.predict(inputs);
    }

    @Benchmark
    public float[][] xgboost4jDMatrix() throws Exception {
        DMatrix matrix = new DMatrix(encoded, rows, FEATURES, Float.NaN);
        try {
            return booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    @Benchmark
    public float[][] xgboost4jInplace() throws Exception {
        return booster.inplace_predict(encoded, rows, FEATURES, Float.NaN);
    }
}
