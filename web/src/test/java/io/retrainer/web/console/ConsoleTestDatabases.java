package io.retrainer.web.console;

import io.retrainer.core.persistence.DatabaseTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases on the test PostgreSQL server (127.0.0.1:5432, database {@code test}, trust
 * authentication; {@code RETRAINER_TEST_PG} overrides it). The same as platform-core's
 * {@code TestDatabases}, which lives in that module's test-jar: the web module does not depend on
 * the test-jar, so the console tests keep their own copy.
 */
final class ConsoleTestDatabases {
    private ConsoleTestDatabases() {
    }

    static String serverUrl() {
        String env = System.getenv("RETRAINER_TEST_PG");
        return env != null && !env.isBlank() ? env : "postgresql://postgres@127.0.0.1:5432/test";
    }

    /** Creates an empty database and returns its URL. */
    static String create() {
        String name = "retrainer_console_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + name);
        DatabaseTarget admin = DatabaseTarget.parse(serverUrl());
        return "postgresql://" + admin.user() + "@" + admin.host() + ":" + admin.port() + "/" + name;
    }

    /** Drops a database made by {@link #create()}. */
    static void drop(String url) {
        execute("drop database if exists " + DatabaseTarget.parse(url).database() + " with (force)");
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
