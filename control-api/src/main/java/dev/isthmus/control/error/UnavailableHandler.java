package dev.isthmus.control.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** {@link UnavailableException} to 503 with the reason. */
@Produces
@Singleton
public final class UnavailableHandler implements ExceptionHandler<UnavailableException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, UnavailableException exception) {
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(ErrorResponse.of(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage(), List.of()));
    }
}
