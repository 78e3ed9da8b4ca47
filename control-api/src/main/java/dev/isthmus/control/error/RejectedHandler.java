package dev.isthmus.control.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** {@link RejectedException} to 400 with every problem (for a zone, each {@code file:line: message}). */
@Produces
@Singleton
public final class RejectedHandler implements ExceptionHandler<RejectedException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, RejectedException exception) {
        return HttpResponse.badRequest(
                ErrorResponse.of(HttpStatus.BAD_REQUEST, exception.getMessage(), exception.problems()));
    }
}
