package dev.isthmus.control.config;

import java.util.List;

/**
 * The appliance configuration is invalid. Carries every problem found, each naming the file, the line and the key,
 * so that one run of the loader reports all of them rather than one per attempt.
 */
public final class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** @return the problems, each as {@code file:line: key: message} */
    public List<String> problems() {
        return problems;
    }
}
