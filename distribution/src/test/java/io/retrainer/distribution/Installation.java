package io.retrainer.distribution;

import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.web.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The assembled distribution under test ({@code target/retrainer}), started in this JVM on a
 * random port with its real plugin jars, against the embedded or an external PostgreSQL.
 */
final class Installation implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("retrainer.home", "target/retrainer")).toAbsolutePath();

    final Path dataDir;
    final Path pluginsDir;
    final String dbUrl;
    private final boolean ownsDb;
    Main.Running running;
    Http http;

    private Installation(Path dataDir, Path pluginsDir, String dbUrl, boolean ownsDb) {
        this.dataDir = dataDir;
        this.pluginsDir = pluginsDir;
        this.dbUrl = dbUrl;
        this.ownsDb = ownsDb;
    }

    /** Starts with the distribution's plugins; {@code external} picks a fresh database on 127.0.0.1:5432. */
    static Installation start(boolean external) throws IOException {
        return start(external, HOME.resolve("plugins"));
    }

    static Installation start(boolean external, Path pluginsDir) throws IOException {
        if (!Files.isDirectory(HOME.resolve("plugins"))) {
            throw new IllegalStateException("no assembled distribution at " + HOME + ": run 'mvn verify' (the package phase builds it)");
        }
        String url = external ? TestDatabases.create() : null;
        Installation i = new Installation(Files.createTempDirectory("retrainer-e2e"), pluginsDir, url, external);
        i.boot();
        return i;
    }

    void boot() {
        PlatformConfig config = PlatformConfig.local(dataDir, dbUrl, pluginsDir);
        running = Main.start(config);
        http = new Http(running.port());
    }

    /** Stops and starts again on the same database and data directory. */
    void restart() {
        running.stop();
        boot();
    }

    /** Copies the test copy of breast_cancer.csv into the data directory and returns its path. */
    Path breastCancerCsv() throws IOException {
        Path target = dataDir.resolve("breast_cancer.csv");
        try (InputStream in = Installation.class.getResourceAsStream("/data/breast_cancer.csv")) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public void close() {
        if (running != null) {
            running.stop();
        }
        if (ownsDb) {
            TestDatabases.drop(dbUrl);
        }
    }
}
