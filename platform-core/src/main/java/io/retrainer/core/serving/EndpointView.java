package io.retrainer.core.serving;

import java.time.Instant;

/**
 * An endpoint as the API and console show it.
 *
 * @param endpoint name
 * @param model model served, or {@code null} when none is live yet
 * @param version version served, or {@code null}
 * @param since when that version went live
 */
public record EndpointView(String endpoint, String model, Integer version, Instant since) {
}
