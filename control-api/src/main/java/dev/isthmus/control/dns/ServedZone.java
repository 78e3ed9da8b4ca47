package dev.isthmus.control.dns;

import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneText;
import java.time.Instant;

/**
 * A zone the appliance serves, with what the control plane knows about it beyond the parsed zone.
 *
 * @param name the origin as the API names it: lower case, no trailing dot
 * @param zone the parsed, validated zone
 * @param text the master-file text it was parsed from, as given; null for a zone changed record by record since,
 *             whose {@link #text()} is then written from the zone
 * @param source where it came from: the file path, or {@code rest} / {@code journal} for a zone put over the API
 * @param loadedAt when it was put in service
 */
public record ServedZone(String name, Zone zone, String text, String source, Instant loadedAt) {

    /** @return the text the zone was loaded from, or for a patched zone its records written as master-file text */
    @Override
    public String text() {
        return text != null ? text : ZoneText.render(zone);
    }

    /** @return the number of resource records in the zone */
    public int recordCount() {
        return zone.nodes().stream().mapToInt(n -> n.rrsets().stream().mapToInt(r -> r.records().size()).sum()
                + n.allSignatures().stream().mapToInt(r -> r.records().size()).sum()).sum();
    }
}
