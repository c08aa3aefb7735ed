package io.retrainer.core.monitoring;

import static io.retrainer.core.monitoring.MonitoringDb.batch;
import static io.retrainer.core.monitoring.MonitoringDb.model;
import static io.retrainer.core.monitoring.MonitoringDb.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.ServedBatch;
import io.retrainer.core.serving.ServedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How fast the prediction log writes (rows per second into PostgreSQL) and what {@code onBatch}
 * costs the serving thread. A measurement, not a test: it runs only with {@code -Dbench=true}
 * and prints its numbers; nothing here asserts a speed.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class PredictionLogThroughput {
    @Test
    void measure() throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        try (MonitoringDb env = new MonitoringDb(rows)) {
            PredictionLog log = env.monitoring.predictionLog();
            ServedModel m = model("bench", 1);
            List<ServedBatch> batches = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                batches.add(batch("bench", m, "blue", 1, Instant.now(), r -> yes(0.7)));
            }
            // Warm up the insert path (JIT, prepared statements) on a separate endpoint.
            for (int i = 0; i < 5_000; i++) {
                log.onBatch(batch("warm", m, "blue", 1, Instant.now(), r -> yes(0.7)));
            }
            Db.await(log.flush());
            long t0 = System.nanoTime();
            for (ServedBatch b : batches) {
                log.onBatch(b);
            }
            long offered = System.nanoTime() - t0;
            Db.await(log.flush());
            long total = System.nanoTime() - t0;
            assertEquals(rows, env.count("select count(*) from prediction where endpoint = 'bench'"));
            System.out.printf("prediction log: %d one-row batches; onBatch %.0f ns/row on the calling thread; "
                    + "written in %.2f s = %.0f rows/s%n", rows, offered / (double) rows, total / 1e9, rows / (total / 1e9));
        }
    }
}
