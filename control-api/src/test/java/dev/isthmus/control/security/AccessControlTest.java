package dev.isthmus.control.security;

import dev.isthmus.control.config.Scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code api.tokens-file}: every route Micronaut's router has (so an endpoint added later is covered without
 * editing this test) refuses a request without a token with 401, every mutating one refuses a read token with 403,
 * both in the API's error body; a write token passes and the journal names it.
 */
@MicronautTest
class AccessControlTest extends ControlPlaneTest {

    static final String READ_TOKEN = "r3ad-0123456789abcdef";
    static final String WRITE_TOKEN = "wr1te-0123456789abcdef";

    private Path tokensDirectory;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Router router;

    @Inject
    Journal journal;

    @Override
    protected String configuration() {
        try {
            tokensDirectory = Files.createTempDirectory("isthmus-tokens");
            Path tokens = tokensDirectory.resolve("tokens");
            Files.writeString(tokens, """
                    # TOKEN SCOPE NAME
                    %s read grafana
                    %s write alice
                    """.formatted(READ_TOKEN, WRITE_TOKEN));
            Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
            return """
                    ports:
                      - {name: access0, device: net_null0, addresses: [198.18.0.53/24]}
                    api:
                      tokens-file: %s
                    """.formatted(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void removeTokens() throws IOException {
        Files.deleteIfExists(tokensDirectory.resolve("tokens"));
        Files.deleteIfExists(tokensDirectory);
    }

    /** A route the router knows, as method and path with every variable filled in. */
    record Route(HttpMethod method, String template, String path) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private List<Route> routes() {
        Set<String> seen = new TreeSet<>();
        return router.uriRoutes()
                .map(r -> (UriRouteInfo<?, ?>) r)
                .map(r -> {
                    String template = r.getUriMatchTemplate().toString();
                    String path = template.replaceAll("\\{[?&][^}]*}", "").replaceAll("\\{[^}]*}", "1");
                    return new Route(r.getHttpMethod(), template, path);
                })
                .filter(r -> seen.add(r.toString()))
                .toList();
    }

    private HttpStatus status(Route route, String token) {
        MutableHttpRequest<?> request = HttpRequest.create(route.method(), route.path());
        if (route.method() == HttpMethod.PUT || route.method() == HttpMethod.POST || route.method() == HttpMethod.PATCH) {
            request = request.body("{}").contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        try {
            return http.toBlocking().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.UNAUTHORIZED || e.getStatus() == HttpStatus.FORBIDDEN) {
                ErrorResponse body = e.getResponse().getBody(ErrorResponse.class).orElseThrow(
                        () -> new AssertionError(route + ": " + e.getStatus() + " without the API's error body"));
                assertEquals(e.getStatus().getCode(), body.status(), route.toString());
                assertFalse(body.message().isBlank(), route.toString());
                assertTrue(e.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE).startsWith("Bearer"),
                        route + ": a 401/403 carries a Bearer challenge");
            }
            return e.getStatus();
        }
    }

    private List<Route> mutating() {
        return routes().stream().filter(r -> Scope.neededFor(r.method()) == Scope.WRITE).toList();
    }

    @Test
    void theRouterListsTheKnownMutatingEndpoints() {
        Set<String> names = new TreeSet<>(mutating().stream().map(Route::toString).toList());
        // If the route listing came back empty the tests below would pass by checking nothing.
        for (String known : List.of("PUT /dns/zones/{name}", "DELETE /dns/zones/{name}", "POST /vswitch/bridge-domains",
                "PUT /vswitch/underlay", "POST /vswitch/bridge-domains/{vni}/fdb/flush")) {
            assertTrue(names.contains(known), known + " in " + names);
        }
    }

    @Test
    void everyMutatingEndpointRefusesWithoutATokenAndWithAReadToken() {
        for (Route route : mutating()) {
            assertEquals(HttpStatus.UNAUTHORIZED, status(route, null), route + " without a token");
            assertEquals(HttpStatus.UNAUTHORIZED, status(route, "not-a-token-0123456789"), route + " with an unknown token");
            assertEquals(HttpStatus.FORBIDDEN, status(route, READ_TOKEN), route + " with a read token");
            HttpStatus withWrite = status(route, WRITE_TOKEN);
            assertTrue(withWrite != HttpStatus.UNAUTHORIZED && withWrite != HttpStatus.FORBIDDEN,
                    route + " with a write token: " + withWrite);
        }
    }

    @Test
    void everyReadNeedsATokenOfEitherScopeExceptHealth() {
        List<Route> reads = routes().stream().filter(r -> r.method() == HttpMethod.GET).toList();
        assertTrue(reads.stream().anyMatch(r -> r.template().equals("/stats")), "GET /stats is a route: " + reads);
        for (Route route : reads) {
            if (AccessFilter.isOpen(route.path())) {
                continue;
            }
            assertEquals(HttpStatus.UNAUTHORIZED, status(route, null), route + " without a token");
            for (String token : List.of(READ_TOKEN, WRITE_TOKEN)) {
                HttpStatus s = status(route, token);
                assertTrue(s != HttpStatus.UNAUTHORIZED && s != HttpStatus.FORBIDDEN, route + ": " + s);
            }
        }
    }

    @Test
    void healthIsOpenForLoadBalancers() {
        // No data plane in this test: 503 DOWN, but answered, not 401.
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, status(new Route(HttpMethod.GET, "/health", "/health"), null));
    }

    @Test
    void theJournalNamesTheTokenThatMadeAChange() {
        HttpResponse<String> put = http.toBlocking().exchange(HttpRequest.PUT("/dns/zones/token.test", """
                $ORIGIN token.test.
                @ 300 IN SOA ns1 hostmaster 1 3600 600 86400 300
                @ 300 IN NS ns1
                ns1 300 IN A 198.18.0.53
                """).contentType(MediaType.TEXT_PLAIN_TYPE).bearerAuth(WRITE_TOKEN), String.class);
        assertEquals(HttpStatus.CREATED, put.getStatus());
        JournalEntry change = journal.latest(10, e -> e.subject().equals("dns.zone/token.test")
                && e.kind() == JournalEntry.Kind.CHANGE).getLast();
        assertTrue(change.actor().matches("rest \\S+ token alice"), change.actor());
        List<JournalEntry> asRead = http.toBlocking().retrieve(HttpRequest.GET("/journal?subject=dns.zone/token.test")
                .bearerAuth(READ_TOKEN), Argument.listOf(JournalEntry.class));
        assertFalse(asRead.isEmpty());
    }
}
