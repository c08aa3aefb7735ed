package io.retrainer.core.pipeline;

import io.retrainer.core.json.Json;
import io.retrainer.core.persistence.RunRecord;
import io.retrainer.core.persistence.StageRunRecord;

/** Record-to-view conversions shared by the run service and the pipeline list. */
final class Runs {
    private Runs() {
    }

    static RunSummary summary(RunRecord r) {
        return new RunSummary(r.id, r.pipelineName, r.revision, r.status, r.triggerType, r.triggerReason, r.error,
                r.verdict, r.verdictReason, r.modelName, r.modelVersion, r.createdAt, r.startedAt, r.finishedAt);
    }

    static StageView stage(StageRunRecord s) {
        return new StageView(s.position, s.name, s.plugin, s.status, s.startedAt, s.finishedAt, Json.readMap(s.metrics),
                s.log, s.progress, s.progressMessage, s.error);
    }
}
