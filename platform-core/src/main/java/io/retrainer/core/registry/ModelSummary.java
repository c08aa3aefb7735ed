package io.retrainer.core.registry;

import java.time.Instant;

/**
 * A model (all versions of one name).
 *
 * @param name model name
 * @param versions how many versions
 * @param latestVersion the newest version number
 * @param productionVersion the version in production, or {@code null}
 * @param updated when the newest version was registered
 */
public record ModelSummary(String name, int versions, int latestVersion, Integer productionVersion, Instant updated) {
}
