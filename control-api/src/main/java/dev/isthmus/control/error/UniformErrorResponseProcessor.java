package dev.isthmus.control.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Gives the refusals Micronaut makes itself (no such route, method not allowed, unsupported media type, a missing
 * body, a parameter that does not convert) the same body as the API's own 4xx: an {@link ErrorResponse} with the
 * reason, instead of Micronaut's own JSON error format.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class UniformErrorResponseProcessor implements ErrorResponseProcessor<ErrorResponse> {

    @Override
    public MutableHttpResponse<ErrorResponse> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<String> problems = context.getErrors().stream().map(Error::getMessage).toList();
        String message = problems.isEmpty() ? status.getReason() : problems.getFirst();
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorResponse.of(status, message, problems.size() > 1 ? problems : List.of()));
    }
}
