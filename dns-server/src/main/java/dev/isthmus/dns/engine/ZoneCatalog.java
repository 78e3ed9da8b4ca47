package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The served zones, changed whole and atomically while queries are answered.
 *
 * <p>Each change parses and validates first (a bad zone throws {@link ZoneParseException} and changes nothing),
 * then precomputes a complete new {@link CatalogSnapshot} and publishes it with one volatile write. Query engines
 * read {@link #snapshot()} once per query and never lock. Changes are serialised among themselves.
 */
public final class ZoneCatalog {
    private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;

    /** @return the current generation; a plain volatile read */
    public CatalogSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces (or adds) zone {@code name} with zone text (RFC 1035 §5; {@code $INCLUDE} refused).
     *
     * @throws ZoneParseException listing {@code file:line: message} errors, where the file is {@code name}
     * @throws IllegalArgumentException when {@code name} is not a valid domain name
     */
    public synchronized Zone replace(String name, String zoneText) throws ZoneParseException {
        DnsName origin = DnsName.of(name);
        Zone zone = ZoneFileParser.parse(origin, zoneText, origin.toString());
        put(zone);
        return zone;
    }

    /** Loads (or reloads) zone {@code name} from a file; {@code $INCLUDE} is relative to it. */
    public synchronized Zone load(String name, Path file) throws ZoneParseException {
        Zone zone = ZoneFileParser.load(DnsName.of(name), file);
        put(zone);
        return zone;
    }

    /** Publishes an already parsed zone. */
    public synchronized void put(Zone zone) {
        Map<DnsName, Zone> next = new LinkedHashMap<>(snapshot.zones());
        next.put(zone.origin(), zone);
        snapshot = new CatalogSnapshot(next);
    }

    /** @return true when the zone was served and is now removed */
    public synchronized boolean remove(String name) {
        DnsName origin = DnsName.of(name);
        Map<DnsName, Zone> next = new LinkedHashMap<>(snapshot.zones());
        if (next.remove(origin) == null) {
            return false;
        }
        snapshot = new CatalogSnapshot(next);
        return true;
    }

    /** @return the zones served now, by origin */
    public Map<DnsName, Zone> zones() {
        return snapshot.zones();
    }
}
