package dev.isthmus.control.status;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The answer of {@code GET /health}.
 *
 * @param status {@code UP} when every port's link is up and every worker polls, {@code DOWN} otherwise
 * @param problems why it is down, one line each; empty when up
 */
@Serdeable
public record HealthReport(String status, List<String> problems) {

    public HealthReport {
        problems = List.copyOf(problems);
    }
}
