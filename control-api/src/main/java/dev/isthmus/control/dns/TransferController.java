package dev.isthmus.control.dns;

import dev.isthmus.control.journal.Actor;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import java.util.Map;

/**
 * Zone transfers to secondaries: {@code /dns/zones/{name}/transfer} reads, replaces ({@code PUT}, JSON, see
 * {@link TransferJson}; 400 naming each bad field) or drops back to the configured ({@code DELETE}) a zone's
 * {@code allow-transfer}, {@code notify} and {@code key}; {@code /dns/transfers} counts what the primary did.
 */
@Controller
public class TransferController {

    private final TransferService transfers;

    public TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @Get("/dns/zones/{name}/transfer")
    public TransferView get(@PathVariable String name) {
        return transfers.get(name);
    }

    @Put(value = "/dns/zones/{name}/transfer", consumes = MediaType.APPLICATION_JSON)
    public TransferView put(@PathVariable String name, @Body String body, HttpRequest<?> request) {
        return transfers.put(name, body, Actor.of(request));
    }

    @Delete("/dns/zones/{name}/transfer")
    public TransferView delete(@PathVariable String name, HttpRequest<?> request) {
        return transfers.delete(name, Actor.of(request));
    }

    /** @return transfers served by kind, refusals, NOTIFY sent, answered and failed */
    @Get("/dns/transfers")
    public Map<String, Long> counters() {
        return transfers.counters();
    }
}
