package dev.isthmus.perf.gen.profile;

import java.util.List;

/** A profile is invalid: every problem found, each as {@code file:line: key: message}. */
public final class ProfileException extends Exception {

    private final List<String> problems;

    public ProfileException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ProfileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ProfileException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
