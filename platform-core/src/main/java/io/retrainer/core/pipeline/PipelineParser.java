package io.retrainer.core.pipeline;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.retrainer.api.ConfigSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a pipeline document (YAML or JSON) into a {@link PipelineDefinition}, collecting every
 * structural problem with its path rather than stopping at the first. Plugin settings are
 * checked later, against the plugins' specs, by {@link PipelineValidator}.
 */
public final class PipelineParser {
    /** Pipeline names: lower-case letters, digits, dash and underscore. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> TOP_LEVEL = Set.of("name", "model", "seed", "description", "source", "validate",
            "split", "train", "evaluate", "deploy", "triggers", "window");
    /** Live metrics where higher is better: a performance trigger fires when one is {@code below} its threshold. */
    // The metrics io.retrainer.core.monitoring.LiveQuality computes, split by direction.
    public static final Set<String> HIGHER_IS_BETTER = Set.of("accuracy", "f1", "roc_auc");
    /** Live error metrics: a performance trigger fires when one is {@code above} its threshold. */
    public static final Set<String> LOWER_IS_BETTER = Set.of("mae", "rmse");
    private static final Duration DEFAULT_SIGNAL_WINDOW = Duration.ofHours(1);
    private static final Duration DEFAULT_SIGNAL_COOLDOWN = Duration.ofMinutes(10);
    private static final Duration DEFAULT_DATA_EVERY = Duration.ofMinutes(1);
    private static final long DEFAULT_MIN_SAMPLES = 100;
    private static final Set<String> POLICY_KEYS = Set.of("cooldown", "skip_while_running");
    // cron-utils rather than a hand-written parser: it validates ranges and names and computes
    // next execution times across DST changes in a given zone.
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The document's syntax. */
    public enum Format {
        YAML, JSON
    }

    /**
     * The outcome of parsing.
     *
     * @param definition the definition, or {@code null} when there are problems
     * @param problems every problem found, each prefixed with its path
     */
    public record Result(PipelineDefinition definition, List<String> problems) {
        /** Whether the document parsed without problems. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final List<String> problems = new ArrayList<>();

    private PipelineParser() {
    }

    /** Parses {@code source} written in {@code format}. */
    public static Result parse(String source, Format format) {
        return new PipelineParser().run(source, format);
    }

    /** Parses a cron expression, or throws with a readable reason. */
    public static com.cronutils.model.Cron parseCron(String expression) {
        return CRON.parse(expression).validate();
    }

    private Result run(String document, Format format) {
        Object tree;
        try {
            tree = (format == Format.JSON ? JSON : YAML).readValue(document, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            return new Result(null, List.of(where + format.name() + " syntax error: "
                    + e.getOriginalMessage().strip().replaceAll("\\s*\\n\\s*", " ")));
        }
        if (!(tree instanceof Map<?, ?>)) {
            return new Result(null, List.of("the document must be a mapping with name, source, train, ... (got "
                    + (tree == null ? "nothing" : describe(tree)) + ")"));
        }
        Map<String, Object> doc = asMap(tree, "");
        for (String key : doc.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.add(key + ": unknown key (known: " + String.join(", ", new java.util.TreeSet<>(TOP_LEVEL)) + ")");
            }
        }
        String name = string(doc, "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add("name: \"" + name + "\" must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        } else if ("new".equals(name)) {
            problems.add("name: \"new\" is reserved (the console's /pipelines/new page); choose another name");
        }
        String model = doc.containsKey("model") ? string(doc, "model", false) : name;
        if (model != null && !NAME.matcher(model).matches()) {
            problems.add("model: \"" + model + "\" must be 1-64 lower-case letters, digits, '-' or '_'");
        }
        long seed = 42;
        if (doc.get("seed") != null) {
            if (doc.get("seed") instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                seed = n.longValue();
            } else {
                problems.add("seed: expected integer, got " + describe(doc.get("seed")));
            }
        }
        StageSpec dataSource = stage(doc, "source", true);
        Map<String, Object> validate = settingsBlock(doc, "validate");
        Map<String, Object> split = settingsBlock(doc, "split");
        StageSpec train = stage(doc, "train", true);
        List<StageSpec> evaluate = evaluators(doc.get("evaluate"));
        StageSpec deploy = stage(doc, "deploy", false);
        List<TriggerSpec> triggers = triggers(doc.get("triggers"));
        DataWindow window = window(doc.get("window"));
        boolean hasEndpoint = deploy != null && deploy.config().get("endpoint") instanceof String;
        for (int i = 0; i < triggers.size() && !hasEndpoint; i++) {
            String kind = triggers.get(i).kind();
            if (kind.equals("performance") || kind.equals("drift")) {
                problems.add("triggers: a " + kind + " trigger watches the pipeline's serving endpoint, but the pipeline has none "
                        + "(add deploy: { plugin: local-serving, config: { endpoint: ... } })");
            }
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new PipelineDefinition(name, model, seed, dataSource, validate, split, train, evaluate, deploy,
                triggers, window), List.of());
    }

