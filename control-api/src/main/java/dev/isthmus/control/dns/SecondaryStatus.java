package dev.isthmus.control.dns;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A secondary zone as {@code GET /dns/zones/{name}} and {@code POST /dns/zones/{name}/refresh} show it.
 *
 * @param name the origin, lower case without the trailing dot
 * @param kind always {@code secondary}
 * @param primaries where it is transferred from
 * @param key the TSIG key's name, or null
 * @param serial the serial served, or -1 before the first transfer
 * @param records the records served (0 before the first transfer)
 * @param lastRefresh when the primary was last asked (successfully or not), or null
 * @param lastSuccess when a primary last answered (RFC 1035 §4.3.5: the expire timer restarts then), or null
 * @param nextRefresh when the next check is due
 * @param expired whether the zone is past its SOA expire and answered with SERVFAIL
 * @param lastTransfer how the zone was last brought up to date (IXFR/AXFR, serials, records), or null
 * @param lastError why the last refresh failed, or null when it succeeded
 */
@Serdeable
public record SecondaryStatus(String name, String kind, List<String> primaries, String key, long serial, int records,
                              Instant lastRefresh, Instant lastSuccess, Instant nextRefresh, boolean expired,
                              String lastTransfer, String lastError) {
}
