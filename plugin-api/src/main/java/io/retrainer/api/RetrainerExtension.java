package io.retrainer.api;

import org.pf4j.ExtensionPoint;

/**
 * What every Retrainer extension has: a stable id, a description and the settings it takes.
 *
 * <p>The id is the name a pipeline refers to ({@code plugin: csv}), a database key in model
 * lineage and a metric label, so it must never change once published. Ids are lower-case,
 * with dashes: {@code [a-z][a-z0-9-]*}.
 */
public interface RetrainerExtension extends ExtensionPoint {

    /** The stable id of this extension, unique among extensions of its kind. */
    String id();

    /** One sentence for the console saying what this extension does. */
    default String description() {
        return "";
    }

    /** The settings this extension accepts; the host validates a pipeline against it before a run. */
    default ConfigSpec configSpec() {
        return ConfigSpec.empty();
    }
}
