package io.retrainer.core.serving;

import java.time.Instant;
import java.util.List;

/**
 * A rollout in progress or just ended, as the API and console show it.
 *
 * @param endpoint the endpoint
 * @param model the new version's model
 * @param version the new version
 * @param fromVersion the version it replaces
 * @param slot the new version's slot
 * @param phase shadow, canary, paused, completed, rolled_back, aborted
 * @param percent the new version's share of traffic now
 * @param steps the planned steps
 * @param started when it began
 * @param events what happened, oldest first (gates passed and failed, operator actions)
 */
public record RolloutStatus(String endpoint, String model, int version, Integer fromVersion, String slot, String phase,
                            int percent, List<Integer> steps, Instant started, List<String> events) {
}
