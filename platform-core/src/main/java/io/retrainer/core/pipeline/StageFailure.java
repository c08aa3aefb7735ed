package io.retrainer.core.pipeline;

/** A stage failed with a message meant for the operator (no stack trace needed). */
final class StageFailure extends Exception {
    StageFailure(String message) {
        super(message);
    }

    StageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