    private StageSpec stage(Map<String, Object> doc, String key, boolean required) {
        Object raw = doc.get(key);
        if (raw == null) {
            if (required) {
                problems.add(key + ": required (e.g. " + key + ": { plugin: ..., config: { ... } })");
            }
            return null;
        }
        return stageAt(raw, key);
    }

    private StageSpec stageAt(Object raw, String path) {
        if (raw instanceof String s) {
            return new StageSpec(s, Map.of(), path);
        }
        if (!(raw instanceof Map<?, ?>)) {
            problems.add(path + ": expected a mapping with plugin and config, got " + describe(raw));
            return null;
        }
        Map<String, Object> m = asMap(raw, path);
        for (String k : m.keySet()) {
            if (!k.equals("plugin") && !k.equals("config")) {
                problems.add(path + "." + k + ": unknown key (known: plugin, config)");
            }
        }
        String plugin = string(m, "plugin", true, path + ".plugin");
        Map<String, Object> config = Map.of();
        Object c = m.get("config");
        if (c instanceof Map<?, ?>) {
            config = asMap(c, path + ".config");
        } else if (c != null) {
            problems.add(path + ".config: expected a mapping of settings, got " + describe(c));
        }
        return new StageSpec(plugin, config, path);
    }

    private List<StageSpec> evaluators(Object raw) {
        if (raw == null) {
            return List.of();
        }
        List<Object> items = raw instanceof List<?> l ? new ArrayList<>(l) : List.of(raw);
        List<StageSpec> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            StageSpec s = stageAt(items.get(i), "evaluate[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Map<String, Object> settingsBlock(Map<String, Object> doc, String key) {
        Object raw = doc.get(key);
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?>)) {
            problems.add(key + ": expected a mapping of settings, got " + describe(raw));
            return Map.of();
        }
        return asMap(raw, key);
    }

