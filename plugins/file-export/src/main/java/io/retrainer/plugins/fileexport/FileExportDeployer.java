package io.retrainer.plugins.fileexport;

import io.retrainer.api.ArtifactSource;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * Exports a model version into a directory for other systems to pick up:
 * {@code <directory>/<name>/v<version>/} with the artifact ({@code model.bin}), a
 * {@code metadata.json} (model, version, format, SHA-256, input schema, metrics and lineage) and,
 * where the model's format is ONNX, {@code model.onnx}; and {@code <directory>/<name>/latest}, a
 * one-line file naming the version directory to use.
 *
 * <p>Readers never see a half-written model: a version is written into a hidden temporary
 * directory beside its target and renamed into place in one step, and {@code latest} is replaced
 * by an atomic rename too, after the version it names is complete. A rollback points
 * {@code latest} back at the previous version (exporting it first if it is not there).
 */
@Extension
public final class FileExportDeployer implements Deployer {
    static final String ID = "file-export";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Writes the model, its metadata and a 'latest' pointer into a directory, atomically.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("directory", SettingType.STRING,
                        "Directory to export into (created if missing); a relative path is resolved against the platform's working directory.")
                .optional("name", SettingType.STRING, null,
                        "Sub-directory for this model: letters, digits, '.', '_' and '-'; the model's name when not given.")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext context) throws Exception {
        Path modelDir = modelDir(model, context);
        Path version = new Exporter(modelDir, artifacts(context), context).export(model);
        String message = model + " exported to " + version + " (" + modelDir.resolve(Exporter.LATEST) + " names "
                + version.getFileName() + ")";
        context.log().info(message);
        return new DeploymentResult(version.toString(), message);
    }

    @Override
    public void rollback(ModelRef previous, StageContext context) throws Exception {
        Path modelDir = modelDir(previous, context);
        Path version = new Exporter(modelDir, artifacts(context), context).export(previous);
        context.log().info("rolled back: " + modelDir.resolve(Exporter.LATEST) + " names " + version.getFileName() + " (" + previous + ") again");
    }

    private static Path modelDir(ModelRef model, StageContext context) {
        String name = context.settings().string("name").orElse(model.model());
        // Checked because the name becomes a path segment: no separators, no '..'.
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(ID + ": '" + name + "' cannot be a directory name: use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit" + (context.settings().has("name") ? "" : " (set 'name' for this model)"));
        }
        return Path.of(context.settings().requireString("directory")).toAbsolutePath().normalize().resolve(name);
    }

    private static ArtifactSource artifacts(StageContext context) {
        return context.hostService(ArtifactSource.class).orElseThrow(() -> new IllegalStateException(
                ID + ": the host offers no artifact source to this stage; file-export needs SPI 1.1.0 or later and can only run as a deploy stage"));
    }
}
