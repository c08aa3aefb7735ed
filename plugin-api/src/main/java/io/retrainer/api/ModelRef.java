package io.retrainer.api;

import java.util.Objects;

/**
 * A registered model version, as a {@link Deployer} sees it.
 *
 * @param model the model name
 * @param version the version number, from 1
 * @param format the artifact format id
 * @param artifactSha256 the SHA-256 of the artifact in the host's content-addressed store
 * @param inputSchema the columns the model takes
 */
public record ModelRef(String model, int version, String format, String artifactSha256, Schema inputSchema) {
    /** Checks presence. */
    public ModelRef {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(format, "format");
    }

    @Override
    public String toString() {
        return model + " v" + version;
    }
}
