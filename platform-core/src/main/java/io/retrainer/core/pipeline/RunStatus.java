package io.retrainer.core.pipeline;

/** Run states. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** Lower-case label as stored and shown. */
    public String label() {
        return name().toLowerCase();
    }

    /** Whether the run has ended. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
