package io.retrainer.core.registry;

/** The lifecycle stage of a model version. */
public enum ModelStage {
    /** Registered and passed evaluation; not yet serving. */
    CANDIDATE,
    /** The version in production (at most one per model). */
    PRODUCTION,
    /** Was production, replaced by a newer or promoted version. */
    ARCHIVED,
    /** Failed the evaluation gate. */
    REJECTED;

    /** The stage as stored and shown: lower case. */
    public String label() {
        return name().toLowerCase();
    }

    /** Parses a stored label. */
    public static ModelStage of(String label) {
        return valueOf(label.toUpperCase());
    }
}
