package io.retrainer.core;

/** A named thing (pipeline, run, model version, endpoint) does not exist. Maps to HTTP 404. */
public class NotFoundException extends RuntimeException {
    /** Creates the exception; the message says what was not found. */
    public NotFoundException(String message) {
        super(message);
    }
}
