package io.retrainer.core.plugins;

/**
 * A run that is using a plugin now: it looked up one of the plugin's extensions and has not
 * ended. A plugin in use cannot be reloaded or uninstalled.
 *
 * @param runId the run
 * @param pipeline the run's pipeline
 */
public record PluginUse(long runId, String pipeline) {
    @Override
    public String toString() {
        return "run " + runId + " (" + pipeline + ")";
    }
}
