package io.retrainer.web.api;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Predictor;
import io.retrainer.api.Schema;
import io.retrainer.api.Task;
import io.retrainer.core.Platform;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.registry.ModelStage;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.registry.Registration;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Registers a model trained outside the platform: {@code POST /api/models/{name}/versions}, a
 * multipart form with {@code artifact} (the model file), {@code format} (an artifact format a
 * loaded {@link ModelLoader} reads, e.g. {@code onnx}), {@code schema}
 * ({@code {"columns":[{"name":"x","type":"numeric"}],"label":"y","task":"classification"}}) and
 * optionally {@code metrics} (a JSON object).
 *
 * <p>Nothing is stored unless the artifact loads with its format's loader, the loaded model
 * performs the schema's task, and it scores one row of the schema's inputs. The new version is a
 * {@code candidate} with lineage {@code {"source": "upload", "filename", "uploaded_at"}}; promote it
 * with {@code POST /api/models/{name}/versions/{v}/promote}. Loading and registering block, so
 * they run on worker threads.
 */
public final class ModelUploadRoutes {
    /** Largest model file accepted. */
    public static final long MAX_ARTIFACT_BYTES = 256L * 1024 * 1024;
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Platform platform;
    private final Vertx vertx;

    /** Routes over {@code platform}. */
    public ModelUploadRoutes(Platform platform, Vertx vertx) {
        this.platform = platform;
        this.vertx = vertx;
    }

    /**
     * Registers the route, ahead of the router's general body handler, which does not keep
     * multipart files.
     */
    public void mount(Router router) {
        router.post("/api/models/:name/versions").order(-2)
                .handler(BodyHandler.create(uploadsDir().toString()).setBodyLimit(MAX_ARTIFACT_BYTES)
                        .setDeleteUploadedFilesOnEnd(true))
                .handler(this::upload);
    }

    private Path uploadsDir() {
        return platform.config().dataDir().toAbsolutePath().resolve("scratch").resolve("model-uploads");
    }

    /** What the form says, checked. */
    private record Upload(String model, String format, Path file, String filename, Schema training,
                          Map<String, Object> metrics) {
    }

