package dev.isthmus.control.security;

import dev.isthmus.control.config.ApiConfig;
import dev.isthmus.control.config.ApiTokens;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.Scope;
import dev.isthmus.control.error.ErrorResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every request before it reaches a controller (or Micronaut's own 404/405): with {@code api.tokens-file},
 * a request must carry {@code Authorization: Bearer TOKEN} of a token with the scope its method needs
 * ({@link Scope#neededFor}); otherwise 401, or 403 for a token of too small a scope, in the API's usual error body
 * with a {@code WWW-Authenticate} challenge (RFC 6750 §3). With mutual TLS and no tokens file, the client
 * certificate the TLS handshake verified is the credential and allows everything. {@code /health} and the static
 * pages (which hold no data; they ask the API, with a token) are open. The holder's name is left on the request
 * ({@link #PRINCIPAL}) for the journal.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AccessFilter implements Ordered {

    /** The request attribute naming who the credential belongs to: a token's name or a certificate's subject. */
    public static final String PRINCIPAL = "isthmus.principal";

    /** Paths anyone who reaches the API may ask for. */
    public static final Set<String> OPEN_PATHS = Set.of("/health");
    /** Prefixes of static pages (no data in them), open like {@link #OPEN_PATHS}. */
    static final List<String> OPEN_PREFIXES = List.of("/ui", "/swagger-ui", "/openapi.yml");

    private static final String BEARER = "Bearer ";

    private final ApiConfig api;

    public AccessFilter(ApplianceConfig config) {
        this.api = config.api();
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    /** @return null to let the request through, or the refusal */
    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        Optional<String> certificate = clientCertificate(request);
        if (!api.tokens().required()) {
            certificate.ifPresent(subject -> request.setAttribute(PRINCIPAL, subject));
            return null;
        }
        if (isOpen(request.getPath())) {
            return null;
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(HttpStatus.UNAUTHORIZED, "Bearer realm=\"isthmus\"",
                    "this API needs a token: Authorization: Bearer TOKEN (api.tokens-file)");
        }
        Optional<ApiTokens.Holder> holder = api.tokens().verify(authorization.substring(BEARER.length()).strip());
        if (holder.isEmpty()) {
            return refuse(HttpStatus.UNAUTHORIZED, "Bearer realm=\"isthmus\", error=\"invalid_token\"",
                    "the token is not one of api.tokens-file");
        }
        Scope needed = Scope.neededFor(request.getMethod());
        if (!holder.get().scope().allows(needed)) {
            return refuse(HttpStatus.FORBIDDEN,
                    "Bearer realm=\"isthmus\", error=\"insufficient_scope\", scope=\"" + needed.label() + "\"",
                    "token " + holder.get().name() + " has scope " + holder.get().scope().label() + "; "
                            + request.getMethod() + " needs " + needed.label());
        }
        request.setAttribute(PRINCIPAL, "token " + holder.get().name()
                + certificate.map(subject -> ", " + subject).orElse(""));
        return null;
    }

    static boolean isOpen(String path) {
        return OPEN_PATHS.contains(path) || OPEN_PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private static Optional<String> clientCertificate(HttpRequest<?> request) {
        Optional<Certificate> certificate = request.getCertificate();
        return certificate.filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                .map(c -> "cert " + c.getSubjectX500Principal().getName());
    }

    private static HttpResponse<ErrorResponse> refuse(HttpStatus status, String challenge, String message) {
        return HttpResponse.<ErrorResponse>status(status)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorResponse.of(status, message, List.of()));
    }
}
