package dev.isthmus.dns.zone;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A zone could not be loaded. Carries every error found, each as {@code file:line: message}; nothing from the
 * zone was loaded. The message is the errors, one per line, so a REST layer can return it as it is.
 */
public final class ZoneParseException extends Exception {
    private final List<ZoneError> errors;

    public ZoneParseException(List<ZoneError> errors) {
        super(errors.stream().map(ZoneError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a zone parse failure needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** @return the errors in file order, never empty */
    public List<ZoneError> errors() {
        return errors;
    }
}
