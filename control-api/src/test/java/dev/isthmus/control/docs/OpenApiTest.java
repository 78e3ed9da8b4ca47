package dev.isthmus.control.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.security.AccessFilter;
import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.MethodBasedRouteInfo;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code /openapi.yml} has every route of every controller (taken from the router, so a new endpoint without a
 * place in the document fails here), and the Swagger UI page and its files are served from the jar.
 */
@MicronautTest
class OpenApiTest extends ControlPlaneTest {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Router router;

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                """;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyControllerRouteIsInTheDocument() {
        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/openapi.yml"), String.class);
        assertEquals("application/yaml", response.getContentType().orElseThrow().getName());
        Map<String, Object> document = new Yaml().load(response.body());
        assertTrue(String.valueOf(document.get("openapi")).startsWith("3."), "an OpenAPI 3 document");
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        TreeSet<String> routes = new TreeSet<>();
        router.uriRoutes().map(r -> (UriRouteInfo<?, ?>) r).forEach(route -> {
            Class<?> type = ((MethodBasedRouteInfo<?, ?>) route).getTargetMethod().getDeclaringType();
            if (!type.isAnnotationPresent(Controller.class) || type.isAnnotationPresent(Hidden.class)) {
                return; // management endpoints (the Prometheus scrape) and this document's own pages
            }
            String path = route.getUriMatchTemplate().toString().replaceAll("\\{[?&][^}]*}", "");
            routes.add(route.getHttpMethod() + " " + path);
        });
        assertTrue(routes.contains("PUT /dns/zones/{name}") && routes.contains("GET /stats"), routes.toString());
        // Micronaut answers HEAD for a GET route by itself; the document describes the GET.
        routes.removeIf(r -> r.startsWith("HEAD ") && routes.contains("GET " + r.substring("HEAD ".length())));
        List<String> missing = routes.stream().filter(r -> {
            String[] parts = r.split(" ", 2);
            Map<String, Object> operations = paths.get(parts[1]);
            return operations == null || !operations.containsKey(parts[0].toLowerCase(Locale.ROOT));
        }).toList();
        assertEquals(List.of(), missing, "routes missing from /openapi.yml");

        // The document asks for a bearer token everywhere except where the access filter lets anyone in.
        assertEquals(List.of(Map.of("bearer", List.of())), document.get("security"));
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> operation : path.getValue().entrySet()) {
                Object security = ((Map<String, Object>) operation.getValue()).get("security");
                boolean open = AccessFilter.OPEN_PATHS.contains(path.getKey());
                assertEquals(open ? List.of(Map.of()) : null, security,
                        operation.getKey() + " " + path.getKey() + (open ? " is open" : " needs the document's token"));
            }
        }
    }

    @Test
    void swaggerUiIsServedFromTheJar() {
        String page = http.toBlocking().retrieve(HttpRequest.GET("/swagger-ui"));
        assertTrue(page.contains("/swagger-ui/assets/swagger-ui-bundle.js") && page.contains("/openapi.yml"), page);
        for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui.css")) {
            HttpResponse<byte[]> file = http.toBlocking().exchange(HttpRequest.GET("/swagger-ui/assets/" + asset), byte[].class);
            assertEquals(200, file.getStatus().getCode(), asset);
            assertTrue(file.body().length > 10_000, asset + " has " + file.body().length + " bytes");
        }
    }
}
