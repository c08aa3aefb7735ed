package io.retrainer.plugins.postgres;

import io.retrainer.api.Settings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * The {@code postgres} source's settings, typed, with the credentials resolved.
 *
 * @param jdbcUrl the JDBC URL without credentials
 * @param shownUrl the URL as shown in messages: never holds the password
 * @param user the user name
 * @param password the password, empty for trust or peer authentication
 * @param query the SQL query, without a trailing semicolon
 * @param label the label column
 * @param task {@code auto}, {@code classification} or {@code regression}
 * @param fetchSize rows per round trip of the cursor
 * @param changeColumn the column whose maximum (with the row count) is the change token, or {@code null}
 * @param connectTimeout how long to wait for the server to accept a connection
 */
record PostgresOptions(String jdbcUrl, String shownUrl, String user, String password, String query, String label,
                       String task, int fetchSize, String changeColumn, Duration connectTimeout) {

    /** Reads the settings, taking {@code *_env} credentials from the process environment. */
    static PostgresOptions from(Settings settings) {
        return from(settings, System::getenv);
    }

    /**
     * Reads the settings.
     *
     * @param env looks up environment variables (a parameter so that tests need not change the real environment)
     * @throws IllegalArgumentException saying which setting is wrong
     */
    static PostgresOptions from(Settings settings, Function<String, String> env) {
        String url = settings.requireString("url").trim();
        String u = url;
        if (u.startsWith("jdbc:")) {
            u = u.substring("jdbc:".length());
        }
        if (u.startsWith("postgres://")) {
            u = "postgresql://" + u.substring("postgres://".length());
        }
        if (!u.startsWith("postgresql://")) {
            throw new IllegalArgumentException("postgres: url must look like postgresql://host:5432/database or "
                    + "jdbc:postgresql://host:5432/database, got '" + redactUserInfo(url) + "'");
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postgres: url '" + redactUserInfo(url) + "' is not a valid URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("postgres: url '" + redactUserInfo(url) + "' has no host");
        }
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("postgres: url '" + redactUserInfo(url) + "' names no database (add /name after the port)");
        }
        String urlUser = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        // Parameters other than credentials (sslmode, options, ...) go to the driver unchanged.
        List<String> params = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String key = decode(pair.split("=", 2)[0]);
                if (key.equals("user")) {
                    urlUser = decode(pair.split("=", 2).length > 1 ? pair.split("=", 2)[1] : "");
                } else if (key.equals("password")) {
                    urlPassword = decode(pair.split("=", 2).length > 1 ? pair.split("=", 2)[1] : "");
                } else if (!pair.isEmpty()) {
                    params.add(pair);
                }
            }
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database
                + (params.isEmpty() ? "" : "?" + String.join("&", params));

        String user = credential(settings, env, "user", urlUser);
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("postgres: no user: set user or user_env, or put it in the url");
        }
        String password = credential(settings, env, "password", urlPassword);
        String shown = "postgresql://" + user + "@" + uri.getHost() + ":" + port + "/" + database;

        String query = settings.requireString("query").strip().replaceFirst(";+\\s*$", "").strip();
        if (query.isEmpty()) {
            throw new IllegalArgumentException("postgres: query is empty");
        }
        long fetch = settings.integer("fetch_size");
        if (fetch < 1 || fetch > 1_000_000) {
            throw new IllegalArgumentException("postgres: fetch_size must be between 1 and 1000000, got " + fetch);
        }
        return new PostgresOptions(jdbc, shown, user, password == null ? "" : password, query, settings.requireString("label"),
                settings.requireString("task"), (int) fetch, settings.string("change_column").filter(s -> !s.isBlank()).orElse(null),
                settings.duration("connect_timeout"));
    }

    /** {@code name} from the settings, else from the environment variable {@code name_env}, else from the URL. */
    private static String credential(Settings settings, Function<String, String> env, String name, String fromUrl) {
        String direct = settings.string(name).orElse(null);
        String variable = settings.string(name + "_env").orElse(null);
        if (direct != null && variable != null) {
            throw new IllegalArgumentException("postgres: give " + name + " or " + name + "_env, not both");
        }
        if (variable != null) {
            String value = env.apply(variable);
            if (value == null) {
                throw new IllegalArgumentException("postgres: " + name + "_env names the environment variable " + variable
                        + ", which is not set in the platform's environment");
            }
            return value;
        }
        return direct != null ? direct : fromUrl;
    }

    /** Driver properties: credentials, the connect timeout, and a name the server's pg_stat_activity shows. */
    Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        p.setProperty("ApplicationName", "retrainer postgres source");
        return p;
    }

    /** {@code text} with the password, should a driver message ever carry it, replaced. */
    String redact(String text) {
        if (text == null) {
            return "";
        }
        return password.length() < 3 ? text : text.replace(password, "****");
    }

    private static String redactUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//****@").replaceAll("password=[^&]*", "password=****");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
