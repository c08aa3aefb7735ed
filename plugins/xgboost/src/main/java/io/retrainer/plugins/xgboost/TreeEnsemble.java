package io.retrainer.plugins.xgboost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;

/**
 * A gradient-boosted tree model evaluated in plain Java, read from XGBoost's JSON model format
 * ({@code Booster.toByteArray("json")}). It reproduces XGBoost's CPU predictor step by step so
 * that its outputs match xgboost4j's: inputs are 32-bit floats, a split sends {@code value <
 * condition} left and a missing (NaN) value the learnt default way, and each output group starts
 * at the base margin and adds tree leaves in float arithmetic in model order, before the
 * objective's transform. Serving a row this way costs no native call and no matrix allocation.
 *
 * <p>Supported: the {@code gbtree} booster with numerical splits and the objectives
 * {@code binary:logistic}, {@code multi:softprob} and {@code reg:squarederror}. Immutable and
 * thread-safe.
 */
final class TreeEnsemble {
    /** Floats parsed from their decimal text, never via double, so each is exactly XGBoost's float. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The objectives this evaluator can transform margins for. */
    enum Objective {
        BINARY_LOGISTIC("binary:logistic"),
        MULTI_SOFTPROB("multi:softprob"),
        REG_SQUAREDERROR("reg:squarederror");

        final String xgboostName;

        Objective(String xgboostName) {
            this.xgboostName = xgboostName;
        }

        static Objective of(String name) {
            for (Objective o : values()) {
                if (o.xgboostName.equals(name)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("objective '" + name + "' is not supported; supported are "
                    + Arrays.stream(values()).map(o -> o.xgboostName).toList());
        }
    }

    private final Objective objective;
    private final int numFeature;
    private final float[] baseMargin;
    private final int[] treeRoot;
    private final int[] treeGroup;
    /** Per node, across all trees: the left child's absolute index, or -1 for a leaf. */
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    /** Per node: the split condition, or the leaf value for a leaf. */
    private final float[] value;
    private final boolean[] defaultLeft;
    private final double[] totalGain;
    private final int[] splits;

    private TreeEnsemble(Objective objective, int numFeature, float[] baseMargin, int[] treeRoot, int[] treeGroup, int[] left,
                         int[] right, int[] feature, float[] value, boolean[] defaultLeft, double[] totalGain, int[] splits) {
        this.objective = objective;
        this.numFeature = numFeature;
        this.baseMargin = baseMargin;
        this.treeRoot = treeRoot;
        this.treeGroup = treeGroup;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.value = value;
        this.defaultLeft = defaultLeft;
        this.totalGain = totalGain;
        this.splits = splits;
    }

    /**
     * Reads a model saved by XGBoost in its JSON format.
     *
     * @throws IOException if the bytes are not such a model, or use something this evaluator does not support
     */
    static TreeEnsemble parse(byte[] modelJson) throws IOException {
        JsonNode learner;
        try {
            learner = JSON.readTree(modelJson).required("learner");
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("not an XGBoost JSON model: " + e.getMessage(), e);
        }
        try {
            return parseLearner(learner);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("unsupported or malformed XGBoost JSON model: " + e.getMessage(), e);
        }
    }

    private static TreeEnsemble parseLearner(JsonNode learner) {
        Objective objective = Objective.of(learner.required("objective").required("name").textValue());
        JsonNode booster = learner.required("gradient_booster");
        String boosterName = booster.required("name").textValue();
        if (!"gbtree".equals(boosterName)) {
            throw new IllegalArgumentException("booster '" + boosterName + "' is not supported, only gbtree");
        }
        JsonNode param = learner.required("learner_model_param");
        int numFeature = Integer.parseInt(param.required("num_feature").textValue());
        int numClass = Integer.parseInt(param.required("num_class").textValue());
        int groups = objective == Objective.MULTI_SOFTPROB ? numClass : 1;
        if (groups < 1 || objective != Objective.MULTI_SOFTPROB && numClass > 1) {
            throw new IllegalArgumentException("num_class " + numClass + " does not fit objective " + objective.xgboostName);
        }
        float[] baseMargin = baseMargin(param.required("base_score").textValue(), groups, objective);

        JsonNode model = booster.required("model");
        JsonNode trees = model.required("trees");
        JsonNode treeInfo = model.required("tree_info");
        int nodeCount = 0;
        for (JsonNode tree : trees) {
            nodeCount += tree.required("left_children").size();
        }
        int[] treeRoot = new int[trees.size()];
        int[] treeGroup = new int[trees.size()];
        int[] left = new int[nodeCount];
        int[] right = new int[nodeCount];
        int[] feature = new int[nodeCount];
        float[] value = new float[nodeCount];
        boolean[] defaultLeft = new boolean[nodeCount];
        double[] totalGain = new double[numFeature];
        int[] splits = new int[numFeature];
        int base = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            treeRoot[t] = base;
            treeGroup[t] = treeInfo.get(t).intValue();
            if (treeGroup[t] < 0 || treeGroup[t] >= groups) {
                throw new IllegalArgumentException("tree " + t + " belongs to output group " + treeGroup[t] + " of " + groups);
            }
            JsonNode l = tree.required("left_children");
            JsonNode r = tree.required("right_children");
            JsonNode f = tree.required("split_indices");
            JsonNode c = tree.required("split_conditions");
            JsonNode d = tree.required("default_left");
            JsonNode type = tree.required("split_type");
            JsonNode gain = tree.required("loss_changes");
            int n = l.size();
            for (int i = 0; i < n; i++) {
                int node = base + i;
                value[node] = exactFloat(c.get(i));
                if (l.get(i).intValue() == -1) {
                    left[node] = -1;
                    continue;
                }
                if (type.get(i).intValue() != 0) {
                    throw new IllegalArgumentException("tree " + t + " has a categorical split; only numerical splits are supported");
                }
                left[node] = base + checkNode(l.get(i).intValue(), n, t);
                right[node] = base + checkNode(r.get(i).intValue(), n, t);
                feature[node] = f.get(i).intValue();
                if (feature[node] < 0 || feature[node] >= numFeature) {
                    throw new IllegalArgumentException("tree " + t + " splits on feature " + feature[node] + " of " + numFeature);
                }
                defaultLeft[node] = d.get(i).intValue() != 0;
                totalGain[feature[node]] += gain.get(i).doubleValue();
                splits[feature[node]]++;
            }
            base += n;
        }
        return new TreeEnsemble(objective, numFeature, baseMargin, treeRoot, treeGroup, left, right, feature, value, defaultLeft,
                totalGain, splits);
    }

