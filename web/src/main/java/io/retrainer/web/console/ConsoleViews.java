package io.retrainer.web.console;

import io.retrainer.api.SettingSpec;
import io.retrainer.core.pipeline.PipelineSummary;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunSummary;
import io.retrainer.core.pipeline.StageView;
import io.retrainer.core.plugins.ExtensionView;
import io.retrainer.core.plugins.PluginView;
import io.retrainer.core.registry.ModelSummary;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.serving.EndpointView;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the platform's records into the plain maps and lists the templates read, with times,
 * durations and numbers already formatted. Templates never call methods on platform types:
 * Thymeleaf's OGNL resolves {@code ${x.name}} through getters or map keys, and records have
 * neither, so every value a template needs is put into a {@link Map} here.
 *
 * <p>Map keys avoid {@code size}, {@code keys}, {@code values} and {@code isEmpty}: OGNL reads
 * those as the map's own methods rather than as entries.
 */
final class ConsoleViews {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Metrics shown as columns of a model's version table, in this order, when present. */
    static final List<String> KEY_METRICS = List.of("accuracy", "roc_auc", "f1_macro", "log_loss", "r2", "rmse", "mae");
    private static final int MAX_DEPTH = 12;
    private static final int GRID_FROM = 8;

    private ConsoleViews() {
    }

    // ---- formatting ------------------------------------------------------------------------

