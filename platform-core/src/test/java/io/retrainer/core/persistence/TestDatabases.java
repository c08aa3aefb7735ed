package io.retrainer.core.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases on the PostgreSQL server at 127.0.0.1:5432 (database {@code test}, trust
 * authentication), one per test class, so tests against the external server never see each
 * other's rows. Override the server with {@code RETRAINER_TEST_PG} (a {@code postgresql://} URL).
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    /** The admin URL of the external test server. */
    public static String serverUrl() {
        String env = System.getenv("RETRAINER_TEST_PG");
        return env != null && !env.isBlank() ? env : "postgresql://postgres@127.0.0.1:5432/test";
    }

    /** Creates an empty database and returns its URL. */
    public static String create() {
        String name = "retrainer_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + name);
        DatabaseTarget admin = DatabaseTarget.parse(serverUrl());
        return "postgresql://" + admin.user() + "@" + admin.host() + ":" + admin.port() + "/" + name;
    }

    /** Drops a database made by {@link #create()}, disconnecting its clients. */
    public static void drop(String url) {
        String name = DatabaseTarget.parse(url).database();
        execute("drop database if exists " + name + " with (force)");
    }

    /** Runs one SQL statement in the database at {@code url} (e.g. to fake a crash's leftovers). */
    public static void execute(String url, String sql) {
        DatabaseTarget t = DatabaseTarget.parse(url);
        try (Connection c = DriverManager.getConnection(t.jdbcUrl(), t.user(), t.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(t.displayUrl() + ": " + e.getMessage(), e);
        }
    }

    private static void execute(String sql) {
        DatabaseTarget admin = DatabaseTarget.parse(serverUrl());
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL at " + admin.displayUrl() + ": " + e.getMessage(), e);
        }
    }
}
