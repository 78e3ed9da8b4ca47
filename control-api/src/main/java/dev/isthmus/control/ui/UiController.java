package dev.isthmus.control.ui;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;

/** {@code GET /ui}: to the dashboard's page, which application.yml serves from the jar's {@code ui/} as {@code /ui/**}. */
@Controller
@Hidden
public class UiController {

    @Get("/ui")
    public HttpResponse<?> page() {
        return HttpResponse.seeOther(URI.create("/ui/index.html"));
    }
}
