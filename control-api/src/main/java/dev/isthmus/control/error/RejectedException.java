package dev.isthmus.control.error;

import java.util.List;

/**
 * The request's content is invalid as a whole (a zone that does not parse, a configuration value out of range)
 * and nothing was changed: 400 with every problem.
 */
public final class RejectedException extends RuntimeException {

    private final List<String> problems;

    public RejectedException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
