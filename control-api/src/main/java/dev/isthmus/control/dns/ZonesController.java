package dev.isthmus.control.dns;

import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.error.ConflictException;
import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.error.RejectedException;
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
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** How long {@code POST /dns/zones/{name}/refresh} waits for the refresh it starts. */
    static final Duration REFRESH_WAIT = Duration.ofSeconds(30);

    private final ZoneService zones;
    private final SecondaryService secondaries;

    public ZonesController(ZoneService zones, SecondaryService secondaries) {
        this.zones = zones;
        this.secondaries = secondaries;
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
        Optional<SecondaryStatus> secondary = secondaries.status(ConfigLoader.canonicalOrigin(name));
        if (secondary.isPresent()) {
            // A secondary zone: its transfer state, and its text once a transfer brought one.
            String text = zones.zone(name).map(ServedZone::text).orElse("");
            if (accept.contains(ZONE_MEDIA_TYPE) || accept.contains(MediaType.TEXT_PLAIN)) {
                return HttpResponse.ok(text).contentType(accept.contains(ZONE_MEDIA_TYPE) ? ZONE_MEDIA_TYPE : MediaType.TEXT_PLAIN);
            }
            return HttpResponse.ok(new SecondaryDetail(secondary.get(), text)).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
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
        secondaries.forget(ConfigLoader.canonicalOrigin(name)); // valid zone text given here takes over from primaries
        return HttpResponse.status(change.created() ? HttpStatus.CREATED : HttpStatus.OK).body(ZoneSummary.of(change.zone()));
    }

    /**
     * Makes the zone a secondary: {@code {"primaries": ["198.18.0.1", "198.18.0.2@5353"], "key": "xfr"}}; journalled,
     * then transferred at once (the answer comes before the transfer ends: GET or {@code POST .../refresh} shows it).
     *
     * @return 201 with its status when the name was not served, 200 when it was; 400 naming each bad field
     */
    @Put(value = "/{name}", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<SecondaryStatus> putSecondary(@PathVariable String name, @Body String body,
                                                      HttpRequest<?> request) {
        String problem = ConfigLoader.domainNameProblem(name);
        if (problem != null) {
            throw new RejectedException("not a zone name, nothing changed", List.of(problem));
        }
        String canonical = ConfigLoader.canonicalOrigin(name);
        SecondaryService.Change change = secondaries.define(canonical, SecondaryJson.read(body, canonical),
                Actor.of(request));
        return HttpResponse.status(change.created() ? HttpStatus.CREATED : HttpStatus.OK).body(change.status());
    }

    /** Checks a secondary zone's primaries now (as NOTIFY would) and answers with the outcome; 404 otherwise. */
    @Post("/{name}/refresh")
    public SecondaryStatus refresh(@PathVariable String name) {
        return secondaries.refreshNow(ConfigLoader.canonicalOrigin(name), REFRESH_WAIT);
    }

    /** @return 200 with the zone as the changes left it; 400 naming each bad change and field; 404 */
    @Patch(value = "/{name}", consumes = MediaType.APPLICATION_JSON)
    public ZoneSummary patch(@PathVariable String name, @Body String body, HttpRequest<?> request) {
        if (secondaries.isSecondary(ConfigLoader.canonicalOrigin(name))) {
            throw new ConflictException("zone " + name + " is a secondary zone: change it on its primary");
        }
        return ZoneSummary.of(zones.patch(name, ZonePatchJson.read(body, name), Actor.of(request)));
    }

    @Delete("/{name}")
    @Status(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name, HttpRequest<?> request) {
        if (secondaries.forget(ConfigLoader.canonicalOrigin(name)) && zones.zone(name).isEmpty()) {
            // A secondary that never got a copy: only its definition to journal away.
            journalDelete(name, request);
            return;
        }
        zones.delete(name, Actor.of(request));
    }

    private void journalDelete(String name, HttpRequest<?> request) {
        zones.forgetSecondary(ConfigLoader.canonicalOrigin(name), Actor.of(request));
    }

    /**
     * A secondary zone as {@code GET /dns/zones/{name}} returns it.
     *
     * @param zone its transfer state
     * @param text its master-file text as last transferred, empty before the first transfer
     */
    @io.micronaut.serde.annotation.Serdeable
    public record SecondaryDetail(SecondaryStatus zone, String text) {
    }
}
