package io.retrainer.core;

import java.util.List;

/** Input failed validation; carries every problem found. Maps to HTTP 400. */
public class InvalidInputException extends RuntimeException {
    private final List<String> problems;

    /** Creates the exception from its problems (each a complete sentence with its path). */
    public InvalidInputException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<String> problems() {
        return problems;
    }
}
