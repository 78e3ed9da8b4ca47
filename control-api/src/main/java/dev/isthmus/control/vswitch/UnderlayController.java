package dev.isthmus.control.vswitch;

import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.vswitch.view.UnderlayView;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import jakarta.validation.Valid;

/** {@code /vswitch/underlay}: the VTEP's uplink, addresses, UDP port and MTU. */
@Controller("/vswitch/underlay")
public class UnderlayController {

    private final VswitchService vswitch;

    public UnderlayController(VswitchService vswitch) {
        this.vswitch = vswitch;
    }

    @Get
    public UnderlayView get() {
        return vswitch.underlay().orElseThrow(() -> new NotFoundException("no underlay is configured"));
    }

    @Put
    public UnderlayView put(@Body @Valid UnderlayView underlay, HttpRequest<?> request) {
        return vswitch.setUnderlay(underlay, Actor.of(request));
    }
}
