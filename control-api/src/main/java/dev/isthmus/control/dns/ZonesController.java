package dev.isthmus.control.dns;

import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.journal.Actor;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Status;
import java.util.List;

/**
 * {@code /dns/zones}: list, read, replace and remove served zones. A {@code PUT} carries the zone's master-file text
 * ({@code curl -T example.test.zone http://127.0.0.1:8080/dns/zones/example.test}); it is parsed and validated whole
 * and swapped in atomically while the data plane keeps answering, or refused with 400 and every
 * {@code file:line: message}, nothing changed. A {@code PATCH} carries record-level changes as JSON
 * ({@link ZonePatchJson}), applied whole or refused with 400 and each problem named {@code changes[i].field}.
 */
@Controller("/dns/zones")
public class ZonesController {

    /** The media type of a zone in a request body; plain text is accepted as well. */
    public static final String ZONE_MEDIA_TYPE = "text/dns";

    private final ZoneService zones;

    public ZonesController(ZoneService zones) {
        this.zones = zones;
    }

    @Get
    public List<ZoneSummary> list() {
        return zones.zones().stream().map(ZoneSummary::of).toList();
    }

    /**
     * @return the zone and its text as JSON; with {@code Accept: text/dns} or {@code text/plain}, the master-file
     *         text alone, ready to edit and PUT back
     */
    @Get(value = "/{name}", produces = {MediaType.APPLICATION_JSON, ZONE_MEDIA_TYPE, MediaType.TEXT_PLAIN})
    public HttpResponse<?> get(@PathVariable String name, @Header(value = HttpHeaders.ACCEPT, defaultValue = "") String accept) {
        ZoneDetail zone = zones.zone(name).map(ZoneDetail::of)
                .orElseThrow(() -> new NotFoundException("zone " + name + " is not served"));
        if (accept.contains(ZONE_MEDIA_TYPE) || accept.contains(MediaType.TEXT_PLAIN)) {
            return HttpResponse.ok(zone.text()).contentType(accept.contains(ZONE_MEDIA_TYPE) ? ZONE_MEDIA_TYPE : MediaType.TEXT_PLAIN);
        }
        return HttpResponse.ok(zone).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** @return 201 with the zone when it is new, 200 when it replaced one */
    @Put(value = "/{name}", consumes = {MediaType.TEXT_PLAIN, ZONE_MEDIA_TYPE, MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<ZoneSummary> put(@PathVariable String name, @Body String text, HttpRequest<?> request) {
        ZoneService.Change change = zones.put(name, text, Actor.of(request));
        return HttpResponse.status(change.created() ? HttpStatus.CREATED : HttpStatus.OK).body(ZoneSummary.of(change.zone()));
    }

    /** @return 200 with the zone as the changes left it; 400 naming each bad change and field; 404 */
    @Patch(value = "/{name}", consumes = MediaType.APPLICATION_JSON)
    public ZoneSummary patch(@PathVariable String name, @Body String body, HttpRequest<?> request) {
        return ZoneSummary.of(zones.patch(name, ZonePatchJson.read(body, name), Actor.of(request)));
    }

    @Delete("/{name}")
    @Status(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name, HttpRequest<?> request) {
        zones.delete(name, Actor.of(request));
    }
}
