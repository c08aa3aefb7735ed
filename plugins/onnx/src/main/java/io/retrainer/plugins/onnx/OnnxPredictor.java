package io.retrainer.plugins.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * An ONNX model run by ONNX Runtime.
 *
 * <p>What it accepts: exactly one input, a float tensor {@code [rows, features]}, fed with the
 * input data set's feature columns (label excluded) in schema order — so the model's inputs must
 * be numeric columns in the order the registered schema lists them. Outputs either follow the
 * scikit-learn/skl2onnx convention for classifiers — {@code label} (int64 or string, {@code [rows]})
 * and {@code probabilities} (float {@code [rows, classes]}; export with {@code zipmap=False}) — or are
 * a single float tensor ({@code [rows]} or {@code [rows, 1]}) for regression.
 *
 * <p>Class names: the model metadata entry {@code classes} (comma-separated, in probability column
 * order) when present; otherwise the classes are the int64 label values {@code "0"…"k-1"} (the
 * probability column index), and string labels without that metadata are refused at load (their
 * order cannot be known before a prediction). The predicted class is the model's own {@code label}
 * output, not recomputed from the probabilities.
 *
 * <p>{@link #close()} frees the native session; hosts that never call it leave it to process exit.
 *
 * <p>Thread-safe: one {@link OrtSession} is shared by all callers (ONNX Runtime allows concurrent
 * {@code run} calls on a session) and every call has its own tensors.
 */
final class OnnxPredictor implements Predictor, AutoCloseable {
    /** Model metadata key naming the classes, comma-separated, in probability column order. */
    static final String CLASSES_METADATA = "classes";
    private static final String LABEL = "label";
    private static final String PROBABILITIES = "probabilities";

    private final OrtSession session;
    private final String inputName;
    private final long width;
    private final String outputName;
    private final List<String> classes;

    private OnnxPredictor(OrtSession session, String inputName, long width, String outputName, List<String> classes) {
        this.session = session;
        this.inputName = inputName;
        this.width = width;
        this.outputName = outputName;
        this.classes = List.copyOf(classes);
    }

    /**
     * Parses {@code artifact} and checks the graph has the inputs and outputs described above.
     *
     * @throws IllegalArgumentException naming what does not fit
     * @throws OrtException when ONNX Runtime cannot read the bytes
     */
    static OnnxPredictor load(byte[] artifact) throws Exception {
        return withPluginLoader(() -> {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // The serving runtime already calls predictors from many worker threads; one thread per
                // call keeps ONNX Runtime from starting a core-sized pool per session on top of that.
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                session = env.createSession(artifact, options);
            } catch (OrtException e) {
                throw new IllegalArgumentException("not a model ONNX Runtime can load: " + e.getMessage(), e);
            }
            try {
                return inspect(session);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        });
    }

    private static OnnxPredictor inspect(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the ONNX model must have exactly one input (a float tensor [rows, features]), it has "
                    + inputs.size() + ": " + inputs.keySet());
        }
        NodeInfo input = inputs.values().iterator().next();
        if (!(input.getInfo() instanceof TensorInfo in) || in.type != OnnxJavaType.FLOAT || in.getShape().length != 2) {
            throw new IllegalArgumentException("the ONNX model's input '" + input.getName()
                    + "' must be a float tensor [rows, features], it is " + input.getInfo());
        }
        long width = in.getShape()[1];
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        if (outputs.containsKey(LABEL) && outputs.containsKey(PROBABILITIES)) {
            TensorInfo label = tensor(outputs.get(LABEL), OnnxJavaType.INT64, OnnxJavaType.STRING);
            TensorInfo probabilities = tensor(outputs.get(PROBABILITIES), OnnxJavaType.FLOAT);
            if (probabilities.getShape().length != 2) {
                throw new IllegalArgumentException("the ONNX model's output 'probabilities' must be [rows, classes], it is "
                        + Arrays.toString(probabilities.getShape()));
            }
            long k = probabilities.getShape()[1];
            List<String> classes = classes(metadata.get(CLASSES_METADATA), label.type, k);
            return new OnnxPredictor(session, input.getName(), width, PROBABILITIES, classes);
        }
        if (outputs.size() == 1) {
            NodeInfo only = outputs.values().iterator().next();
            TensorInfo value = tensor(only, OnnxJavaType.FLOAT);
            long[] shape = value.getShape();
            if (shape.length == 1 || (shape.length == 2 && shape[1] == 1)) {
                return new OnnxPredictor(session, input.getName(), width, only.getName(), List.of());
            }
        }
        throw new IllegalArgumentException("the ONNX model's outputs " + outputs.keySet() + " are neither 'label' and "
                + "'probabilities' (a classifier; with skl2onnx export with zipmap=False) nor one float tensor [rows] or "
                + "[rows, 1] (a regressor)");
    }

    private static TensorInfo tensor(NodeInfo node, OnnxJavaType... types) {
        if (node.getInfo() instanceof TensorInfo t && Arrays.asList(types).contains(t.type)) {
            return t;
        }
        throw new IllegalArgumentException("the ONNX model's output '" + node.getName() + "' must be a tensor of "
                + Arrays.toString(types) + ", it is " + node.getInfo()
                + (node.getInfo() instanceof TensorInfo ? "" : " (with skl2onnx export classifiers with zipmap=False)"));
    }

    private static List<String> classes(String fromMetadata, OnnxJavaType labelType, long k) {
        if (fromMetadata != null && !fromMetadata.isBlank()) {
            List<String> named = Arrays.stream(fromMetadata.split(",")).map(String::trim).toList();
            if (k > 0 && named.size() != k) {
                throw new IllegalArgumentException("the ONNX model's metadata 'classes' names " + named.size() + " classes "
                        + named + " but 'probabilities' has " + k + " columns");
            }
            return named;
        }
        if (labelType == OnnxJavaType.STRING) {
            throw new IllegalArgumentException("the ONNX model has string labels but no metadata entry 'classes' "
                    + "(comma-separated class names in the order of the 'probabilities' columns)");
        }
        if (k <= 0) {
            throw new IllegalArgumentException("the ONNX model's 'probabilities' has no fixed number of columns and no "
                    + "metadata entry 'classes' names them");
        }
        List<String> indexes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            indexes.add(Integer.toString(c));
        }
        return indexes;
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        List<Column> features = inputs.schema().features();
        if (width > 0 && features.size() != width) {
            throw new IllegalArgumentException("the ONNX model takes " + width + " features but the input has "
                    + features.size() + ": " + features.stream().map(Column::name).toList());
        }
        int rows = inputs.rowCount();
        int[] positions = new int[features.size()];
        for (int f = 0; f < positions.length; f++) {
            Column c = features.get(f);
            if (c.type() != ColumnType.NUMERIC) {
                throw new IllegalArgumentException("column '" + c.name() + "' is " + c.type().name().toLowerCase()
                        + ", but the onnx loader feeds only numeric columns (encode it inside the ONNX graph's "
                        + "caller or export a model over numeric inputs)");
            }
            positions[f] = inputs.schema().indexOf(c.name());
        }
        if (rows == 0) {
            return List.of();
        }
        float[] x = new float[rows * positions.length];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < positions.length; f++) {
                x[r * positions.length + f] = (float) inputs.number(positions[f], r);
            }
        }
        try {
            return withPluginLoader(() -> run(x, rows, positions.length));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + rows + " rows: " + e.getMessage(), e);
        }
    }

    private List<Prediction> run(float[] x, int rows, int features) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Set<String> wanted = classes.isEmpty() ? Set.of(outputName) : Set.of(LABEL, PROBABILITIES);
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, features});
             OrtSession.Result result = session.run(Map.of(inputName, tensor), wanted)) {
            List<Prediction> predictions = new ArrayList<>(rows);
            if (classes.isEmpty()) {
                float[] values = floats(result, outputName);
                if (values.length != rows) {
                    throw new IllegalStateException("the ONNX model returned " + values.length + " values for " + rows + " rows");
                }
                for (int r = 0; r < rows; r++) {
                    predictions.add(Prediction.ofValue(values[r]));
                }
                return predictions;
            }
            int k = classes.size();
            float[] probabilities = floats(result, PROBABILITIES);
            if (probabilities.length != (long) rows * k) {
                throw new IllegalStateException("the ONNX model returned " + probabilities.length + " probabilities for "
                        + rows + " rows of " + k + " classes");
            }
            String[] labels = labels(result.get(LABEL).orElseThrow(), rows);
            for (int r = 0; r < rows; r++) {
                Map<String, Double> byClass = new HashMap<>();
                for (int c = 0; c < k; c++) {
                    byClass.put(classes.get(c), (double) probabilities[r * k + c]);
                }
                predictions.add(Prediction.ofClass(labels[r], byClass));
            }
            return predictions;
        }
    }

    private static float[] floats(OrtSession.Result result, String name) {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * The label output as class names. A string label is the class; an int64 label is the class of
     * that name when {@link #classes} has one (sklearn labels like 3 and 7), else an index into it.
     */
    private String[] labels(OnnxValue value, int rows) throws OrtException {
        OnnxTensor t = (OnnxTensor) value;
        String[] out = new String[rows];
        if (t.getInfo().type == OnnxJavaType.STRING) {
            Object v = t.getValue();
            String[] strings = v instanceof String[] flat ? flat : flatten((Object[]) v);
            System.arraycopy(strings, 0, out, 0, rows);
            return out;
        }
        LongBuffer b = t.getLongBuffer();
        for (int r = 0; r < rows; r++) {
            long l = b.get(r);
            String name = Long.toString(l);
            out[r] = classes.contains(name) || l < 0 || l >= classes.size() ? name : classes.get((int) l);
        }
        return out;
    }

    private static String[] flatten(Object[] nested) {
        List<String> out = new ArrayList<>();
        for (Object o : nested) {
            if (o instanceof String s) {
                out.add(s);
            } else {
                out.addAll(Arrays.asList(flatten((Object[]) o)));
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * Runs ONNX Runtime code with this plugin's class loader as context loader: under PF4J only
     * the plugin's loader sees the runtime's classes and its bundled native libraries, which it
     * extracts from its own jar on first use.
     */
    private static <T> T withPluginLoader(Callable<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OnnxPredictor.class.getClassLoader());
        try {
            return work.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public Task task() {
        return classes.isEmpty() ? Task.REGRESSION : Task.CLASSIFICATION;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** Releases the native session; predicting afterwards fails. */
    @Override
    public void close() throws OrtException {
        session.close();
    }
}
