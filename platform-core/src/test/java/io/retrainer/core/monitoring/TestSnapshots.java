package io.retrainer.core.monitoring;

import io.retrainer.core.persistence.Db;
import java.time.Instant;

/** Writes quality snapshots directly, as a refresh at another time would have. */
final class TestSnapshots {
    private TestSnapshots() {
    }

    static void insert(Db db, String endpoint, Instant at, double accuracy) {
        QualitySnapshotRecord r = new QualitySnapshotRecord();
        r.endpoint = endpoint;
        r.modelName = "m";
        r.modelVersion = 1;
        r.slot = "blue";
        r.metric = "accuracy";
        r.value = accuracy;
        r.labelled = 10;
        r.windowSeconds = 3600;
        r.at = at;
        Db.await(db.stateless(s -> s.insert(r)));
    }
}
