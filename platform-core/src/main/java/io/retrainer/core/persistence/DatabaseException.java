package io.retrainer.core.persistence;

/**
 * The database could not be reached or prepared. Its message is one line for the operator:
 * which URL and why.
 */
public class DatabaseException extends RuntimeException {
    /** Creates the exception with a one-line message. */
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
