package io.retrainer.plugins.postgres;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.DataSource;
import io.retrainer.api.Dataset;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Loads the rows of a SQL query against a PostgreSQL server, streamed through a cursor in a
 * read-only transaction. Column types follow the SQL types (numbers are numeric; text, booleans
 * and other types categorical; dates and timestamps timestamps); the label follows the
 * {@code task} setting as in the csv source. The fingerprint is a SHA-256 over the rows in the
 * order read, so the query needs an ORDER BY for it to be stable.
 */
@Extension
public final class PostgresDataSource implements DataSource {
    static final String ID = "postgres";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Loads the rows of a SQL query against a PostgreSQL database, streamed through a cursor.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("url", SettingType.STRING,
                        "Server and database: postgresql://host:5432/database or jdbc:postgresql://host:5432/database "
                                + "(other URL parameters such as sslmode=require are passed to the driver).")
                .optional("user", SettingType.STRING, null, "User name (or user_env, or in the url).")
                .optional("user_env", SettingType.STRING, null, "Name of an environment variable holding the user name.")
                .optional("password", SettingType.STRING, null,
                        "Password; prefer password_env, since settings are stored with the pipeline.")
                .optional("password_env", SettingType.STRING, null, "Name of an environment variable holding the password.")
                .required("query", SettingType.STRING,
                        "SELECT returning one row per example; add ORDER BY so that the fingerprint is stable. Runs read-only.")
                .required("label", SettingType.STRING, "Column the model learns to predict.")
                .choice("task", "auto", List.of("auto", "classification", "regression"),
                        "What the label is: auto treats a numeric label with at most " + PostgresLoader.MAX_CLASS_CODES
                                + " distinct whole values as classes, else as a number to regress.")
                .optional("fetch_size", SettingType.INTEGER, 10_000, "Rows fetched from the server per round trip.")
                .optional("change_column", SettingType.STRING, null,
                        "Column (as the query names it) whose maximum, with the row count, tells a data trigger that rows "
                                + "changed, e.g. updated_at; without it only the row count is compared.")
                .optional("connect_timeout", SettingType.DURATION, "10s", "How long to wait for the server to accept a connection.")
                .build();
    }

    @Override
    public Dataset load(StageContext context) throws SQLException {
        return new PostgresLoader(PostgresOptions.from(context.settings()), context).load();
    }

    /**
     * The query's row count, and with {@code change_column} that column's maximum, taken with one
     * aggregate query around the pipeline's query; the server does the counting.
     */
    @Override
    public Optional<String> changeToken(Settings settings) throws SQLException {
        return Optional.of(token(PostgresOptions.from(settings)));
    }

    static String token(PostgresOptions options) throws SQLException {
        String prefix = options.changeColumn() == null
                ? "select count(*) from (\n"
                : "select count(*), max(q." + quote(options.changeColumn()) + ")::text from (\n";
        String sql = prefix + options.query() + "\n) q";
        try (Connection connection = SqlErrors.connect(options)) {
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql);
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                return options.changeColumn() == null ? rs.getString(1) : rs.getString(1) + "|" + rs.getString(2);
            } catch (SQLException e) {
                if (options.changeColumn() != null && "42703".equals(e.getSQLState())
                        && String.valueOf(e.getMessage()).contains("q." + options.changeColumn())) {
                    throw new SQLException("postgres: change_column '" + options.changeColumn()
                            + "' is not among the query's columns; select it in the query", e.getSQLState(), e);
                }
                throw SqlErrors.queryFailed(options, options.query(), prefix.length(), e);
            }
        }
    }

    /** A column name as a quoted identifier: exactly as the query's result names it. */
    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
