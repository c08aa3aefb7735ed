package io.retrainer.plugins.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Settings;
import io.retrainer.api.Task;
import io.retrainer.api.testing.TestStageContext;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Runs the source against the PostgreSQL server at 127.0.0.1:5432 (database {@code test}, trust
 * authentication; {@code RETRAINER_TEST_PG} overrides it). Each run works in its own schema,
 * dropped afterwards, so runs never see each other's tables.
 */
class PostgresDataSourceTest {
    private static final String SERVER = System.getenv().getOrDefault("RETRAINER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test");
    private static final Path BREAST_CANCER = Path.of("src/test/resources/breast_cancer.csv");
    private static final String SCHEMA = "retrainer_pgsrc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static List<String> csvLines;
    private static String featureList;

    private final PostgresDataSource source = new PostgresDataSource();

    @BeforeAll
    static void loadBreastCancerIntoATable() throws Exception {
        csvLines = Files.readAllLines(BREAST_CANCER);
        List<String> header = Arrays.asList(csvLines.get(0).split(","));
        StringBuilder ddl = new StringBuilder("create table " + SCHEMA + ".bc (id serial primary key");
        for (String name : header) {
            ddl.append(", ").append(name).append(name.equals("diagnosis") ? " text" : " double precision");
        }
        ddl.append(", updated_at timestamptz not null default '2026-01-01T00:00:00Z')");
        featureList = String.join(", ", header);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("create schema " + SCHEMA);
            s.execute(ddl.toString());
            try (Reader in = Files.newBufferedReader(BREAST_CANCER)) {
                long copied = new CopyManager(c.unwrap(BaseConnection.class))
                        .copyIn("copy " + SCHEMA + ".bc (" + featureList + ") from stdin with (format csv, header true)", in);
                assertEquals(569, copied);
            }
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        sql("drop schema if exists " + SCHEMA + " cascade");
    }

