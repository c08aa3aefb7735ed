package io.retrainer.core.persistence;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.cfg.Configuration;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.stage.Stage;
import org.hibernate.reactive.vertx.VertxInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the platform's database: starts the embedded server if no URL is given, checks the
 * server answers, applies the versioned migrations (Flyway) and builds the Hibernate Reactive
 * session factory on the platform's Vert.x instance. Blocking; call it before serving.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DatabaseTarget target;
    private final EmbeddedDatabase embedded;
    private final Db db;

    private Database(DatabaseTarget target, EmbeddedDatabase embedded, Db db) {
        this.target = target;
        this.embedded = embedded;
        this.db = db;
    }

    /**
     * Opens the database.
     *
     * @param dbUrl an external server's URL, or {@code null} for the embedded one
     * @param dataDir the platform's data directory (embedded data goes in {@code dataDir/postgres})
     * @param vertx the platform's Vert.x instance, shared with Hibernate Reactive
     * @throws DatabaseException with one line saying which URL failed and why
     */
    public static Database open(String dbUrl, Path dataDir, Vertx vertx) {
        EmbeddedDatabase embedded = null;
        DatabaseTarget target;
        if (dbUrl == null || dbUrl.isBlank()) {
            embedded = EmbeddedDatabase.start(dataDir.resolve("postgres"));
            target = embedded.target();
        } else {
            try {
                target = DatabaseTarget.parse(dbUrl);
            } catch (IllegalArgumentException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        }
        try {
            checkReachable(target);
            MigrateResult migrated = Flyway.configure()
                    .dataSource(target.jdbcUrl(), target.user(), target.password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.debug("schema at version {} ({} migrations applied)", migrated.targetSchemaVersion, migrated.migrationsExecuted);
            return new Database(target, embedded, new Db(sessionFactory(target, vertx), vertx));
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            if (e instanceof DatabaseException) {
                throw e;
            }
            throw new DatabaseException("database " + target.displayUrl() + " could not be prepared: "
                    + EmbeddedDatabase.rootMessage(e), e);
        }
    }

    private static void checkReachable(DatabaseTarget target) {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        props.setProperty("password", target.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to database " + target.displayUrl() + ": "
                    + EmbeddedDatabase.rootMessage(e), e);
        }
    }

    private static Stage.SessionFactory sessionFactory(DatabaseTarget target, Vertx vertx) {
        Configuration cfg = new Configuration();
        for (Class<?> entity : new Class<?>[] {PipelineRecord.class, PipelineRevisionRecord.class, RunRecord.class,
                StageRunRecord.class, ModelVersionRecord.class, DeploymentRecord.class, DeploymentEventRecord.class,
                TriggerStateRecord.class, io.retrainer.core.drift.DriftProfileRecord.class,
                io.retrainer.core.monitoring.PredictionRecord.class, io.retrainer.core.monitoring.FeedbackRecord.class,
                io.retrainer.core.monitoring.FeedbackEventRecord.class, io.retrainer.core.monitoring.SampleRateRecord.class,
                io.retrainer.core.monitoring.QualitySnapshotRecord.class, ModelAliasRecord.class}) {
            cfg.addAnnotatedClass(entity);
        }
        cfg.setProperty("hibernate.connection.url", "postgresql://" + target.host() + ":" + target.port() + "/" + target.database());
        cfg.setProperty("hibernate.connection.username", target.user());
        cfg.setProperty("hibernate.connection.password", target.password());
        cfg.setProperty("hibernate.connection.pool_size", "10");
        cfg.setProperty("hibernate.hbm2ddl.auto", "none");
        cfg.setProperty("hibernate.show_sql", "false");
        return cfg.buildSessionFactory(new ReactiveServiceRegistryBuilder()
                        .applySettings(cfg.getProperties())
                        .addService(VertxInstance.class, (VertxInstance) () -> vertx)
                        .build())
                .unwrap(Stage.SessionFactory.class);
    }

    /** Transactions against this database. */
    public Db db() {
        return db;
    }

    /** Where the database is. */
    public DatabaseTarget target() {
        return target;
    }

    /** Whether this is the platform's own embedded server. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        db.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
