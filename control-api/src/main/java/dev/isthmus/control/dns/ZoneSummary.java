package dev.isthmus.control.dns;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A served zone as {@code GET /dns/zones} lists it.
 *
 * @param name the origin, lower case without the trailing dot
 * @param serial the SOA serial
 * @param records the number of resource records
 * @param signed whether the zone carries DNSSEC signatures
 * @param source the file it was loaded from, or {@code rest} / {@code journal}
 * @param loadedAt when it was put in service
 */
@Serdeable
public record ZoneSummary(String name, long serial, int records, boolean signed, String source, Instant loadedAt) {

    static ZoneSummary of(ServedZone z) {
        return new ZoneSummary(z.name(), z.serial(), z.recordCount(), z.store().isSigned(), z.source(), z.loadedAt());
    }
}
