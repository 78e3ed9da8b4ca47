package dev.isthmus.control.dns;

import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import dev.isthmus.dns.zone.ZoneParseException;
import dev.isthmus.dns.zone.ZoneText;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * A zone the appliance serves, with what the control plane knows about it beyond the parsed zone.
 *
 * @param name the origin as the API names it: lower case, no trailing dot
 * @param parsed the parsed, validated zone; null for a zone changed record by record since ({@link #stored})
 * @param stored for a zone changed record by record (a REST patch, an IXFR), the version of the catalog's store that
 *               serves it, which the change built without an object model; null otherwise
 * @param text the master-file text it was parsed from, as given; null for a zone changed record by record since,
 *             whose {@link #text()} is then written from the zone
 * @param source where it came from: the file path, or {@code rest} / {@code journal} for a zone put over the API
 * @param loadedAt when it was put in service
 */
public record ServedZone(String name, Zone parsed, StoredZone stored, String text, String source, Instant loadedAt) {

    /** A parsed zone (from text, a file, a transfer or the journal). */
    public ServedZone(String name, Zone zone, String text, String source, Instant loadedAt) {
        this(name, zone, null, text, source, loadedAt);
    }

    /** A zone changed record by record: the catalog serves {@code stored} already. */
    public static ServedZone changed(String name, StoredZone stored, String source, Instant loadedAt) {
        return new ServedZone(name, null, stored, null, source, loadedAt);
    }

    /**
     * @return the zone's object model: the parsed zone, or for a zone changed record by record one rebuilt from the
     *     store's records (costs as much as loading the zone: for the rare reader that needs the whole zone)
     */
    public Zone zone() {
        if (parsed != null) {
            return parsed;
        }
        List<ResourceRecord> records = stored.recordList();
        try {
            return Zone.of(stored.origin(), records, Collections.nCopies(records.size(),
                    new ZoneError(name + " (served)", 0, "")));
        } catch (ZoneParseException e) {
            throw new IllegalStateException("the served zone " + name + " does not validate: " + e.getMessage(), e);
        }
    }

    /** @return the SOA serial (RFC 1035 §3.3.13) */
    public long serial() {
        return parsed != null ? parsed.serial() : stored.serial();
    }

    /** @return the SOA record */
    public ResourceRecord soa() {
        if (parsed != null) {
            return parsed.soa();
        }
        for (ResourceRecord r : stored.apexRecordList()) {
            if (r.type() == RecordType.SOA) {
                return r;
            }
        }
        throw new IllegalStateException("zone " + name + " has no SOA");
    }

    /** @return true when the zone carries DNSSEC data */
    public boolean isSigned() {
        return parsed != null ? parsed.isSigned() : stored.isSigned();
    }

    /** @return the text the zone was loaded from, or for a patched zone its records written as master-file text */
    @Override
    public String text() {
        return text != null ? text : ZoneText.render(zone());
    }

    /** @return the number of resource records in the zone */
    public int recordCount() {
        if (parsed == null) {
            return stored.records();
        }
        return parsed.nodes().stream().mapToInt(n -> n.rrsets().stream().mapToInt(r -> r.records().size()).sum()
                + n.allSignatures().stream().mapToInt(r -> r.records().size()).sum()).sum();
    }
}
