package io.retrainer.core;

/** The request cannot be done in the current state (e.g. cancelling a finished run). Maps to HTTP 409. */
public class ConflictException extends RuntimeException {
    /** Creates the exception; the message says what is in the way. */
    public ConflictException(String message) {
        super(message);
    }
}
