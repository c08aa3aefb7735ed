package io.retrainer.core.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void embeddedDatabaseKeepsRowsAcrossRestarts(@TempDir Path dataDir) {
        try (Database first = Database.open(null, dataDir, vertx)) {
            assertTrue(first.isEmbedded());
            insertPipeline(first.db(), "kept");
        }
        try (Database second = Database.open(null, dataDir, vertx)) {
            PipelineRecord found = Db.await(second.db().tx(s -> s.createSelectionQuery(
                    "from PipelineRecord where name = :n", PipelineRecord.class).setParameter("n", "kept").getSingleResult()));
            assertEquals(3, found.currentRevision);
        }
    }

    @Test
    void externalServerIsMigratedAndUsed(@TempDir Path dataDir) {
        String url = TestDatabases.create();
        try (Database db = Database.open(url, dataDir, vertx)) {
            assertFalse(db.isEmbedded());
            assertNotNull(insertPipeline(db.db(), "ext").id);
        } finally {
            TestDatabases.drop(url);
        }
    }

    @Test
    void unreachableServerGivesOneLineNamingTheUrl(@TempDir Path dataDir) {
        DatabaseException e = assertThrows(DatabaseException.class,
                () -> Database.open("postgresql://nobody@127.0.0.1:1/none", dataDir, vertx));
        assertTrue(e.getMessage().startsWith("cannot connect to database postgresql://nobody@127.0.0.1:1/none: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        DatabaseException bad = assertThrows(DatabaseException.class, () -> Database.open("mysql://x/y", dataDir, vertx));
        assertTrue(bad.getMessage().contains("must look like postgresql://"), bad.getMessage());
    }

    private static PipelineRecord insertPipeline(Db db, String name) {
        PipelineRecord p = new PipelineRecord();
        p.name = name;
        p.currentRevision = 3;
        p.createdAt = Instant.now();
        p.updatedAt = p.createdAt;
        return Db.await(db.tx(s -> s.persist(p).thenApply(v -> p)));
    }
}
