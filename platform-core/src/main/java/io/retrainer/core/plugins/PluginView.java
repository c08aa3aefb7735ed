package io.retrainer.core.plugins;

import java.util.List;

/**
 * A plugin as the API and console show it.
 *
 * @param id plugin id ({@code system} for extensions on the host class path)
 * @param version plugin version
 * @param provider who made it
 * @param description what it is
 * @param requires the API range it declares
 * @param state {@code started}, {@code disabled} (loaded, but its extensions are not offered to new runs) or {@code refused}
 * @param file the jar it came from
 * @param reason why it was refused, or {@code null}
 * @param extensions what it provides
 * @param usedBy runs using it now (a plugin in use cannot be reloaded or uninstalled)
 */
public record PluginView(String id, String version, String provider, String description, String requires,
                         String state, String file, String reason, List<ExtensionView> extensions, List<PluginUse> usedBy) {
    /** Copies the lists. */
    public PluginView {
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
    }
}
