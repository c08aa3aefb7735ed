package io.retrainer.core.plugins;

import io.retrainer.api.SettingSpec;
import java.util.List;

/**
 * One extension of a plugin.
 *
 * @param id the stable id pipelines refer to
 * @param kinds extension point names, e.g. {@code trainer}
 * @param description what it does
 * @param settings the settings it accepts
 */
public record ExtensionView(String id, List<String> kinds, String description, List<SettingSpec> settings) {
}
