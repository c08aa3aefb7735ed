package io.retrainer.core.pipeline;

import java.time.Instant;

/**
 * A pipeline at one revision.
 *
 * @param name pipeline name
 * @param revision revision number, from 1
 * @param currentRevision the newest revision
 * @param source the document as saved
 * @param format its syntax
 * @param definition the parsed document
 * @param created when this revision was saved
 */
public record PipelineView(String name, int revision, int currentRevision, String source, PipelineParser.Format format,
                           PipelineDefinition definition, Instant created) {
}
