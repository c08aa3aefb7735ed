package io.retrainer.plugins.xgboost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.pf4j.Extension;

/**
 * Trains gradient-boosted trees with XGBoost (xgboost4j, native library inside the plugin jar)
 * for binary and multiclass classification and regression, one boosting round at a time so that
 * cancellation and progress work per round, with optional early stopping on a seeded validation
 * split of the training rows. See {@link FeatureEncoder} for how columns become features; the
 * model is served by the pure-Java {@link TreeEnsemble}.
 *
 * <p>The gain importance of every feature used is recorded as the hyper-parameter
 * {@code feature_importance}, a JSON object from feature name to average gain, largest first: a
 * trainer returns no metrics, and hyper-parameters are stored with the version's lineage.
 */
@Extension
public final class XgbTrainer implements Trainer {
    static final String ID = "xgboost";
    private static final String AUTO = "auto";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String XGBOOST_VERSION = xgboostVersion();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Gradient-boosted trees (XGBoost) for classification and regression, served by a pure-Java tree evaluator.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .choice("objective", AUTO, List.of(AUTO, "binary:logistic", "multi:softprob", "reg:squarederror"),
                        "Learning objective; auto picks binary:logistic for two classes, multi:softprob for more, "
                                + "reg:squarederror for a numeric label.")
                .optional("rounds", SettingType.INTEGER, 100, "Boosting rounds (trees per class).")
                .optional("max_depth", SettingType.INTEGER, 6, "Maximum depth of each tree.")
                .optional("eta", SettingType.NUMBER, 0.3, "Learning rate: how much each tree's output is shrunk.")
                .choice("tree_method", "hist", List.of("hist", "approx", "exact"), "How split candidates are found.")
                .optional("threads", SettingType.INTEGER, 0, "Threads to train with; 0 uses every processor.")
                .optional("early_stopping_rounds", SettingType.INTEGER, 0,
                        "Stop when the validation loss has not improved for this many rounds and keep the best round; 0 turns it off.")
                .optional("validation_fraction", SettingType.NUMBER, 0.1,
                        "Share of the training rows held out (seeded) to watch for early stopping; unused without it.")
                .optional("subsample", SettingType.NUMBER, 1.0, "Share of rows sampled for each tree.")
                .optional("colsample_bytree", SettingType.NUMBER, 1.0, "Share of features sampled for each tree.")
                .optional("min_child_weight", SettingType.NUMBER, 1.0, "Minimum sum of instance weight (hessian) in a leaf.")
                .optional("lambda", SettingType.NUMBER, 1.0, "L2 regularisation of leaf weights.")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        Hyper hyper = Hyper.from(context.settings());
        Label label = Label.of(training, hyper.objective());
        int[] rows = IntStream.range(0, training.rowCount()).filter(label::present).toArray();
        if (rows.length < training.rowCount()) {
            context.log().warn((training.rowCount() - rows.length) + " rows have no label and are not used");
        }
        if (rows.length < 2) {
            throw new IllegalArgumentException(ID + " needs at least 2 labelled rows; the training data has " + rows.length);
        }
        String objective = label.objective();
        int threads = hyper.threads() == 0 ? Runtime.getRuntime().availableProcessors() : (int) hyper.threads();

