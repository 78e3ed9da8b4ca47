package dev.isthmus.control.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command that fails bean validation ({@code @Valid} records at the edge) to 400, one problem per violated
 * constraint as {@code field: message}, in the same body as every other 4xx of the API.
 */
@Produces
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public final class ConstraintViolationHandler
        implements ExceptionHandler<ConstraintViolationException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, ConstraintViolationException exception) {
        List<String> problems = exception.getConstraintViolations().stream()
                .map(ConstraintViolationHandler::describe)
                .sorted()
                .toList();
        return HttpResponse.badRequest(ErrorResponse.of(HttpStatus.BAD_REQUEST, "invalid request", problems));
    }

    /**
     * @return {@code field: message}: a query parameter by its name ({@code limit}), a field of a body command by
     *         its path inside the command ({@code vni}, {@code ports[0]})
     */
    private static String describe(ConstraintViolation<?> violation) {
        List<String> parameter = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> { }
                case PARAMETER -> parameter.add(node.getName());
                default -> {
                    // An element of a list or map carries its index or key on the node after the container.
                    if (node.isInIterable() && !inside.isEmpty()) {
                        Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                        inside.set(inside.size() - 1, inside.getLast() + "[" + at + "]");
                    }
                    if (node.getName() != null && !node.getName().isEmpty()) {
                        inside.add(node.getName());
                    }
                }
            }
        }
        String field = String.join(".", inside.isEmpty() ? parameter : inside);
        return field + ": " + violation.getMessage();
    }
}
