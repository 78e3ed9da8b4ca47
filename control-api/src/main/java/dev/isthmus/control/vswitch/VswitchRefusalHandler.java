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
import java.util.regex.Pattern;

/**
 * A change the vswitch refused (nothing changed) to the 4xx its kind names: INVALID 400, NOT_FOUND 404,
 * CONFLICT 409, with the vswitch's reason, its ports named as the configuration names them ({@code port 0 vlan 10}
 * becomes {@code port tap0 vlan 10}).
 */
@Produces
@Singleton
public final class VswitchRefusalHandler implements ExceptionHandler<VswitchConfigException, HttpResponse<ErrorResponse>> {

    /** How the vswitch writes an access port: {@code AccessPort.toString()}. */
    private static final Pattern PORT_NUMBER = Pattern.compile("\\bport (\\d+)\\b");

    private final PortDirectory ports;

    public VswitchRefusalHandler(PortDirectory ports) {
        this.ports = ports;
    }

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, VswitchConfigException exception) {
        HttpStatus status = switch (exception.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
        return HttpResponse.<ErrorResponse>status(status)
                .body(ErrorResponse.of(status, withPortNames(exception.getMessage()), List.of()));
    }

    private String withPortNames(String message) {
        return PORT_NUMBER.matcher(message).replaceAll(m -> "port " + ports.name(Integer.parseInt(m.group(1))));
    }
}
