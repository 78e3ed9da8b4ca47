package dev.isthmus.control.anycast;

import dev.isthmus.control.error.NotFoundException;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /anycast}: the routing daemon, what is announced, each BGP session's state; 404 without anycast. */
@Controller("/anycast")
public class AnycastController {

    private final AnycastService anycast;

    public AnycastController(AnycastService anycast) {
        this.anycast = anycast;
    }

    @Get
    public AnycastStatus status() {
        return anycast.status().orElseThrow(() -> new NotFoundException("anycast is not configured"));
    }
}
