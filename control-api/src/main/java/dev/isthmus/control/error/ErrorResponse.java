package dev.isthmus.control.error;

import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The body of every 4xx answer of the control API: the status, a one-line reason, and the individual problems
 * (for a rejected zone, one {@code file:line: message} per error).
 *
 * @param status the HTTP status code
 * @param error the status reason phrase
 * @param message what was wrong, in one line
 * @param problems each problem found, possibly empty
 */
@Serdeable
public record ErrorResponse(int status, String error, String message, List<String> problems) {

    public ErrorResponse {
        problems = List.copyOf(problems);
    }

    public static ErrorResponse of(HttpStatus status, String message, List<String> problems) {
        return new ErrorResponse(status.getCode(), status.getReason(), message, problems);
    }
}
