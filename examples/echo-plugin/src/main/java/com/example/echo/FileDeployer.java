package com.example.echo;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.pf4j.Extension;

/**
 * "Deploys" by writing which model version is live into {@code <dir>/<model>.deployed}, the way a
 * real deployer would update a config repository or a load balancer. The file is replaced
 * atomically, so a reader never sees half of it.
 */
@Extension
public final class FileDeployer implements Deployer {

    @Override
    public String id() {
        return "echo-file";
    }

    @Override
    public String description() {
        return "Writes the live model version into a file in a directory.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("dir", SettingType.STRING, "Directory to write <model>.deployed into (created if missing)")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext context) throws IOException {
        Path file = write(model, context);
        return new DeploymentResult(file.toString(), "wrote " + model + " to " + file);
    }

    @Override
    public void rollback(ModelRef previous, StageContext context) throws IOException {
        write(previous, context);
    }

    private static Path write(ModelRef model, StageContext context) throws IOException {
        Path dir = Path.of(context.settings().requireString("dir"));
        Files.createDirectories(dir);
        Path file = dir.resolve(model.model() + ".deployed");
        Path tmp = context.scratchDir().resolve(model.model() + ".deployed.tmp");
        String text = "model=" + model.model() + "\nversion=" + model.version() + "\nformat=" + model.format()
                + "\nsha256=" + model.artifactSha256() + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Scratch and target on different file systems: copy next to the target, then rename.
            Path near = dir.resolve("." + file.getFileName() + ".tmp");
            Files.copy(tmp, near, StandardCopyOption.REPLACE_EXISTING);
            Files.move(near, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        context.log().info("wrote " + model + " to " + file);
        return file;
    }
}
