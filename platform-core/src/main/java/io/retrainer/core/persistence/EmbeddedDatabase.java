package io.retrainer.core.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the platform itself when no database URL is configured. Its data
 * directory lives under the platform's data directory and is kept across restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final DatabaseTarget target;

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseTarget target) {
        this.postgres = postgres;
        this.target = target;
    }

    /**
     * Starts (initialising on first use) the server whose data lives in {@code dataDir}.
     *
     * @throws DatabaseException when the server cannot start
     */
    public static EmbeddedDatabase start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            int port = freePort();
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            LOG.debug("embedded PostgreSQL started on port {} with data in {}", port, dataDir);
            return new EmbeddedDatabase(pg, new DatabaseTarget("localhost", port, "postgres", "postgres", ""));
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("embedded PostgreSQL could not start with data directory " + dataDir + ": "
                    + rootMessage(e), e);
        }
    }

    /** Where clients connect. */
    public DatabaseTarget target() {
        return target;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.strip().replace('\n', ' ');
    }
}
