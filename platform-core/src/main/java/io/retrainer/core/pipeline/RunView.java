package io.retrainer.core.pipeline;

import java.util.List;

/**
 * A run with its stages.
 *
 * @param summary the run
 * @param stages its stages in order
 */
public record RunView(RunSummary summary, List<StageView> stages) {
}
