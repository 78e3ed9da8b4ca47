package dev.isthmus.control.vswitch;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.vswitch.config.VswitchConfigException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * A change the vswitch refused (nothing changed) to the 4xx its kind names: INVALID 400, NOT_FOUND 404,
 * CONFLICT 409, with the vswitch's reason.
 */
@Produces
@Singleton
public final class VswitchRefusalHandler implements ExceptionHandler<VswitchConfigException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, VswitchConfigException exception) {
        HttpStatus status = switch (exception.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
        return HttpResponse.<ErrorResponse>status(status)
                .body(ErrorResponse.of(status, exception.getMessage(), List.of()));
    }
}