    /** UTC {@code yyyy-MM-dd HH:mm:ss}, or an empty string. */
    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** {@code 1.23 s}; from a minute on, the minutes too: {@code 83.20 s (1 min 23 s)}. */
    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        double seconds = d.toMillis() / 1000.0;
        String s = String.format(Locale.ROOT, "%.2f s", seconds);
        if (seconds >= 60) {
            long total = d.toSeconds();
            long h = total / 3600;
            long m = (total % 3600) / 60;
            long sec = total % 60;
            s += h > 0 ? String.format(Locale.ROOT, " (%d h %d min %d s)", h, m, sec)
                    : String.format(Locale.ROOT, " (%d min %d s)", m, sec);
        }
        return s;
    }

    /** The time from {@code start} to {@code end} (or to now while it runs), formatted; empty without a start. */
    static String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        Instant to = end == null ? Instant.now() : end;
        if (to.isBefore(start)) {
            to = start;
        }
        return duration(Duration.between(start, to)) + (end == null ? " so far" : "");
    }

    /** A number for people: whole numbers without decimals, others with at most 4 decimals. */
    static String number(Number n) {
        if (n == null) {
            return "";
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        if (Math.abs(d) < 0.001) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        return new BigDecimal(d).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** Any JSON-like scalar as text. */
    static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number n) {
            return number(n);
        }
        return String.valueOf(v);
    }

    // ---- pipelines and runs ----------------------------------------------------------------

    static Map<String, Object> pipelineSummary(PipelineSummary p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("revision", p.revision());
        m.put("updated", time(p.updated()));
        m.put("lastRun", p.lastRun() == null ? null : runSummary(p.lastRun()));
        return m;
    }

    static Map<String, Object> pipeline(PipelineView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("revision", v.revision());
        m.put("currentRevision", v.currentRevision());
        m.put("current", v.revision() == v.currentRevision());
        m.put("source", v.source());
        m.put("format", v.format() == null ? "yaml" : v.format().name().toLowerCase(Locale.ROOT));
        m.put("created", time(v.created()));
        if (v.definition() != null) {
            m.put("model", v.definition().model());
            m.put("endpoint", v.definition().servingEndpoint().orElse(null));
        }
        return m;
    }

    static Map<String, Object> runSummary(RunSummary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("pipeline", r.pipeline());
        m.put("revision", r.revision());
        m.put("status", r.status());
        m.put("active", "queued".equals(r.status()) || "running".equals(r.status()));
        m.put("trigger", r.trigger());
        m.put("triggerReason", r.triggerReason());
        m.put("error", r.error());
        m.put("verdict", r.verdict());
        m.put("verdictReason", r.verdictReason());
        m.put("modelName", r.modelName());
        m.put("modelVersion", r.modelVersion());
        m.put("created", time(r.created()));
        m.put("started", time(r.started()));
        m.put("finished", time(r.finished()));
        m.put("duration", duration(r.started(), r.finished()));
        return m;
    }

    static Map<String, Object> stage(StageView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("position", s.position());
        m.put("name", s.name());
        m.put("plugin", s.plugin());
        m.put("status", s.status());
        m.put("started", time(s.started()));
        m.put("finished", time(s.finished()));
        m.put("duration", s.finished() == null && !"running".equals(s.status()) ? "" : duration(s.started(), s.finished()));
        double progress = Double.isNaN(s.progress()) ? 0 : Math.max(0, Math.min(1, s.progress()));
        m.put("progress", progress);
        m.put("percent", (int) Math.round(progress * 100));
        m.put("progressMessage", s.progressMessage());
        m.put("log", s.log() == null ? "" : s.log());
        m.put("error", s.error());
        m.put("metrics", s.metrics() == null || s.metrics().isEmpty() ? null : node(s.metrics(), 0));
        return m;
    }

    // ---- models ----------------------------------------------------------------------------

    static Map<String, Object> modelSummary(ModelSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("versionCount", s.versions());
        m.put("latest", s.latestVersion());
        m.put("production", s.productionVersion());
        m.put("updated", time(s.updated()));
        return m;
    }

    /** The key metric names of a model: those of {@link #KEY_METRICS} any version has, else the first three of the newest. */
    static List<String> keyMetrics(List<ModelVersionView> versions) {
        Set<String> present = new LinkedHashSet<>();
        for (ModelVersionView v : versions) {
            present.addAll(metricValues(v).keySet());
        }
        List<String> keys = new ArrayList<>();
        for (String k : KEY_METRICS) {
            if (present.contains(k) && keys.size() < 4) {
                keys.add(k);
            }
        }
        if (keys.isEmpty()) {
            present.stream().limit(3).forEach(keys::add);
        }
        return keys;
    }

    static Map<String, Object> modelVersion(ModelVersionView v, List<String> keyMetrics) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", v.model());
        m.put("version", v.version());
        m.put("stage", v.stage() == null ? "" : v.stage().label());
        m.put("production", v.stage() != null && "production".equals(v.stage().label()));
        m.put("stageReason", v.stageReason());
        m.put("format", v.format());
        m.put("sha", v.artifactSha256());
        m.put("artifactBytes", v.artifactSize());
        m.put("runId", v.runId());
        m.put("pipeline", v.pipeline());
        m.put("created", time(v.created()));
        Map<String, Object> values = metricValues(v);
        List<String> key = new ArrayList<>();
        for (String k : keyMetrics) {
            Object x = values.get(k);
            key.add(x == null ? "" : scalar(x));
        }
        m.put("keyMetrics", key);
        Map<String, Object> metrics = v.metrics() == null ? Map.of() : v.metrics();
        m.put("metrics", metrics.isEmpty() ? null : node(metrics, 0));
        m.put("lineage", v.lineage() == null || v.lineage().isEmpty() ? null : node(v.lineage(), 0));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metricValues(ModelVersionView v) {
        if (v.metrics() != null && v.metrics().get("values") instanceof Map<?, ?> values) {
            return (Map<String, Object>) values;
        }
        return Map.of();
    }

    // ---- plugins and serving ---------------------------------------------------------------

    static Map<String, Object> plugin(PluginView p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id() == null ? "(unknown)" : p.id());
        m.put("version", p.version());
        m.put("provider", p.provider());
        m.put("description", p.description());
        m.put("requires", p.requires());
        m.put("state", p.state());
        m.put("file", p.file());
        m.put("reason", p.reason());
        List<Map<String, Object>> extensions = new ArrayList<>();
        if (p.extensions() != null) {
            for (ExtensionView e : p.extensions()) {
                extensions.add(extension(e));
            }
        }
        m.put("extensions", extensions);
        return m;
    }

    static Map<String, Object> extension(ExtensionView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("kinds", e.kinds() == null ? "" : String.join(", ", e.kinds()));
        m.put("description", e.description());
        List<Map<String, Object>> settings = new ArrayList<>();
        if (e.settings() != null) {
            for (SettingSpec s : e.settings()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", s.name());
                row.put("type", s.type().label());
                row.put("defaultValue", s.defaultValue() == null ? "" : valueText(s.defaultValue()));
                row.put("required", s.required());
                row.put("allowed", String.join(", ", s.allowedValues()));
                row.put("help", s.help());
                settings.add(row);
            }
        }
        m.put("settings", settings);
        return m;
    }

    static Map<String, Object> endpoint(EndpointView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", e.endpoint());
        m.put("model", e.model());
        m.put("version", e.version());
        m.put("since", time(e.since()));
        return m;
    }

    private static String valueText(Object v) {
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(scalar(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof java.time.Duration d) {
            return duration(d);
        }
        return scalar(v);
    }

    // ---- JSON-like trees (metrics, lineage) ------------------------------------------------

    /**
     * A JSON-like value as a tree the templates render recursively. Every node has a
     * {@code kind}:
     * <ul>
     *   <li>{@code scalar}: {@code text};</li>
     *   <li>{@code map}: {@code entries}, each {@code key} and {@code node};</li>
     *   <li>{@code grid}: a map of more than a few scalars, shown in columns; {@code entries} as for a map;</li>
     *   <li>{@code compare}: candidate and champion metrics side by side (see {@link #compare});</li>
     *   <li>{@code records}: a list of maps of scalars as a table, {@code headers} and {@code rows} of cells;</li>
     *   <li>{@code list}: {@code items}, each a node (a list of scalars becomes one scalar, comma separated);</li>
     *   <li>{@code matrix}: a confusion matrix {@code {labels, matrix}} as {@code labels} and
     *       {@code rows}, each {@code label} and {@code cells}.</li>
     * </ul>
     */
    static Map<String, Object> node(Object value, int depth) {
        Map<String, Object> n = new LinkedHashMap<>();
        if (depth > MAX_DEPTH) {
            n.put("kind", "scalar");
            n.put("text", String.valueOf(value));
            return n;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> matrix = matrix(map);
            if (matrix != null) {
                return matrix;
            }
            List<Map<String, Object>> entries = new ArrayList<>();
            Map<String, Object> compare = compare(map);
            map.forEach((k, v) -> {
                if (compare != null && (compare.get("first").equals(k) || "champion".equals(k))) {
                    if (compare.get("first").equals(k)) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("key", k + " vs champion");
                        e.put("node", compare);
                        entries.add(e);
                    }
                    return;
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("key", String.valueOf(k));
                e.put("node", node(v, depth + 1));
                entries.add(e);
            });
            boolean flat = entries.stream().allMatch(e -> "scalar".equals(((Map<?, ?>) e.get("node")).get("kind")));
            // Many plain values (per-column fractions, settings) flow in columns instead of one long table.
            n.put("kind", entries.isEmpty() ? "scalar" : flat && entries.size() > GRID_FROM ? "grid" : "map");
            n.put("entries", entries);
            n.put("text", "(none)");
            return n;
        }
        if (value instanceof Collection<?> list) {
            boolean allScalar = list.stream().noneMatch(x -> x instanceof Map<?, ?> || x instanceof Collection<?>);
            if (allScalar) {
                List<String> parts = new ArrayList<>();
                list.forEach(x -> parts.add(scalar(x)));
                n.put("kind", "scalar");
                n.put("text", parts.isEmpty() ? "(none)" : String.join(", ", parts));
                return n;
            }
            Map<String, Object> records = records(list);
            if (records != null) {
                return records;
            }
            List<Map<String, Object>> items = new ArrayList<>();
            list.forEach(x -> items.add(node(x, depth + 1)));
            n.put("kind", "list");
            n.put("items", items);
            return n;
        }
        n.put("kind", "scalar");
        n.put("text", scalar(value));
        return n;
    }

    /** A list of maps of scalars (schema columns, say) as a {@code records} node: {@code headers} and {@code rows} of cells. */
    private static Map<String, Object> records(Collection<?> list) {
        Set<String> headers = new LinkedHashSet<>();
        for (Object x : list) {
            if (!(x instanceof Map<?, ?> m) || m.isEmpty()
                    || m.values().stream().anyMatch(v -> v instanceof Map<?, ?> || v instanceof Collection<?>)) {
                return null;
            }
            m.keySet().forEach(k -> headers.add(String.valueOf(k)));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object x : list) {
            Map<?, ?> m = (Map<?, ?>) x;
            List<String> cells = new ArrayList<>();
            for (String h : headers) {
                cells.add(m.containsKey(h) ? scalar(m.get(h)) : "");
            }
            rows.add(cells);
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("kind", "records");
        n.put("headers", List.copyOf(headers));
        n.put("rows", rows);
        return n;
    }

    /**
     * Side-by-side metrics when {@code map} holds {@code candidate} (an evaluate stage) or
     * {@code values} (a model version) and {@code champion} as maps of numbers: a {@code compare} node with
     * {@code columns} and {@code rows}, each {@code key} and {@code cells}; otherwise {@code null}.
     */
    private static Map<String, Object> compare(Map<?, ?> map) {
        String first = map.containsKey("candidate") ? "candidate" : "values";
        if (!(map.get(first) instanceof Map<?, ?> candidate) || !(map.get("champion") instanceof Map<?, ?> champion)
                || champion.isEmpty()) {
            return null;
        }
        Set<Object> keys = new LinkedHashSet<>(candidate.keySet());
        keys.addAll(champion.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object k : keys) {
            Object a = candidate.get(k);
            Object b = champion.get(k);
            if (a instanceof Map<?, ?> || a instanceof Collection<?> || b instanceof Map<?, ?> || b instanceof Collection<?>) {
                return null;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", String.valueOf(k));
            row.put("cells", List.of(a == null ? "" : scalar(a), b == null ? "" : scalar(b)));
            rows.add(row);
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("kind", "compare");
        n.put("first", first);
        n.put("columns", first.equals("candidate") ? List.of("candidate", "champion") : List.of("this version", "champion then"));
        n.put("rows", rows);
        return n;
    }

    /** A {@code {labels: [...], matrix: [[...], ...]}} map as a matrix node, or {@code null} if it is not one. */
    private static Map<String, Object> matrix(Map<?, ?> map) {
        if (!(map.get("labels") instanceof List<?> labels) || !(map.get("matrix") instanceof List<?> rows)
                || rows.size() != labels.size() || map.size() > 3) {
            return null;
        }
        List<Map<String, Object>> outRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof List<?> row) || row.size() != labels.size()) {
                return null;
            }
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int j = 0; j < row.size(); j++) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("text", scalar(row.get(j)));
                cell.put("diagonal", i == j);
                cells.add(cell);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("label", scalar(labels.get(i)));
            r.put("cells", cells);
            outRows.add(r);
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("kind", "matrix");
        n.put("labels", labels.stream().map(ConsoleViews::scalar).toList());
        n.put("rows", outRows);
        return n;
    }
}