    private List<TriggerSpec> triggers(Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            problems.add("triggers: expected a list, got " + describe(raw));
            return List.of();
        }
        List<TriggerSpec> out = new ArrayList<>();
        Map<String, String> pathByKey = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "triggers[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> item) || item.size() != 1) {
                problems.add(path + ": expected one entry such as schedule: \"0 3 * * MON\" or performance: { ... }, got "
                        + describe(list.get(i)));
                continue;
            }
            Map<String, Object> m = asMap(item, path);
            String type = m.keySet().iterator().next();
            String at = path + "." + type;
            TriggerSpec t = switch (type) {
                case "schedule" -> schedule(m.get(type), at);
                case "performance" -> performance(m.get(type), at);
                case "drift" -> drift(m.get(type), at);
                case "data" -> data(m.get(type), at);
                default -> {
                    problems.add(path + ": unknown trigger '" + type + "' (known: schedule, performance, drift, data; "
                            + "runs can also be started from the console or POST /api/pipelines/{name}/runs)");
                    yield null;
                }
            };
            if (t == null) {
                continue;
            }
            String earlier = pathByKey.putIfAbsent(t.key(), path);
            if (earlier != null) {
                problems.add(path + ": watches the same thing as " + earlier + " (" + t.describe() + "); merge them");
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private TriggerSpec schedule(Object raw, String path) {
        String cron;
        ZoneId zone = ZoneId.of("UTC");
        Duration cooldown = Duration.ZERO;
        boolean skip = true;
        if (raw instanceof String s) {
            cron = s;
        } else if (raw instanceof Map<?, ?>) {
            Map<String, Object> m = asMap(raw, path);
            knownKeys(m, path, "cron", "timezone");
            cron = string(m, "cron", true, path + ".cron");
            String tz = string(m, "timezone", false, path + ".timezone");
            if (tz != null) {
                try {
                    zone = ZoneId.of(tz);
                } catch (DateTimeException e) {
                    problems.add(path + ".timezone: unknown time zone \"" + tz + "\" (use an IANA name such as Europe/Berlin)");
                    return null;
                }
            }
            cooldown = duration(m, "cooldown", path, Duration.ZERO, true);
            skip = bool(m, "skip_while_running", path, true);
        } else {
            problems.add(path + ": expected a cron expression or { cron, timezone }, got " + describe(raw));
            return null;
        }
        if (cron == null) {
            return null;
        }
        try {
            parseCron(cron);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": invalid cron expression \"" + cron + "\": " + e.getMessage()
                    + " (five fields: minute hour day-of-month month day-of-week)");
            return null;
        }
        if (cooldown == null) {
            return null;
        }
        return new TriggerSpec("schedule:" + cron + "@" + zone.getId(), new TriggerSpec.Schedule(cron, zone), cooldown, skip);
    }

    private TriggerSpec performance(Object raw, String path) {
        Map<String, Object> m = triggerSettings(raw, path, "{ metric: accuracy, below: 0.85, window: 1h, min_samples: 500 }");
        if (m == null) {
            return null;
        }
        int before = problems.size();
        knownKeys(m, path, "metric", "below", "above", "window", "min_samples");
        String metric = string(m, "metric", true, path + ".metric");
        if (metric != null && !HIGHER_IS_BETTER.contains(metric) && !LOWER_IS_BETTER.contains(metric)) {
            problems.add(path + ".metric: unknown live metric \"" + metric + "\" (known: "
                    + String.join(", ", new java.util.TreeSet<>(HIGHER_IS_BETTER)) + "; error metrics: "
                    + String.join(", ", new java.util.TreeSet<>(LOWER_IS_BETTER)) + ")");
            metric = null;
        }
        Double below = number(m, "below", path);
        Double above = number(m, "above", path);
        if (m.containsKey("below") == m.containsKey("above")) {
            problems.add(path + ": give exactly one of below (for metrics where higher is better) or above (for error metrics)");
        } else if (metric != null && below != null && LOWER_IS_BETTER.contains(metric)) {
            problems.add(path + ".below: " + metric + " is an error metric (lower is better); use above");
        } else if (metric != null && above != null && HIGHER_IS_BETTER.contains(metric)) {
            problems.add(path + ".above: higher " + metric + " is better; use below");
        }
        Duration window = duration(m, "window", path, DEFAULT_SIGNAL_WINDOW, false);
        long minSamples = integer(m, "min_samples", path, DEFAULT_MIN_SAMPLES, 1);
        Duration cooldown = duration(m, "cooldown", path, DEFAULT_SIGNAL_COOLDOWN, true);
        boolean skip = bool(m, "skip_while_running", path, true);
        if (problems.size() > before) {
            return null;
        }
        return new TriggerSpec("performance:" + metric + (below != null ? "<" : ">") + "@" + TriggerSpec.formatDuration(window),
                new TriggerSpec.Performance(metric, below, above, window, minSamples), cooldown, skip);
    }

    private TriggerSpec drift(Object raw, String path) {
        Map<String, Object> m = triggerSettings(raw, path, "{ psi_above: 0.2, window: 1h, min_features: 1 }");
        if (m == null) {
            return null;
        }
        int before = problems.size();
        knownKeys(m, path, "psi_above", "window", "min_features", "features", "min_samples");
        Double psi = number(m, "psi_above", path);
        if (!m.containsKey("psi_above")) {
            problems.add(path + ".psi_above: required (the PSI above which a feature counts as drifted, e.g. 0.2)");
        } else if (psi != null && psi <= 0) {
            problems.add(path + ".psi_above: must be above 0, got " + formatRaw(m.get("psi_above")));
        }
        Duration window = duration(m, "window", path, DEFAULT_SIGNAL_WINDOW, false);
        long minFeatures = integer(m, "min_features", path, 1, 1);
        List<String> features = stringList(m, "features", path);
        if (features != null && !features.isEmpty() && minFeatures > features.size()) {
            problems.add(path + ".min_features: " + minFeatures + " is more than the features listed (" + features.size() + ")");
        }
        long minSamples = integer(m, "min_samples", path, DEFAULT_MIN_SAMPLES, 1);
        Duration cooldown = duration(m, "cooldown", path, DEFAULT_SIGNAL_COOLDOWN, true);
        boolean skip = bool(m, "skip_while_running", path, true);
        if (problems.size() > before) {
            return null;
        }
        List<String> named = features == null ? List.of() : features;
        return new TriggerSpec("drift:psi@" + TriggerSpec.formatDuration(window) + (named.isEmpty() ? "" : ":" + String.join(",", named)),
                new TriggerSpec.Drift(psi, window, (int) minFeatures, named, minSamples), cooldown, skip);
    }

    private TriggerSpec data(Object raw, String path) {
        Map<String, Object> m = triggerSettings(raw == null ? Map.of() : raw, path, "{ every: 30s }");
        if (m == null) {
            return null;
        }
        int before = problems.size();
        if (m.containsKey("watch")) {
            problems.add(path + ".watch: not needed: the data trigger asks the pipeline's own source whether its data "
                    + "changed (for csv: the file's size and modification time)");
        }
        for (String k : m.keySet()) {
            if (!k.equals("every") && !k.equals("watch") && !POLICY_KEYS.contains(k)) {
                problems.add(path + "." + k + ": unknown key (known: cooldown, every, skip_while_running)");
            }
        }
        Duration every = duration(m, "every", path, DEFAULT_DATA_EVERY, false);
        Duration cooldown = duration(m, "cooldown", path, Duration.ZERO, true);
        boolean skip = bool(m, "skip_while_running", path, true);
        if (problems.size() > before) {
            return null;
        }
        return new TriggerSpec("data", new TriggerSpec.Data(every), cooldown, skip);
    }

    private DataWindow window(Object raw) {
        if (raw == null) {
            return null;
        }
        String example = "{ last_rows: 15000 }, { column: t, newer_than: 7d } or { column: t, last: 15000 }";
        if (!(raw instanceof Map<?, ?>)) {
            problems.add("window: expected a mapping such as " + example + ", got " + describe(raw));
            return null;
        }
        Map<String, Object> m = asMap(raw, "window");
        int before = problems.size();
        for (String k : m.keySet()) {
            if (!Set.of("last_rows", "column", "newer_than", "last").contains(k)) {
                problems.add("window." + k + ": unknown key (known: column, last, last_rows, newer_than)");
            }
        }
        boolean lastRows = m.containsKey("last_rows");
        boolean newer = m.containsKey("newer_than");
        boolean last = m.containsKey("last");
        boolean column = m.containsKey("column");
        if ((lastRows ? 1 : 0) + (newer ? 1 : 0) + (last ? 1 : 0) != 1 || lastRows == column) {
            problems.add("window: give either last_rows, or column with one of newer_than or last, e.g. " + example);
            return null;
        }
        if (problems.size() > before) {
            return null;
        }
        if (lastRows) {
            long n = integer(m, "last_rows", "window", 0, 1);
            return problems.size() > before ? null : new DataWindow((int) n, null, null, null);
        }
        String col = string(m, "column", true, "window.column");
        if (newer) {
            Duration d = duration(m, "newer_than", "window", null, false);
            return problems.size() > before ? null : new DataWindow(null, col, d, null);
        }
        long n = integer(m, "last", "window", 0, 1);
        return problems.size() > before ? null : new DataWindow(null, col, null, (int) n);
    }

    /** A trigger's settings mapping, or null (and a problem) when it is something else. */
    private Map<String, Object> triggerSettings(Object raw, String path, String example) {
        if (!(raw instanceof Map<?, ?>)) {
            problems.add(path + ": expected a mapping such as " + example + ", got " + describe(raw));
            return null;
        }
        return asMap(raw, path);
    }

    private void knownKeys(Map<String, Object> m, String path, String... keys) {
        Set<String> known = new java.util.TreeSet<>(List.of(keys));
        known.addAll(POLICY_KEYS);
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                problems.add(path + "." + k + ": unknown key (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private Duration duration(Map<String, Object> m, String key, String path, Duration def, boolean zeroAllowed) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        try {
            Duration d = ConfigSpec.parseDuration(v);
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                problems.add(path + "." + key + ": must be " + (zeroAllowed ? "zero or more" : "more than zero") + ", got "
                        + formatRaw(v));
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(path + "." + key + ": " + e.getMessage());
            return null;
        }
    }

    private Double number(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        problems.add(path + "." + key + ": expected number, got " + describe(v));
        return null;
    }

    private long integer(Map<String, Object> m, String key, String path, long def, long min) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            problems.add(path + "." + key + ": expected integer, got " + describe(v));
            return def;
        }
        if (n.longValue() < min) {
            problems.add(path + "." + key + ": must be at least " + min + ", got " + n.longValue());
            return def;
        }
        return n.longValue();
    }

    private boolean bool(Map<String, Object> m, String key, String path, boolean def) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problems.add(path + "." + key + ": expected true or false, got " + describe(v));
        return def;
    }

    private List<String> stringList(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            problems.add(path + "." + key + ": expected a non-empty list of names such as [f1, f2], got " + describe(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s) || s.isBlank()) {
                problems.add(path + "." + key + "[" + i + "]: expected a feature name, got " + describe(l.get(i)));
            } else if (out.contains(s)) {
                problems.add(path + "." + key + "[" + i + "]: \"" + s + "\" is listed twice");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static String formatRaw(Object v) {
        return describe(v);
    }

    private String string(Map<String, Object> m, String key, boolean required) {
        return string(m, key, required, key);
    }

    private String string(Map<String, Object> m, String key, boolean required, String path) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                problems.add(path + ": required string is missing");
            }
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            problems.add(path + ": expected a non-empty string, got " + describe(v));
            return null;
        }
        return s;
    }

    private Map<String, Object> asMap(Object raw, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(v);
    }
}
