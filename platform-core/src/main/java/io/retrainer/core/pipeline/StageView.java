package io.retrainer.core.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * One stage of a run.
 *
 * @param position order within the run, from 0
 * @param name stage name (source, validate, split, train, evaluate, register, deploy)
 * @param plugin extension id for plugin stages, {@code null} for built-in ones
 * @param status pending, running, succeeded, failed, skipped or cancelled
 * @param started when it began
 * @param finished when it ended
 * @param metrics what it measured
 * @param log its log lines
 * @param progress fraction done, 0 to 1
 * @param progressMessage what it is doing now
 * @param error why it failed
 */
public record StageView(int position, String name, String plugin, String status, Instant started, Instant finished,
                        Map<String, Object> metrics, String log, double progress, String progressMessage, String error) {
}