    private static Connection admin() throws SQLException {
        PostgresOptions o = PostgresOptions.from(new PostgresDataSource().configSpec().resolve(
                Map.of("url", SERVER, "query", "select 1", "label", "x"), "config"));
        return SqlErrors.connect(o);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private TestStageContext context(String query, String label, Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("url", SERVER);
        config.put("query", query);
        config.put("label", label);
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return TestStageContext.of(source.configSpec(), config);
    }

    private Dataset load(String query, String label, Object... extra) throws Exception {
        return source.load(context(query, label, extra));
    }

    private String token(String query, Object... extra) throws Exception {
        return source.changeToken(context(query, "x", extra).settings()).orElseThrow();
    }

    private String failure(String query, String label, Object... extra) {
        return assertThrows(Exception.class, () -> load(query, label, extra)).getMessage();
    }

    private String breastCancerQuery() {
        return "select " + featureList + " from " + SCHEMA + ".bc order by id";
    }

    @Test
    void breastCancerRowsArriveWithTypesFromTheMetadata() throws Exception {
        TestStageContext context = context(breastCancerQuery(), "diagnosis", "fetch_size", 50);
        Dataset data = source.load(context);

        assertEquals(569, data.rowCount());
        assertEquals(31, data.schema().columns().size());
        assertTrue(data.schema().features().stream().allMatch(c -> c.type() == ColumnType.NUMERIC));
        assertEquals(ColumnType.CATEGORICAL, data.schema().column("diagnosis").orElseThrow().type());
        assertEquals(Task.CLASSIFICATION, data.schema().task().orElseThrow());
        // every value equals the CSV the table was loaded from, in order
        for (int r = 0; r < 569; r++) {
            String[] fields = csvLines.get(r + 1).split(",");
            for (int c = 0; c < 30; c++) {
                assertEquals(Double.parseDouble(fields[c]), data.number(c, r), "row " + r + " column " + c);
            }
            assertEquals(fields[30], data.string(30, r));
        }
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("INFO loaded 569 rows, 31 columns from postgresql://")),
                context.logLines().toString());
        assertEquals(1.0, context.lastProgress());
    }

    @Test
    void sqlTypesMapToColumnTypes() throws Exception {
        String t = SCHEMA + ".typed";
        sql("create table " + t + " (i int, b bigint, n numeric(10,3), r real, txt text, vc varchar(10), flag boolean, "
                + "d date, ts timestamp, tz timestamptz, u uuid, y smallint)");
        sql("insert into " + t + " values (1, 10000000000, 1.5, 0.25, 'red', 'a', true, '2024-05-01', '2024-05-01 12:00:00', "
                + "'2024-05-01T12:00:00+02:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0), "
                + "(null, null, null, null, null, null, null, null, null, null, null, 1)");
        Dataset data = load("select * from " + t + " order by i nulls last", "y");

        assertEquals(List.of(new Column("i", ColumnType.NUMERIC), new Column("b", ColumnType.NUMERIC),
                new Column("n", ColumnType.NUMERIC), new Column("r", ColumnType.NUMERIC), new Column("txt", ColumnType.CATEGORICAL),
                new Column("vc", ColumnType.CATEGORICAL), new Column("flag", ColumnType.CATEGORICAL),
                new Column("d", ColumnType.TIMESTAMP), new Column("ts", ColumnType.TIMESTAMP), new Column("tz", ColumnType.TIMESTAMP),
                new Column("u", ColumnType.CATEGORICAL), new Column("y", ColumnType.CATEGORICAL)), data.schema().columns());
        assertEquals(1e10, data.number(1, 0));
        assertEquals(1.5, data.number(2, 0));
        assertEquals("true", data.string(6, 0));
        assertEquals(1714521600000.0, data.number(7, 0));
        assertEquals(1714564800000.0, data.number(8, 0), "timestamp without zone is taken as UTC");
        assertEquals(1714557600000.0, data.number(9, 0), "timestamptz keeps its instant");
        assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", data.string(10, 0));
        // a smallint label with two whole values is a class code, rendered without decimals
        assertEquals("0", data.string(11, 0));
        assertEquals("1", data.string(11, 1));
        for (int c = 0; c < 11; c++) {
            assertTrue(data.isMissing(c, 1), "column " + c + " is missing in row 1");
        }
    }

    @Test
    void taskDecidesWhatANumericLabelIs() throws Exception {
        String query = "select g::float8 as x, (g % 3) as y from generate_series(1, 30) g order by g";
        assertEquals(Task.CLASSIFICATION, load(query, "y").schema().task().orElseThrow());
        assertEquals(Task.REGRESSION, load(query, "y", "task", "regression").schema().task().orElseThrow());
        assertEquals(Task.REGRESSION, load("select g as x, g * 1.5 as y from generate_series(1, 30) g", "y").schema().task().orElseThrow());
        assertEquals(Task.CLASSIFICATION, load("select g as x, g * 1.5 as y from generate_series(1, 30) g", "y", "task",
                "classification").schema().task().orElseThrow());

        String message = failure(breastCancerQuery(), "diagnosis", "task", "regression");
        assertTrue(message.contains("task is regression but label 'diagnosis' has SQL type text"), message);
    }

    @Test
    void fingerprintIsStableAndTheChangeTokenSeesNewRows() throws Exception {
        String t = SCHEMA + ".growing";
        sql("create table " + t + " as select * from " + SCHEMA + ".bc");
        String query = "select " + featureList + ", updated_at from " + t + " order by id";
        String first = load(query, "diagnosis").fingerprint();
        String countOnly = token(query);
        String withMax = token(query, "change_column", "updated_at");

        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, load(query, "diagnosis", "fetch_size", 7).fingerprint(), "the fetch size does not change the data");
        assertEquals("569", countOnly);
        assertEquals("569|2026-01-01 00:00:00+00", withMax.replaceAll("\\+0+$", "+00"));
        assertEquals(withMax, token(query, "change_column", "updated_at"));
        // the same rows in another order are other data as far as lineage can tell
        assertNotEquals(first, load(query + " desc", "diagnosis").fingerprint());

        sql("update " + t + " set updated_at = '2026-02-01T00:00:00Z', mean_radius = 99 where id = 3");
        assertEquals(countOnly, token(query), "an update keeps the count");
        assertNotEquals(withMax, token(query, "change_column", "updated_at"), "but moves the maximum");
        assertNotEquals(first, load(query, "diagnosis").fingerprint());

        sql("insert into " + t + " select * from " + SCHEMA + ".bc where id = 1");
        assertEquals("570", token(query));
    }

    @Test
    void refusedConnectionNamesTheServerButNeverThePassword() {
        String message = assertThrows(SQLException.class, () -> source.load(TestStageContext.of(source.configSpec(), Map.of(
                "url", "jdbc:postgresql://127.0.0.1:1/test", "user", "loader", "password", "s3cret-pw",
                "query", "select 1 as x", "label", "x", "connect_timeout", "2s")))).getMessage();
        assertTrue(message.startsWith("postgres: cannot connect to postgresql://loader@127.0.0.1:1/test: "), message);
        assertTrue(message.toLowerCase().contains("refused"), message);
        assertFalse(message.contains("s3cret-pw"), message);

        String tokenMessage = assertThrows(SQLException.class, () -> source.changeToken(TestStageContext.of(source.configSpec(), Map.of(
                "url", "postgresql://loader:s3cret-pw@127.0.0.1:1/test", "query", "select 1 as x", "label", "x")).settings()))
                .getMessage();
        assertTrue(tokenMessage.startsWith("postgres: cannot connect to postgresql://loader@127.0.0.1:1/test"), tokenMessage);
        assertFalse(tokenMessage.contains("s3cret-pw"), tokenMessage);
    }

    @Test
    void sqlErrorsSayWhereInTheQuery() {
        String message = failure("select mean_radius,\n       diagnoses\n  from " + SCHEMA + ".bc", "diagnosis");
        assertTrue(message.startsWith("postgres: the query failed on postgresql://"), message);
        assertTrue(message.contains("ERROR: column \"diagnoses\" does not exist (at line 2, column 8 of the query, near \"diagnoses\")"),
                message);

        String syntax = failure("select mean_radius frm " + SCHEMA + ".bc", "diagnosis");
        assertTrue(syntax.contains("syntax error at or near") && syntax.contains("at line 1, column"), syntax);

        // the change token wraps the query; positions still refer to the pipeline's query
        String wrapped = assertThrows(SQLException.class, () -> token("select nope from " + SCHEMA + ".bc")).getMessage();
        assertTrue(wrapped.contains("column \"nope\" does not exist (at line 1, column 8 of the query"), wrapped);
        String badChangeColumn = assertThrows(SQLException.class,
                () -> token("select id from " + SCHEMA + ".bc", "change_column", "updated_at")).getMessage();
        assertEquals("postgres: change_column 'updated_at' is not among the query's columns; select it in the query", badChangeColumn);
    }

    @Test
    void aMissingLabelListsTheQuerysColumns() {
        String message = failure("select mean_radius, diagnosis from " + SCHEMA + ".bc", "label");
        assertEquals("postgres: label column 'label' is not among the query's columns (available: mean_radius, diagnosis)", message);
    }

    @Test
    void unusableResultsAreExplained() {
        assertEquals("postgres: the query returned no rows", failure("select 1 as x where false", "x"));
        assertTrue(failure("select 1 as x, 2 as x", "x").contains("two columns called 'x'"));
        String bytes = failure("select 'ab'::bytea as blob, 1 as y", "y");
        assertTrue(bytes.contains("column 'blob' has SQL type bytea") && bytes.contains("blob::text"), bytes);
        String write = failure("insert into " + SCHEMA + ".bc (diagnosis) values ('x') returning diagnosis", "diagnosis");
        assertTrue(write.contains("read-only transaction"), write);
    }

    @Test
    void cancellationStopsAQueryStillRunningOnTheServer() throws Exception {
        TestStageContext context = context("select pg_sleep(30)::text as slept, 1 as y", "y");
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            context.cancel();
        });
        canceller.start();
        assertThrows(CancellationException.class, () -> source.load(context));
        canceller.join();
    }

    @Test
    void urlFormsAndCredentialsFromTheEnvironment() {
        Map<String, String> env = Map.of("PG_USER", "reader", "PG_PASS", "from-env");
        PostgresOptions o = options(env, "url", "postgres://u:p%40ss@db.example:6543/sales?sslmode=require&password=x2",
                "query", "select 1;  ", "label", "x");
        assertEquals("jdbc:postgresql://db.example:6543/sales?sslmode=require", o.jdbcUrl());
        assertEquals("postgresql://u@db.example:6543/sales", o.shownUrl());
        assertEquals("u", o.user());
        assertEquals("x2", o.password(), "a password parameter wins over the user info");
        assertEquals("select 1", o.query());

        o = options(env, "url", "jdbc:postgresql://h/db", "user_env", "PG_USER", "password_env", "PG_PASS", "query", "q", "label", "x");
        assertEquals("reader", o.user());
        assertEquals("from-env", o.password());
        assertEquals("jdbc:postgresql://h:5432/db", o.jdbcUrl());

        assertEquals("postgres: password_env names the environment variable NOPE, which is not set in the platform's environment",
                assertThrows(IllegalArgumentException.class, () -> options(env, "url", "postgresql://u@h/db", "password_env", "NOPE",
                        "query", "q", "label", "x")).getMessage());
        assertEquals("postgres: give password or password_env, not both",
                assertThrows(IllegalArgumentException.class, () -> options(env, "url", "postgresql://u@h/db", "password", "a",
                        "password_env", "PG_PASS", "query", "q", "label", "x")).getMessage());
        String badUrl = assertThrows(IllegalArgumentException.class, () -> options(env, "url", "mysql://u:secret@h/db",
                "query", "q", "label", "x")).getMessage();
        assertTrue(badUrl.startsWith("postgres: url must look like postgresql://") && !badUrl.contains("secret"), badUrl);
        assertNull(options(env, "url", "postgresql://u@h/db", "query", "q", "label", "x").changeColumn());
    }

    private PostgresOptions options(Map<String, String> env, Object... config) {
        Map<String, Object> raw = new HashMap<>();
        for (int i = 0; i < config.length; i += 2) {
            raw.put((String) config[i], config[i + 1]);
        }
        Settings settings = source.configSpec().resolve(raw, "config");
        return PostgresOptions.from(settings, env::get);
    }
}
