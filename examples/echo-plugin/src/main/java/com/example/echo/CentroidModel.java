package com.example.echo;

import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Predictor;
import io.retrainer.api.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A nearest-centroid classifier: one mean point per class over the numeric features. Its artifact
 * is plain text, one line per class ({@code class<TAB>feature=mean,...}), after a header naming the
 * features. Immutable, hence thread-safe as the platform requires of a {@link Predictor}.
 */
final class CentroidModel implements Predictor {
    static final String FORMAT = "echo-centroid";

    private final List<String> features;
    private final Map<String, double[]> centroids;

    CentroidModel(List<String> features, Map<String, double[]> centroids) {
        this.features = List.copyOf(features);
        this.centroids = new LinkedHashMap<>(centroids);
    }

    /** Trains on the numeric columns of {@code data} (other columns are ignored). */
    static CentroidModel fit(Dataset data) {
        List<String> features = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < data.schema().columns().size(); c++) {
            var col = data.schema().columns().get(c);
            if (!col.name().equals(data.schema().label()) && col.type() == ColumnType.NUMERIC) {
                features.add(col.name());
                idx.add(c);
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("nearest-centroid needs at least one numeric feature column");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (int r = 0; r < data.rowCount(); r++) {
            String label = data.labelString(r);
            if (label == null) {
                continue;
            }
            double[] sum = sums.computeIfAbsent(label, k -> new double[features.size()]);
            long[] n = counts.computeIfAbsent(label, k -> new long[features.size()]);
            for (int f = 0; f < features.size(); f++) {
                double v = data.number(idx.get(f), r);
                if (!Double.isNaN(v)) {
                    sum[f] += v;
                    n[f]++;
                }
            }
        }
        Map<String, double[]> means = new LinkedHashMap<>();
        sums.keySet().stream().sorted().forEach(label -> {
            double[] m = sums.get(label).clone();
            long[] n = counts.get(label);
            for (int f = 0; f < m.length; f++) {
                m[f] = n[f] == 0 ? 0 : m[f] / n[f];
            }
            means.put(label, m);
        });
        return new CentroidModel(features, means);
    }

    byte[] toBytes() {
        StringBuilder sb = new StringBuilder(String.join(",", features)).append('\n');
        centroids.forEach((label, m) -> {
            sb.append(label).append('\t');
            for (int f = 0; f < m.length; f++) {
                sb.append(f == 0 ? "" : ",").append(Double.toString(m[f]));
            }
            sb.append('\n');
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static CentroidModel fromBytes(byte[] artifact) {
        String[] lines = new String(artifact, StandardCharsets.UTF_8).split("\n");
        if (lines.length < 2) {
            throw new IllegalArgumentException("not an " + FORMAT + " artifact: expected a header and at least one class line");
        }
        List<String> features = List.of(lines[0].split(","));
        Map<String, double[]> centroids = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split("\t");
            String[] values = parts.length == 2 ? parts[1].split(",") : new String[0];
            if (values.length != features.size()) {
                throw new IllegalArgumentException("not an " + FORMAT + " artifact: line " + (i + 1) + " has "
                        + values.length + " values for " + features.size() + " features");
            }
            double[] m = new double[values.length];
            for (int f = 0; f < m.length; f++) {
                m[f] = Double.parseDouble(values[f]);
            }
            centroids.put(parts[0], m);
        }
        return new CentroidModel(features, centroids);
    }

    @Override
    public List<Prediction> predict(Dataset inputs) {
        int[] idx = new int[features.size()];
        for (int f = 0; f < idx.length; f++) {
            idx[f] = inputs.schema().indexOf(features.get(f));
            if (idx[f] < 0) {
                throw new IllegalArgumentException("input has no column '" + features.get(f) + "'");
            }
        }
        List<Prediction> out = new ArrayList<>(inputs.rowCount());
        for (int r = 0; r < inputs.rowCount(); r++) {
            // Softmax over negative squared distances: the nearest centroid gets the highest probability.
            Map<String, Double> weights = new LinkedHashMap<>();
            double total = 0;
            for (Map.Entry<String, double[]> e : centroids.entrySet()) {
                double d = 0;
                for (int f = 0; f < idx.length; f++) {
                    double v = inputs.number(idx[f], r);
                    double diff = (Double.isNaN(v) ? e.getValue()[f] : v) - e.getValue()[f];
                    d += diff * diff;
                }
                double w = Math.exp(-10 * d);
                weights.put(e.getKey(), w);
                total += w;
            }
            Map<String, Double> probabilities = new LinkedHashMap<>();
            String best = null;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                double p = total == 0 ? 1.0 / weights.size() : w.getValue() / total;
                probabilities.put(w.getKey(), p);
                if (best == null || p > probabilities.get(best)) {
                    best = w.getKey();
                }
            }
            out.add(Prediction.ofClass(best, probabilities));
        }
        return out;
    }

    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    @Override
    public List<String> classes() {
        return List.copyOf(centroids.keySet());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        centroids.forEach((k, v) -> sb.append(k).append(" at ").append(java.util.Arrays.toString(v)).append("; "));
        return String.format(Locale.ROOT, "centroids over %s: %s", features, sb);
    }
}
