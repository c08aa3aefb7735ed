package io.retrainer.core.pipeline;

import java.time.Instant;

/**
 * A pipeline in a list.
 *
 * @param name pipeline name
 * @param revision current revision
 * @param updated when the current revision was saved
 * @param lastRun the newest run, or {@code null}
 */
public record PipelineSummary(String name, int revision, Instant updated, RunSummary lastRun) {
}
