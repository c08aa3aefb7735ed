package io.retrainer.core.pipeline;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
            "split", "train", "evaluate", "deploy", "triggers");
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
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new PipelineDefinition(name, model, seed, dataSource, validate, split, train, evaluate, deploy,
                triggers), List.of());
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
        for (int i = 0; i < list.size(); i++) {
            String path = "triggers[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> item) || item.size() != 1) {
                problems.add(path + ": expected one entry such as schedule: \"0 3 * * MON\", got " + describe(list.get(i)));
                continue;
            }
            Map<String, Object> m = asMap(item, path);
            String type = m.keySet().iterator().next();
            if (!type.equals("schedule")) {
                problems.add(path + ": '" + type + "' triggers are not available in this version (available: schedule; "
                        + "runs can also be started from the console or POST /api/pipelines/{name}/runs)");
                continue;
            }
            TriggerSpec t = schedule(m.get(type), path + ".schedule");
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private TriggerSpec schedule(Object raw, String path) {
        String cron;
        ZoneId zone = ZoneOffset.UTC;
        if (raw instanceof String s) {
            cron = s;
        } else if (raw instanceof Map<?, ?>) {
            Map<String, Object> m = asMap(raw, path);
            for (String k : m.keySet()) {
                if (!k.equals("cron") && !k.equals("timezone")) {
                    problems.add(path + "." + k + ": unknown key (known: cron, timezone)");
                }
            }
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
        return new TriggerSpec("schedule:" + cron + "@" + zone.getId(), cron, zone);
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
