package io.retrainer.core.persistence;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the PostgreSQL server is, parsed from {@code postgresql://user:pass@host:port/db} (the
 * {@code jdbc:} prefix and {@code ?user=&password=} parameters are accepted too).
 *
 * @param host server host
 * @param port server port
 * @param database database name
 * @param user user name
 * @param password password, may be empty (trust authentication)
 */
public record DatabaseTarget(String host, int port, String database, String user, String password) {

    /**
     * Parses a database URL.
     *
     * @throws IllegalArgumentException saying what is wrong with the URL
     */
    public static DatabaseTarget parse(String url) {
        String u = url.trim();
        if (u.startsWith("jdbc:")) {
            u = u.substring(5);
        }
        if (u.startsWith("postgres://")) {
            u = "postgresql://" + u.substring("postgres://".length());
        }
        if (!u.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database URL must look like postgresql://user:password@host:5432/database, got '" + url + "'");
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("database URL '" + url + "' is not a valid URL: " + e.getMessage());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("database URL '" + url + "' has no host");
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("database URL '" + url + "' names no database (add /name after the port)");
        }
        Map<String, String> params = query(uri.getRawQuery());
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length > 1) {
                password = decode(parts[1]);
            }
        }
        user = params.getOrDefault("user", user);
        password = params.getOrDefault("password", password);
        return new DatabaseTarget(host, port, database, user, password);
    }

    /** The URL for JDBC (Flyway), without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL shown to people: never includes the password. */
    public String displayUrl() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return displayUrl();
    }
}
