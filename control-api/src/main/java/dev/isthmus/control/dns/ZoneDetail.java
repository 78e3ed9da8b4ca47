package dev.isthmus.control.dns;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One served zone as {@code GET /dns/zones/{name}} returns it: the summary and the master-file text it was loaded
 * from, which a {@code PUT} of the same text reproduces.
 *
 * @param zone the summary
 * @param text the zone's master-file text
 */
@Serdeable
public record ZoneDetail(ZoneSummary zone, String text) {

    static ZoneDetail of(ServedZone z) {
        return new ZoneDetail(ZoneSummary.of(z), z.text());
    }
}
