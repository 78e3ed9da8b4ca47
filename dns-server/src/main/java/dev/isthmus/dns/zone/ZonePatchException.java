package dev.isthmus.dns.zone;

import java.util.List;

/**
 * A {@link ZonePatch} was refused: the zone is unchanged. Each problem names the change and field it is about,
 * e.g. {@code changes[2].data: A: bad IPv4 address '1.2.3'}, or {@code changes: ...} for the patch as a whole.
 */
public final class ZonePatchException extends Exception {
    private final List<String> problems;

    public ZonePatchException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refused patch needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return the problems in change order, never empty */
    public List<String> problems() {
        return problems;
    }
}
