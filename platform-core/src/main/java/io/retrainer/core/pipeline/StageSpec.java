package io.retrainer.core.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plugin stage of a pipeline: which extension and its raw settings.
 *
 * @param plugin the extension id
 * @param config raw settings as written in the definition
 * @param path where it sits in the definition, e.g. {@code evaluate[1]}, for messages
 */
public record StageSpec(String plugin, Map<String, Object> config, String path) {
    /** Copies the settings. */
    public StageSpec {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
