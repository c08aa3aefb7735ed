package io.retrainer.plugins.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.Driver;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Connects, and turns driver exceptions into messages an operator can act on: which server
 * (never the password), and for a failing query where in the query the server stopped.
 */
final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * Opens a connection with the bundled driver. The driver is called directly rather than through
     * {@code DriverManager}, which only sees drivers of the caller's class loader's parents and
     * would pick the host's driver, or none, inside a plugin.
     *
     * @throws SQLException naming the server if it cannot be reached or refuses the login
     */
    static Connection connect(PostgresOptions options) throws SQLException {
        try {
            Connection c = new Driver().connect(options.jdbcUrl(), options.connectionProperties());
            if (c == null) {
                throw new SQLException("the driver does not accept the url");
            }
            return c;
        } catch (SQLException e) {
            throw new SQLException("postgres: cannot connect to " + options.shownUrl() + ": " + options.redact(firstLine(e.getMessage())),
                    e.getSQLState(), e);
        }
    }

    /**
     * A query failure with the server's message and, when the server gives one, the line and
     * column in the query where it stopped.
     *
     * @param offset characters the executed SQL has before {@code query} starts (when it was wrapped)
     */
    static SQLException queryFailed(PostgresOptions options, String query, int offset, SQLException e) {
        StringBuilder m = new StringBuilder("postgres: the query failed on ").append(options.shownUrl()).append(": ");
        String text = e.getMessage();
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            text = server.getSeverity() + ": " + server.getMessage();
            m.append(options.redact(text));
            int position = server.getPosition() - offset;
            if (server.getPosition() > 0 && position >= 1 && position <= query.length() + 1) {
                m.append(" (").append(where(query, position)).append(')');
            }
            if (server.getHint() != null) {
                m.append("; hint: ").append(server.getHint());
            }
        } else {
            m.append(options.redact(firstLine(text)));
        }
        return new SQLException(m.toString(), e.getSQLState(), e);
    }

    /** "at line 2, column 8 of the query, near "frm t"" for a 1-based character position. */
    static String where(String query, int position) {
        int index = position - 1;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = index - lineStart + 1;
        int end = query.indexOf('\n', index);
        String near = query.substring(Math.min(index, query.length()), Math.min(end < 0 ? query.length() : end, index + 30));
        return "at line " + line + ", column " + column + " of the query" + (near.isBlank() ? ", at its end" : ", near \"" + near + "\"");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