    private static int checkNode(int child, int n, int tree) {
        if (child <= 0 || child >= n) {
            throw new IllegalArgumentException("tree " + tree + " has a child index " + child + " outside its " + n + " nodes");
        }
        return child;
    }

    private static float exactFloat(JsonNode number) {
        if (!number.isNumber()) {
            throw new IllegalArgumentException("expected a number, got " + number);
        }
        return number.isBigDecimal() ? Float.parseFloat(number.decimalValue().toString()) : number.floatValue();
    }

    /**
     * The starting margin of each output group. XGBoost stores {@code base_score} in output space
     * ({@code "[5E-1]"}, or one value per class for multi:softprob) and turns it into a margin with
     * the objective's inverse link, in float arithmetic.
     */
    private static float[] baseMargin(String baseScore, int groups, Objective objective) {
        String s = baseScore.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        String[] parts = s.split(",");
        if (parts.length != 1 && parts.length != groups) {
            throw new IllegalArgumentException("base_score has " + parts.length + " values for " + groups + " output groups");
        }
        float[] margin = new float[groups];
        for (int g = 0; g < groups; g++) {
            float score = Float.parseFloat(parts[parts.length == 1 ? 0 : g].trim());
            margin[g] = objective == Objective.BINARY_LOGISTIC ? (float) -Math.log(1.0f / score - 1.0f) : score;
        }
        return margin;
    }

    /** The objective the model was trained with. */
    Objective objective() {
        return objective;
    }

    /** The length of the feature vector the trees index into. */
    int numFeature() {
        return numFeature;
    }

    /** How many values {@link #predict} writes: the number of classes for multi:softprob, else 1. */
    int outputs() {
        return baseMargin.length;
    }

    /** How many trees the model holds. */
    int trees() {
        return treeRoot.length;
    }

    /**
     * Scores one row: the probability of the second class for binary:logistic, each class's
     * probability for multi:softprob, the prediction for reg:squarederror.
     *
     * @param x the feature vector, NaN for missing, length {@link #numFeature()}
     * @param out receives {@link #outputs()} values
     */
    void predict(float[] x, float[] out) {
        margins(x, out);
        switch (objective) {
            case BINARY_LOGISTIC -> out[0] = sigmoid(out[0]);
            case MULTI_SOFTPROB -> softmax(out);
            default -> {
            }
        }
    }

    /** The raw margins, before the objective's transform. */
    void margins(float[] x, float[] out) {
        System.arraycopy(baseMargin, 0, out, 0, baseMargin.length);
        for (int t = 0; t < treeRoot.length; t++) {
            out[treeGroup[t]] += leaf(treeRoot[t], x);
        }
    }

    private float leaf(int node, float[] x) {
        int n = node;
        while (true) {
            int l = left[n];
            if (l < 0) {
                return value[n];
            }
            float v = x[feature[n]];
            if (Float.isNaN(v)) {
                n = defaultLeft[n] ? l : right[n];
            } else {
                n = v < value[n] ? l : right[n];
            }
        }
    }

    /** XGBoost's {@code common::Sigmoid}: float arithmetic on a float exponential. */
    private static float sigmoid(float margin) {
        return 1.0f / (1.0f + (float) Math.exp(-margin));
    }

    /** XGBoost's {@code common::Softmax}: shifted by the maximum, summed in double, divided in float. */
    private static void softmax(float[] v) {
        float max = v[0];
        for (float f : v) {
            max = Math.max(max, f);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) sum;
        }
    }

    /**
     * XGBoost's "gain" importance of each feature: the average loss reduction of the splits on it,
     * 0 for a feature never split on.
     */
    double[] averageGain() {
        double[] gain = new double[numFeature];
        for (int f = 0; f < numFeature; f++) {
            gain[f] = splits[f] == 0 ? 0 : totalGain[f] / splits[f];
        }
        return gain;
    }

    /** How often each feature is split on. */
    int[] splitCounts() {
        return splits.clone();
    }
}
