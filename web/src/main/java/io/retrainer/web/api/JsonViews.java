package io.retrainer.web.api;

import io.retrainer.api.Column;
import io.retrainer.api.Schema;
import io.retrainer.core.pipeline.PipelineSummary;
import io.retrainer.core.pipeline.PipelineView;
import io.retrainer.core.pipeline.RunSummary;
import io.retrainer.core.pipeline.RunView;
import io.retrainer.core.pipeline.StageView;
import io.retrainer.core.plugins.ExtensionView;
import io.retrainer.core.plugins.PluginView;
import io.retrainer.core.registry.ModelSummary;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.serving.EndpointView;
import io.retrainer.api.SettingSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** The REST API's JSON shapes, in one place so they stay consistent. */
public final class JsonViews {
    private JsonViews() {
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** A pipeline at one revision. */
    public static JsonObject pipeline(PipelineView p) {
        return new JsonObject().put("name", p.name()).put("revision", p.revision())
                .put("current_revision", p.currentRevision())
                .put("format", p.format().name().toLowerCase()).put("source", p.source()).put("created", time(p.created()));
    }

    /** A pipeline in a list. */
    public static JsonObject pipeline(PipelineSummary p) {
        return new JsonObject().put("name", p.name()).put("revision", p.revision()).put("updated", time(p.updated()))
                .put("last_run", p.lastRun() == null ? null : run(p.lastRun()));
    }

    /** A run without stages. */
    public static JsonObject run(RunSummary r) {
        return new JsonObject().put("id", r.id()).put("pipeline", r.pipeline()).put("revision", r.revision())
                .put("status", r.status()).put("trigger", r.trigger()).put("trigger_reason", r.triggerReason())
                .put("error", r.error()).put("verdict", r.verdict()).put("verdict_reason", r.verdictReason())
                .put("model_version", r.modelName() == null ? null
                        : new JsonObject().put("model", r.modelName()).put("version", r.modelVersion()))
                .put("created", time(r.created())).put("started", time(r.started())).put("finished", time(r.finished()));
    }

    /** A run with its stages. */
    public static JsonObject run(RunView v) {
        JsonArray stages = new JsonArray();
        for (StageView s : v.stages()) {
            stages.add(new JsonObject().put("name", s.name()).put("plugin", s.plugin()).put("status", s.status())
                    .put("started", time(s.started())).put("finished", time(s.finished()))
                    .put("progress", s.progress()).put("progress_message", s.progressMessage())
                    .put("metrics", new JsonObject(s.metrics())).put("log", s.log()).put("error", s.error()));
        }
        return run(v.summary()).put("stages", stages);
    }

    /** A model. */
    public static JsonObject model(ModelSummary m) {
        return new JsonObject().put("name", m.name()).put("versions", m.versions()).put("latest_version", m.latestVersion())
                .put("production_version", m.productionVersion()).put("updated", time(m.updated()));
    }

    /** A model version. */
    public static JsonObject version(ModelVersionView v) {
        return new JsonObject().put("model", v.model()).put("version", v.version()).put("stage", v.stage().label())
                .put("stage_reason", v.stageReason()).put("format", v.format())
                .put("artifact", new JsonObject().put("sha256", v.artifactSha256()).put("bytes", v.artifactSize()))
                .put("metrics", new JsonObject(v.metrics())).put("lineage", new JsonObject(v.lineage()))
                .put("input_schema", schema(v.inputSchema())).put("run_id", v.runId()).put("pipeline", v.pipeline())
                .put("created", time(v.created()));
    }

    /** A schema as a list of {name, type}. */
    public static JsonArray schema(Schema s) {
        JsonArray a = new JsonArray();
        for (Column c : s.columns()) {
            a.add(new JsonObject().put("name", c.name()).put("type", c.type().name().toLowerCase()));
        }
        return a;
    }

    /** A plugin with its extensions. */
    public static JsonObject plugin(PluginView p) {
        JsonArray ext = new JsonArray();
        for (ExtensionView e : p.extensions()) {
            JsonArray settings = new JsonArray();
            for (SettingSpec s : e.settings()) {
                Object def = s.defaultValue() instanceof java.time.Duration d ? d.toString() : s.defaultValue();
                settings.add(new JsonObject().put("name", s.name()).put("type", s.type().label()).put("default", def)
                        .put("required", s.required()).put("allowed", new JsonArray(s.allowedValues())).put("help", s.help()));
            }
            ext.add(new JsonObject().put("id", e.id()).put("kinds", new JsonArray(e.kinds()))
                    .put("description", e.description()).put("settings", settings));
        }
        return new JsonObject().put("id", p.id()).put("version", p.version()).put("provider", p.provider())
                .put("description", p.description()).put("requires", p.requires()).put("state", p.state())
                .put("file", p.file()).put("reason", p.reason()).put("extensions", ext);
    }

    /** An endpoint. */
    public static JsonObject endpoint(EndpointView e) {
        return new JsonObject().put("endpoint", e.endpoint()).put("model", e.model()).put("version", e.version())
                .put("since", time(e.since()));
    }

    static JsonObject map(Map<String, Object> m) {
        return new JsonObject(m);
    }
}
