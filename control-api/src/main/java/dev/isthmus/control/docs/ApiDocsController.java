package dev.isthmus.control.docs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yml}: the OpenAPI 3 document of this API, generated from the controllers when the module is
 * compiled (so it cannot drift from them), and {@code GET /swagger-ui}: a page that browses it with Swagger UI,
 * whose files come from the webjar in the jar ({@code /swagger-ui/assets/}), so it works without the Internet.
 */
@OpenAPIDefinition(
        info = @Info(title = "isthmus", version = ApiDocsController.VERSION,
                description = "The Isthmus appliance's control API: DNS zones, the vswitch, health, statistics, journal."
                        + " See docs/CONTROL-API.md."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token of api.tokens-file: read for GET, write for changes")
@Controller
@Hidden
public class ApiDocsController {

    /** The document's version; with the title it names the file micronaut-openapi writes. */
    static final String VERSION = "1";
    /** Where micronaut-openapi writes the document: {@code META-INF/swagger/<title>-<version>.yml}. */
    static final String DOCUMENT = "META-INF/swagger/isthmus-" + VERSION + ".yml";

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Isthmus API</title>
              <link rel="stylesheet" href="/swagger-ui/assets/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/swagger-ui/assets/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.yml", dom_id: "#swagger-ui", deepLinking: true});
              </script>
            </body>
            </html>
            """;

    private final String document;

    public ApiDocsController() {
        try (InputStream in = ApiDocsController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the class path: was micronaut-openapi run?");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    public HttpResponse<String> document() {
        return HttpResponse.ok(document);
    }

    @Get(uri = "/swagger-ui", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> page() {
        return HttpResponse.ok(PAGE);
    }
}
