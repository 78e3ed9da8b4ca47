package dev.isthmus.control.status;

import dev.isthmus.control.anycast.AnycastStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The answer of {@code GET /health}.
 *
 * @param status {@code UP} when every port's link is up and every worker polls, {@code DOWN} otherwise
 * @param problems why it is down, one line each; empty when up
 * @param anycast  with an {@code anycast} section: what is announced and the BGP sessions' states (they do not make
 *                 the appliance down: a session is the router's side too); null without
 */
@Serdeable
public record HealthReport(String status, List<String> problems, @Nullable AnycastStatus anycast) {

    public HealthReport {
        problems = List.copyOf(problems);
    }

    /** A report without anycast. */
    public HealthReport(String status, List<String> problems) {
        this(status, problems, null);
    }
}
