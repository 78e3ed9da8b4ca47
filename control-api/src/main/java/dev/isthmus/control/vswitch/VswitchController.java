package dev.isthmus.control.vswitch;

import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.StaticEntryView;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;

/**
 * {@code /vswitch/bridge-domains}: bridge domains, their access ports, VTEP flood lists, FDB (read, static entries,
 * flush) and counters. Each change is applied to the data path atomically or refused with 4xx and nothing changed.
 */
@Controller("/vswitch/bridge-domains")
@Validated
public class VswitchController {

    private final VswitchService vswitch;

    public VswitchController(VswitchService vswitch) {
        this.vswitch = vswitch;
    }

    @Get
    public List<BridgeDomainView> list() {
        return vswitch.bridgeDomains();
    }

    @Post
    public HttpResponse<BridgeDomainView> create(@Body @Valid BridgeDomainView domain, HttpRequest<?> request) {
        return HttpResponse.status(HttpStatus.CREATED).body(vswitch.create(domain, Actor.of(request)));
    }

    @Get("/{vni}")
    public BridgeDomainView get(@Min(0) @Max(16_777_215) int vni) {
        return vswitch.bridgeDomain(vni);
    }

    @Delete("/{vni}")
    @Status(HttpStatus.NO_CONTENT)
    public void delete(@Min(0) @Max(16_777_215) int vni, HttpRequest<?> request) {
        vswitch.delete(vni, Actor.of(request));
    }

    @Put("/{vni}/settings")
    public BridgeDomainView settings(int vni, @Body @Valid SettingsCommand settings, HttpRequest<?> request) {
        return vswitch.settings(vni, settings, Actor.of(request));
    }

    @Post("/{vni}/ports")
    public BridgeDomainView addPort(int vni, @Body @Valid PortRef port, HttpRequest<?> request) {
        return vswitch.addPort(vni, port, Actor.of(request));
    }

    /** {@code DELETE /vswitch/bridge-domains/100/ports/tap0?vlan=10}; untagged without {@code vlan}. */
    @Delete("/{vni}/ports/{port}")
    public BridgeDomainView removePort(int vni, String port, @QueryValue(defaultValue = "0") @Min(0) @Max(4094) int vlan,
                                       HttpRequest<?> request) {
        return vswitch.removePort(vni, new PortRef(port, vlan), Actor.of(request));
    }

    @Post("/{vni}/vteps")
    public BridgeDomainView addVtep(int vni, @Body @Valid VtepCommand vtep, HttpRequest<?> request) {
        return vswitch.addVtep(vni, vtep.address(), Actor.of(request));
    }

    @Delete("/{vni}/vteps/{address}")
    public BridgeDomainView removeVtep(int vni, String address, HttpRequest<?> request) {
        return vswitch.removeVtep(vni, address, Actor.of(request));
    }

    @Get("/{vni}/fdb")
    public List<FdbEntryJson> fdb(int vni) {
        return vswitch.fdb(vni);
    }

    @Post("/{vni}/fdb")
    public BridgeDomainView addStaticEntry(int vni, @Body @Valid StaticEntryView entry, HttpRequest<?> request) {
        return vswitch.addStaticEntry(vni, entry, Actor.of(request));
    }

    @Delete("/{vni}/fdb/{mac}")
    public BridgeDomainView removeStaticEntry(int vni, String mac, HttpRequest<?> request) {
        return vswitch.removeStaticEntry(vni, mac, Actor.of(request));
    }

    @Post("/{vni}/fdb/flush")
    public Flushed flush(int vni, HttpRequest<?> request) {
        return new Flushed(vswitch.flush(vni, Actor.of(request)));
    }

    @Get("/{vni}/counters")
    public Map<String, Long> counters(int vni) {
        return vswitch.counters(vni);
    }

    /**
     * The answer of a flush.
     *
     * @param removed how many learned entries were forgotten
     */
    @Serdeable
    public record Flushed(int removed) {
    }
}
