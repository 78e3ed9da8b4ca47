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
 * A zone the appliance serves, with what the control plane knows about it beyond the engine's store. The store is
 * all that is kept of the zone's data (memory proportional to its wire size, no object per record); the object model
 * of {@code dev.isthmus.dns.zone} is rebuilt from it only for the operations that still take one ({@link #zone()}:
 * a PATCH through {@link dev.isthmus.dns.zone.ZonePatcher}, a catalog zone's members, rendering a changed zone's
 * text) and dropped afterwards.
 *
 * @param name the origin as the API names it: lower case, no trailing dot
 * @param store the zone as the engine serves it (validated)
 * @param text the master-file text it was parsed from, as given; null for a zone changed record by record since,
 *             whose {@link #text()} is then written from the store
 * @param source where it came from: the file path, or {@code rest} / {@code journal} for a zone put over the API
 * @param loadedAt when it was put in service
 */
public record ServedZone(String name, StoredZone store, String text, String source, Instant loadedAt) {

    /** A zone changed record by record (a REST patch, an IXFR): the catalog serves {@code store} already. */
    public static ServedZone changed(String name, StoredZone store, String source, Instant loadedAt) {
        return new ServedZone(name, store, null, source, loadedAt);
    }

    /** @return true when the zone carries DNSSEC data */
    public boolean isSigned() {
        return store.isSigned();
    }

    /** @return the text the zone was loaded from, or for a patched zone its records written as master-file text */
    @Override
    public String text() {
        return text != null ? text : ZoneText.render(zone());
    }

    /**
     * @return the zone's object model, rebuilt from the store (allocates a Java object per record and name: for the
     *     operations that need it, not for reading a serial or a count)
     */
    public Zone zone() {
        List<ResourceRecord> records = store.recordList();
        try {
            return Zone.of(store.origin(), records,
                Collections.nCopies(records.size(), new ZoneError(name + " (served)", 0, "")));
        } catch (ZoneParseException e) {
            throw new IllegalStateException("a served zone's records no longer make a zone: " + e.getMessage(), e);
        }
    }

    /** @return the SOA serial (RFC 1035 §3.3.13) */
    public long serial() {
        return store.serial();
    }

    /** @return the apex SOA record */
    public ResourceRecord soa() {
        for (ResourceRecord r : store.apexRecordList()) {
            if (r.type() == RecordType.SOA) {
                return r;
            }
        }
        throw new IllegalStateException("zone " + name + " has no SOA"); // validated zones always have one
    }

    /** @return the number of resource records in the zone (NSEC3 chain records included) */
    public int recordCount() {
        return store.records();
    }
}
