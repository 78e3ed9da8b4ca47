package dev.isthmus.control.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** {@link ConflictException} to 409 with the reason. */
@Produces
@Singleton
public final class ConflictHandler implements ExceptionHandler<ConflictException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, ConflictException exception) {
        return HttpResponse.status(HttpStatus.CONFLICT)
                .body(ErrorResponse.of(HttpStatus.CONFLICT, exception.getMessage(), List.of()));
    }
}