        context.progress(0.0, "encoding " + rows.length + " rows");
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, context.log());
        int[][] parts = split(rows, hyper, context);
        checkCancelled(context);

        Map<String, Object> params = new HashMap<>();
        params.put("objective", objective);
        if (objective.equals("multi:softprob")) {
            params.put("num_class", label.classes().size());
        }
        params.put("eval_metric", label.evalMetric());
        params.put("max_depth", (int) hyper.maxDepth());
        params.put("eta", hyper.eta());
        params.put("tree_method", hyper.treeMethod());
        params.put("nthread", threads);
        params.put("subsample", hyper.subsample());
        params.put("colsample_bytree", hyper.colsampleBytree());
        params.put("min_child_weight", hyper.minChildWeight());
        params.put("lambda", hyper.lambda());
        params.put("seed", context.seed());
        // Warnings would go to the process's stdout, not the stage log.
        params.put("verbosity", 0);

        DMatrix train = null;
        DMatrix valid = null;
        Booster booster = null;
        try {
            train = matrix(training, parts[0], encoder, label, threads);
            valid = parts[1].length == 0 ? null : matrix(training, parts[1], encoder, label, threads);
            checkCancelled(context);
            booster = XGBoost.train(train, params, 0, Map.of(), null, null);
            Rounds rounds = boost(booster, train, valid, hyper, context);
            byte[] modelJson = booster.toByteArray("json");
            if (rounds.best() < rounds.trained()) {
                modelJson = BoosterJson.firstRounds(modelJson, rounds.best());
            }
            ModelArtifact artifact = new ModelArtifact(encoder, label.classes(), modelJson);
            XgbPredictor predictor = new XgbPredictor(artifact);
            Map<String, String> hyperParameters = hyper.describe(objective, threads, label.evalMetric(), context.seed());
            hyperParameters.put("rounds_trained", Integer.toString(rounds.trained()));
            hyperParameters.put("best_rounds", Integer.toString(rounds.best()));
            if (valid != null) {
                hyperParameters.put("best_validation_" + label.evalMetric(), Double.toString(rounds.bestScore()));
            }
            hyperParameters.put("feature_importance", featureImportance(encoder, predictor.trees()));
            context.log().info("trained " + objective + " on " + parts[0].length + " rows" + (valid == null ? "" : ", validated on "
                    + parts[1].length) + ": " + rounds.best() + " of " + rounds.trained() + " rounds kept, "
                    + predictor.trees().trees() + " trees, " + encoder.width() + " features"
                    + (label.classes().isEmpty() ? "" : ", classes " + label.classes()));
            context.progress(1.0, "trained");
            return new TrainedModel(artifact.toBytes(), ModelArtifact.FORMAT, hyperParameters, predictor);
        } finally {
            // Native memory: not reclaimed by the Java heap's pressure, so freed at once.
            if (booster != null) {
                booster.dispose();
            }
            if (valid != null) {
                valid.dispose();
            }
            if (train != null) {
                train.dispose();
            }
        }
    }

    /** How many rounds ran and how many are kept. */
    private record Rounds(int trained, int best, double bestScore) {
    }

    private static Rounds boost(Booster booster, DMatrix train, DMatrix valid, Hyper hyper, StageContext context) throws XGBoostError {
        int total = (int) hyper.rounds();
        double bestScore = Double.POSITIVE_INFINITY;
        int best = 0;
        int round = 0;
        while (round < total) {
            checkCancelled(context);
            booster.update(train, round);
            round++;
            if (valid != null) {
                // evalSet answers "[round]\tvalid-metric:value"; every metric used here is a loss.
                String answer = booster.evalSet(new DMatrix[] {valid}, new String[] {"valid"}, round - 1);
                double score = Double.parseDouble(answer.substring(answer.lastIndexOf(':') + 1).trim());
                if (score < bestScore) {
                    bestScore = score;
                    best = round;
                } else if (round - best >= hyper.earlyStoppingRounds()) {
                    context.log().info("early stopping after round " + round + ": the validation loss was best ("
                            + bestScore + ") at round " + best);
                    break;
                }
            }
            context.progress(0.05 + 0.9 * round / total, "round " + round + " of " + total);
        }
        return new Rounds(round, valid == null ? round : best, bestScore);
    }

    /** The training rows and, with early stopping on, the validation rows split off them (seeded). */
    private static int[][] split(int[] rows, Hyper hyper, StageContext context) {
        if (hyper.earlyStoppingRounds() == 0) {
            return new int[][] {rows, new int[0]};
        }
        int[] shuffled = rows.clone();
        java.util.Random random = new java.util.Random(context.seed());
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int validation = (int) Math.round(shuffled.length * hyper.validationFraction());
        validation = Math.max(1, Math.min(shuffled.length - 1, validation));
        int[] train = Arrays.copyOfRange(shuffled, validation, shuffled.length);
        int[] valid = Arrays.copyOfRange(shuffled, 0, validation);
        // Row order within each part as in the data: only membership is random.
        Arrays.sort(train);
        Arrays.sort(valid);
        return new int[][] {train, valid};
    }

    /** The rows as a sparse XGBoost matrix: an absent entry is a missing value. */
    private static DMatrix matrix(Dataset data, int[] rows, FeatureEncoder encoder, Label label, int threads) throws XGBoostError {
        FeatureEncoder.Bound bound = encoder.bind(data.schema());
        int max = encoder.maxPresent();
        long[] rowStarts = new long[rows.length + 1];
        int[] indices = new int[Math.multiplyExact(rows.length, max)];
        float[] values = new float[indices.length];
        int[] rowIndices = new int[max];
        float[] rowValues = new float[max];
        float[] labels = new float[rows.length];
        int k = 0;
        for (int i = 0; i < rows.length; i++) {
            int n = bound.sparse(data, rows[i], rowIndices, rowValues);
            System.arraycopy(rowIndices, 0, indices, k, n);
            System.arraycopy(rowValues, 0, values, k, n);
            k += n;
            rowStarts[i + 1] = k;
            labels[i] = label.value(rows[i]);
        }
        if (k < indices.length) {
            indices = Arrays.copyOf(indices, k);
            values = Arrays.copyOf(values, k);
        }
        DMatrix matrix = new DMatrix(rowStarts, indices, values, DMatrix.SparseType.CSR, encoder.width(), Float.NaN, threads);
        matrix.setLabel(labels);
        return matrix;
    }

    /** Average gain per used feature, largest first, as a compact JSON object. */
    private static String featureImportance(FeatureEncoder encoder, TreeEnsemble trees) throws Exception {
        double[] gain = trees.averageGain();
        int[] splits = trees.splitCounts();
        List<Integer> used = new ArrayList<>();
        for (int f = 0; f < gain.length; f++) {
            if (splits[f] > 0) {
                used.add(f);
            }
        }
        used.sort(Comparator.comparingDouble((Integer f) -> gain[f]).reversed());
        ObjectNode json = JSON.createObjectNode();
        for (int f : used) {
            json.put(encoder.featureNames().get(f), Double.parseDouble(String.format(Locale.ROOT, "%.6g", gain[f])));
        }
        return JSON.writeValueAsString(json);
    }

    /** The version of the bundled XGBoost, recorded as lineage. */
    private static String xgboostVersion() {
        try (java.io.InputStream in = XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void checkCancelled(StageContext context) {
        if (context.isCancelled()) {
            throw new CancellationException(ID + ": training was cancelled");
        }
    }

    /** The label column: its kind, the objective it takes, and each row's value for XGBoost. */
    private record Label(Dataset data, int column, String objective, List<String> classes, Map<String, Integer> index) {
        static Label of(Dataset training, String requested) {
            String name = training.schema().label();
            if (name == null) {
                throw new IllegalArgumentException(ID + " needs a label column; the training data has none");
            }
            Column column = training.schema().column(name).orElseThrow();
            int c = training.labelIndex();
            if (column.type() == ColumnType.NUMERIC) {
                if (!requested.equals(AUTO) && !requested.equals("reg:squarederror")) {
                    throw new IllegalArgumentException(ID + ": objective " + requested + " needs a categorical label; '" + name
                            + "' is numeric (a csv source can read it as categorical with task: classification)");
                }
                return new Label(training, c, "reg:squarederror", List.of(), Map.of());
            }
            if (column.type() != ColumnType.CATEGORICAL) {
                throw new IllegalArgumentException(ID + " needs a categorical or numeric label; '" + name + "' is "
                        + column.type().name().toLowerCase(Locale.ROOT));
            }
            if (requested.equals("reg:squarederror")) {
                throw new IllegalArgumentException(ID + ": objective reg:squarederror needs a numeric label; '" + name + "' is categorical");
            }
            TreeSet<String> seen = new TreeSet<>();
            for (int r = 0; r < training.rowCount(); r++) {
                String v = training.string(c, r);
                if (v != null) {
                    seen.add(v);
                }
            }
            if (seen.size() < 2) {
                throw new IllegalArgumentException(ID + " needs at least two classes to tell apart; label '" + name + "' has "
                        + (seen.isEmpty() ? "no values" : "only " + seen));
            }
            String objective = requested.equals(AUTO) ? seen.size() == 2 ? "binary:logistic" : "multi:softprob" : requested;
            if (objective.equals("binary:logistic") && seen.size() > 2) {
                throw new IllegalArgumentException(ID + ": objective binary:logistic needs two classes; label '" + name + "' has "
                        + seen.size() + " — use multi:softprob");
            }
            List<String> classes = List.copyOf(seen);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < classes.size(); i++) {
                index.put(classes.get(i), i);
            }
            return new Label(training, c, objective, classes, index);
        }

        boolean present(int r) {
            return classes.isEmpty() ? !Double.isNaN(data.number(column, r)) : data.string(column, r) != null;
        }

        float value(int r) {
            return classes.isEmpty() ? (float) data.number(column, r) : index.get(data.string(column, r));
        }

        String evalMetric() {
            return switch (objective) {
                case "binary:logistic" -> "logloss";
                case "multi:softprob" -> "mlogloss";
                default -> "rmse";
            };
        }
    }

    /** The settings, checked. */
    private record Hyper(String objective, long rounds, long maxDepth, double eta, String treeMethod, long threads,
                         long earlyStoppingRounds, double validationFraction, double subsample, double colsampleBytree,
                         double minChildWeight, double lambda) {
        static Hyper from(Settings s) {
            Hyper h = new Hyper(s.requireString("objective"), s.integer("rounds"), s.integer("max_depth"), s.number("eta"),
                    s.requireString("tree_method"), s.integer("threads"), s.integer("early_stopping_rounds"),
                    s.number("validation_fraction"), s.number("subsample"), s.number("colsample_bytree"),
                    s.number("min_child_weight"), s.number("lambda"));
            require(h.rounds >= 1 && h.rounds <= 100_000, "rounds must be between 1 and 100000");
            require(h.maxDepth >= 1 && h.maxDepth <= 64, "max_depth must be between 1 and 64");
            require(h.eta > 0 && h.eta <= 1, "eta must be above 0 and at most 1");
            require(h.threads >= 0 && h.threads <= 1024, "threads must be between 0 (every processor) and 1024");
            require(h.earlyStoppingRounds >= 0 && h.earlyStoppingRounds <= Integer.MAX_VALUE, "early_stopping_rounds must be at least 0");
            require(h.validationFraction > 0 && h.validationFraction < 1, "validation_fraction must be above 0 and below 1");
            require(h.subsample > 0 && h.subsample <= 1, "subsample must be above 0 and at most 1");
            require(h.colsampleBytree > 0 && h.colsampleBytree <= 1, "colsample_bytree must be above 0 and at most 1");
            require(h.minChildWeight >= 0, "min_child_weight must be at least 0");
            require(h.lambda >= 0, "lambda must be at least 0");
            return h;
        }

        private static void require(boolean ok, String problem) {
            if (!ok) {
                throw new IllegalArgumentException(ID + ": " + problem);
            }
        }

        Map<String, String> describe(String resolvedObjective, int resolvedThreads, String evalMetric, long seed) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("objective", resolvedObjective);
            m.put("rounds", Long.toString(rounds));
            m.put("max_depth", Long.toString(maxDepth));
            m.put("eta", Double.toString(eta));
            m.put("tree_method", treeMethod);
            m.put("threads", Integer.toString(resolvedThreads));
            m.put("early_stopping_rounds", Long.toString(earlyStoppingRounds));
            if (earlyStoppingRounds > 0) {
                m.put("validation_fraction", Double.toString(validationFraction));
                m.put("eval_metric", evalMetric);
            }
            m.put("subsample", Double.toString(subsample));
            m.put("colsample_bytree", Double.toString(colsampleBytree));
            m.put("min_child_weight", Double.toString(minChildWeight));
            m.put("lambda", Double.toString(lambda));
            m.put("seed", Long.toString(seed));
            m.put("xgboost", XGBOOST_VERSION);
            return m;
        }
    }
}
