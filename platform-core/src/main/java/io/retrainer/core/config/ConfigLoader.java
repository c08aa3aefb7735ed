package io.retrainer.core.config;

import io.retrainer.api.ConfigSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves {@link PlatformConfig}: command-line options ({@code --port 8080}) override
 * environment variables ({@code RETRAINER_PORT}), which override the config file (a Java
 * properties file, {@code port=8080}), which overrides the defaults. The config file is
 * {@code --config FILE}, else {@code RETRAINER_CONFIG}, else {@code conf/retrainer.properties}
 * under {@code RETRAINER_HOME} if that exists.
 */
public final class ConfigLoader {
    private static final List<String> KEYS = List.of(PlatformConfig.HOST, PlatformConfig.PORT, PlatformConfig.DATA_DIR,
            PlatformConfig.DB_URL, PlatformConfig.PLUGINS_DIR, PlatformConfig.MAX_PARALLEL_RUNS,
            PlatformConfig.STAGE_TIMEOUT, PlatformConfig.DEMO, PlatformConfig.WEBHOOKS, PlatformConfig.PREDICTION_LOG_CAPACITY,
            PlatformConfig.PREDICTION_RETENTION, PlatformConfig.PLUGIN_UPLOAD, PlatformConfig.ADMIN_TOKEN);

    private ConfigLoader() {
    }

    /**
     * Resolves the configuration.
     *
     * @param args command-line arguments
     * @param env environment variables
     * @throws ConfigException naming the bad option or value and its origin
     */
    public static PlatformConfig load(String[] args, Map<String, String> env) {
        Map<String, String> cli = parseArgs(args);
        Map<String, String[]> values = new LinkedHashMap<>(); // key -> {value, origin}
        Path file = configFile(cli, env);
        if (file != null) {
            for (Map.Entry<String, String> e : readFile(file).entrySet()) {
                values.put(e.getKey(), new String[] {e.getValue(), file + " (" + e.getKey() + ")"});
            }
        }
        for (String key : KEYS) {
            String envName = "RETRAINER_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
            String v = env.get(envName);
            if (v != null && !v.isBlank()) {
                values.put(key, new String[] {v, "environment variable " + envName});
            }
        }
        cli.forEach((k, v) -> values.put(k, new String[] {v, "option --" + k}));
        PlatformConfig d = PlatformConfig.defaults();
        String home = env.get("RETRAINER_HOME");
        if (home != null && !home.isBlank()) {
            // An installation's own plugins/ is the default, wherever it is started from.
            d = new PlatformConfig(d.host(), d.port(), d.dataDir(), d.dbUrl(), Path.of(home, "plugins"), d.maxParallelRuns(),
                    d.stageTimeout(), d.demo(), d.webhooks(), d.predictionLogCapacity(), d.predictionRetention(),
                    d.pluginUpload(), d.adminToken());
        }
        boolean upload = bool(values, PlatformConfig.PLUGIN_UPLOAD, d.pluginUpload());
        String token = emptyToNull(str(values, PlatformConfig.ADMIN_TOKEN, d.adminToken()));
        if (upload && token == null) {
            throw new ConfigException(values.get(PlatformConfig.PLUGIN_UPLOAD)[1] + ": plugin-upload is on but no admin-token is set "
                    + "(--admin-token or RETRAINER_ADMIN_TOKEN); uploads need it");
        }
        return new PlatformConfig(
                str(values, PlatformConfig.HOST, d.host()),
                integer(values, PlatformConfig.PORT, d.port(), 0, 65535),
                Path.of(str(values, PlatformConfig.DATA_DIR, d.dataDir().toString())),
                emptyToNull(str(values, PlatformConfig.DB_URL, null)),
                Path.of(str(values, PlatformConfig.PLUGINS_DIR, d.pluginsDir().toString())),
                integer(values, PlatformConfig.MAX_PARALLEL_RUNS, d.maxParallelRuns(), 1, 1024),
                duration(values, PlatformConfig.STAGE_TIMEOUT, d.stageTimeout()),
                bool(values, PlatformConfig.DEMO, d.demo()),
                list(values, PlatformConfig.WEBHOOKS, d.webhooks()),
                integer(values, PlatformConfig.PREDICTION_LOG_CAPACITY, d.predictionLogCapacity(), 100, 100_000_000),
                duration(values, PlatformConfig.PREDICTION_RETENTION, d.predictionRetention()),
                upload, token);
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "' (options look like --port 8080; see --help)");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else if (key.equals(PlatformConfig.DEMO)) {
                value = "true";
            } else if (key.equals("no-demo")) {
                key = PlatformConfig.DEMO;
                value = "false";
            } else {
                throw new ConfigException("option --" + key + " needs a value");
            }
            if (!KEYS.contains(key) && !key.equals("config")) {
                throw new ConfigException("unknown option --" + key + " (known: --" + String.join(", --", KEYS) + ", --config)");
            }
            out.put(key, value);
        }
        return out;
    }

    private static Path configFile(Map<String, String> cli, Map<String, String> env) {
        String explicit = cli.remove("config");
        if (explicit == null) {
            explicit = env.get("RETRAINER_CONFIG");
        }
        if (explicit != null) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("config file " + p + " does not exist");
            }
            return p;
        }
        String home = env.get("RETRAINER_HOME");
        if (home != null) {
            Path p = Path.of(home, "conf", "retrainer.properties");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException("config file " + file + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            String v = props.getProperty(key).trim();
            if (!v.isEmpty()) {
                out.put(key, v);
            }
        }
        return out;
    }

    private static String str(Map<String, String[]> values, String key, String def) {
        String[] v = values.get(key);
        return v == null ? def : v[0];
    }

    private static int integer(Map<String, String[]> values, String key, int def, int min, int max) {
        String[] v = values.get(key);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v[0].trim());
            if (n < min || n > max) {
                throw new ConfigException(v[1] + ": " + key + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(v[1] + ": " + key + " must be a whole number, got '" + v[0] + "'");
        }
    }

    private static Duration duration(Map<String, String[]> values, String key, Duration def) {
        String[] v = values.get(key);
        if (v == null) {
            return def;
        }
        try {
            return ConfigSpec.parseDuration(v[0]);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v[1] + ": " + key + ": " + e.getMessage());
        }
    }

    private static List<String> list(Map<String, String[]> values, String key, List<String> def) {
        String[] v = values.get(key);
        if (v == null) {
            return def;
        }
        return java.util.Arrays.stream(v[0].split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static boolean bool(Map<String, String[]> values, String key, boolean def) {
        String[] v = values.get(key);
        if (v == null) {
            return def;
        }
        return switch (v[0].trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(v[1] + ": " + key + " must be true or false, got '" + v[0] + "'");
        };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