    private void upload(RoutingContext ctx) {
        Upload upload;
        try {
            upload = parse(ctx);
        } catch (ApiErrors.BadRequest e) {
            ApiErrors.send(ctx, 400, e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> register(upload), false).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.respond(ctx, ar.cause());
            } else {
                ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                        .putHeader("Location", "/api/models/" + upload.model() + "/versions/" + ar.result().version())
                        .end(JsonViews.version(ar.result()).encode());
            }
        });
    }

    private Upload parse(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiErrors.BadRequest("send multipart/form-data with the fields artifact (the model file), format, "
                    + "schema and optionally metrics; got Content-Type " + (type == null ? "none" : "'" + type + "'"));
        }
        String model = ctx.pathParam("name");
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new ApiErrors.BadRequest("model name '" + model + "': use letters, digits, '.', '_' and '-' (at most 128)");
        }
        List<FileUpload> files = ctx.fileUploads().stream().filter(f -> f.name().equals("artifact")).toList();
        if (files.size() != 1) {
            throw new ApiErrors.BadRequest("artifact: send exactly one file field called 'artifact', got " + files.size());
        }
        String format = ctx.request().getFormAttribute("format");
        if (format == null || format.isBlank()) {
            throw new ApiErrors.BadRequest("format: required (the artifact format, e.g. onnx)");
        }
        format = format.trim();
        if (platform.plugins().loaderFor(format).isEmpty()) {
            throw new ApiErrors.BadRequest("format: no model loader for '" + format + "' is loaded (loaded formats: "
                    + platform.plugins().ids(io.retrainer.core.plugins.ExtensionKind.MODEL_LOADER) + ")");
        }
        Schema training = schema(ctx.request().getFormAttribute("schema"));
        Map<String, Object> metrics = metrics(ctx.request().getFormAttribute("metrics"));
        FileUpload file = files.get(0);
        return new Upload(model, format, Path.of(file.uploadedFileName()), file.fileName(), training, metrics);
    }

    /** The training schema (label included) from the form's {@code schema} JSON. */
    static Schema schema(String json) {
        if (json == null || json.isBlank()) {
            throw new ApiErrors.BadRequest("schema: required, like {\"columns\":[{\"name\":\"x\",\"type\":\"numeric\"}],"
                    + "\"label\":\"y\",\"task\":\"classification\"}");
        }
        JsonObject o;
        try {
            o = new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            throw new ApiErrors.BadRequest("schema: not a JSON object: " + e.getMessage());
        }
        if (!(o.getValue("columns") instanceof JsonArray columns) || columns.isEmpty()) {
            throw new ApiErrors.BadRequest("schema.columns: required, a non-empty list of {\"name\", \"type\"}");
        }
        if (!(o.getValue("label") instanceof String label) || label.isBlank()) {
            throw new ApiErrors.BadRequest("schema.label: required, the name of the column the model predicts");
        }
        Object rawTask = o.getValue("task");
        Task task = null;
        if (rawTask != null) {
            if (!(rawTask instanceof String t) || !List.of("classification", "regression").contains(t)) {
                throw new ApiErrors.BadRequest("schema.task: expected \"classification\" or \"regression\", got " + rawTask);
            }
            task = Task.valueOf(t.toUpperCase(Locale.ROOT));
        }
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String where = "schema.columns[" + i + "]";
            if (!(columns.getValue(i) instanceof JsonObject c) || !(c.getValue("name") instanceof String name)
                    || name.isBlank()) {
                throw new ApiErrors.BadRequest(where + ": expected {\"name\": \"...\", \"type\": \"numeric\"}");
            }
            Object type = c.getValue("type");
            ColumnType columnType;
            try {
                columnType = ColumnType.valueOf(String.valueOf(type).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiErrors.BadRequest(where + ".type: expected numeric, categorical, text or timestamp, got " + type);
            }
            cols.add(new Column(name, columnType));
        }
        boolean labelListed = cols.stream().anyMatch(c -> c.name().equals(label));
        if (!labelListed) {
            if (task == null) {
                throw new ApiErrors.BadRequest("schema.task: required when the label '" + label
                        + "' is not among schema.columns (classification or regression)");
            }
            cols.add(new Column(label, task == Task.CLASSIFICATION ? ColumnType.CATEGORICAL : ColumnType.NUMERIC));
        }
        Schema schema;
        try {
            schema = new Schema(cols, label);
        } catch (IllegalArgumentException e) {
            throw new ApiErrors.BadRequest("schema: " + e.getMessage());
        }
        if (task != null && schema.task().orElseThrow() != task) {
            throw new ApiErrors.BadRequest("schema.task: " + rawTask + " does not fit the label '" + label + "' of type "
                    + schema.column(label).orElseThrow().type().name().toLowerCase(Locale.ROOT)
                    + " (classification needs a categorical label, regression a numeric one)");
        }
        if (schema.features().isEmpty()) {
            throw new ApiErrors.BadRequest("schema.columns: no input columns besides the label '" + label + "'");
        }
        return schema;
    }

    private static Map<String, Object> metrics(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return new LinkedHashMap<>(new JsonObject(json).getMap());
        } catch (DecodeException | ClassCastException e) {
            throw new ApiErrors.BadRequest("metrics: not a JSON object: " + e.getMessage());
        }
    }

    /** Loads the artifact, checks it fits the schema, registers it. On a worker thread. */
    private ModelVersionView register(Upload u) throws Exception {
        byte[] bytes = Files.readAllBytes(u.file());
        if (bytes.length == 0) {
            throw new ApiErrors.BadRequest("artifact: the file '" + u.filename() + "' is empty");
        }
        LoadedExtension<ModelLoader> loader = platform.plugins().loaderFor(u.format()).orElseThrow(
                () -> new ApiErrors.BadRequest("format: no model loader for '" + u.format() + "' is loaded"));
        Predictor predictor;
        try {
            predictor = loader.call(() -> loader.extension().load(bytes));
        } catch (Exception e) {
            throw new ApiErrors.BadRequest("artifact: '" + u.filename() + "' does not load as " + u.format() + ": "
                    + e.getMessage());
        }
        Task task = u.training().task().orElseThrow();
        if (predictor.task() != task) {
            throw new ApiErrors.BadRequest("schema: the label '" + u.training().label() + "' makes this "
                    + task.name().toLowerCase(Locale.ROOT) + " but the model does "
                    + predictor.task().name().toLowerCase(Locale.ROOT));
        }
        Schema inputs = u.training().withoutLabel();
        try {
            // One row of the declared inputs: catches a column count or type the model cannot take
            // now, not at the first request after promotion.
            Object[] row = inputs.columns().stream()
                    .map(c -> c.type().isNumericStorage() ? (Object) 0.0 : (Object) "").toArray();
            loader.call(() -> predictor.predict(Dataset.builder(inputs).addRow(row).build()));
        } catch (Exception e) {
            release(predictor);
            throw new ApiErrors.BadRequest("artifact: '" + u.filename() + "' cannot score the schema's input columns "
                    + inputs.columns().stream().map(Column::name).toList() + ": " + e.getMessage());
        }
        // Serving loads the version again through the registry (and caches it there); this copy was only a check.
        release(predictor);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", "upload");
        lineage.put("filename", u.filename());
        lineage.put("uploaded_at", Instant.now().toString());
        lineage.put("loader_plugin", loader.pluginId());
        return platform.registry().register(new Registration(u.model(), u.format(), bytes, u.metrics(), lineage, inputs,
                u.training(), null, null, ModelStage.CANDIDATE, "uploaded through the API"));
    }

    private static void release(Predictor predictor) {
        if (predictor instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // only a check copy: nothing depends on it
            }
        }
    }
}
