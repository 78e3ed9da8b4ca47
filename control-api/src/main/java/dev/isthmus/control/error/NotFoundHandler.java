package dev.isthmus.control.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** {@link NotFoundException} to 404 with the reason. */
@Produces
@Singleton
public final class NotFoundHandler implements ExceptionHandler<NotFoundException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, NotFoundException exception) {
        return HttpResponse.notFound(ErrorResponse.of(HttpStatus.NOT_FOUND, exception.getMessage(), List.of()));
    }
}
