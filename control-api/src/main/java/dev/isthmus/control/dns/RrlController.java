package dev.isthmus.control.dns;

import dev.isthmus.control.journal.Actor;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import java.util.Map;

/**
 * {@code /dns/rrl}: response-rate limiting. {@code GET} answers the settings in force; {@code PUT} replaces them
 * (fields left out keep their values), applied to every lcore at its next burst and journalled, or refused with 400
 * naming each field in error, nothing changed.
 */
@Controller("/dns/rrl")
public class RrlController {

    private final RrlService rrl;

    public RrlController(RrlService rrl) {
        this.rrl = rrl;
    }

    @Get
    public RrlView get() {
        return rrl.get();
    }

    @Put
    public RrlView put(@Body Map<String, Object> body, HttpRequest<?> request) {
        return rrl.put(body, Actor.of(request));
    }
}
