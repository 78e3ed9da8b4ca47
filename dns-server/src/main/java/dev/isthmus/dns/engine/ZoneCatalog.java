package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneParseException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The served zones, changed one zone at a time and atomically while queries are answered.
 *
 * <p>Each change parses and validates first (a bad zone throws {@link ZoneParseException} and changes nothing),
 * builds the {@link StoredZone} of the changed zone only, and publishes a new {@link CatalogSnapshot} — sharing
 * every other zone's store — with one volatile write. Query engines read {@link #snapshot()} once per query and
 * never lock. Changes are serialised among themselves.
 *
 * <p>Each zone has a slot whose generation number changes when the answers from that zone may change; the packet
 * cache keeps the slot and generation with each response and checks them on a hit, so a change to one zone leaves
 * the cached answers of the others. Slot {@link CatalogSnapshot#CATALOG_SLOT} changes with every change (answers
 * that depend on several zones or on which zones exist). Adding or removing a zone also changes the slots of the
 * zones above and below it, whose answers for names near the new cut (longest match, DS at an apex) may move.
 */
public final class ZoneCatalog {
    private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
    private final Map<DnsName, Integer> slots = new HashMap<>();
    private long nextGeneration = 2;
    private final java.util.Set<DnsName> expired = new java.util.HashSet<>();
    private volatile ChangeListener listener = ChangeListener.NONE;

    /**
     * Told of every published change, in the order changes are published (called with the catalog's change lock
     * held, on the changing thread, after the new snapshot is visible to readers). For the control plane's
     * transfer history and NOTIFY (RFC 1996); it must not call back into the catalog's changing methods and should
     * hand slow work to another thread.
     */
    public interface ChangeListener {
        ChangeListener NONE = (origin, before, after, deletions, additions) -> { };

        /**
         * @param before the zone's store before the change, or null when the zone is new
         * @param after the store now served, or null when the zone was removed
         * @param deletions the records removed, when the change was given as records ({@link #apply}); else null
         * @param additions the records added, when the change was given as records; else null
         */
        void changed(DnsName origin, StoredZone before, StoredZone after,
                     java.util.List<dev.isthmus.dns.zone.ResourceRecord> deletions,
                     java.util.List<dev.isthmus.dns.zone.ResourceRecord> additions);
    }

    /** Sets the one listener told of every change ({@link ChangeListener#NONE} for none). */
    public void listener(ChangeListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener);
    }

    /** @return the current generation; a plain volatile read */
    public CatalogSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces (or adds) zone {@code name} with zone text (RFC 1035 §5; {@code $INCLUDE} refused), loaded by
     * {@link ZoneLoader}.
     *
     * @return the zone's new store
     * @throws ZoneParseException listing {@code file:line: message} errors, where the file is {@code name}
     * @throws IllegalArgumentException when {@code name} is not a valid domain name
     */
    public StoredZone replace(String name, String zoneText) throws ZoneParseException {
        DnsName origin = DnsName.of(name);
        StoredZone zone = ZoneLoader.parse(origin, zoneText, origin.toString());
        put(zone);
        return zone;
    }

    /** Loads (or reloads) zone {@code name} from a file; {@code $INCLUDE} is relative to it. */
    public StoredZone load(String name, Path file) throws ZoneParseException {
        StoredZone zone = ZoneLoader.load(DnsName.of(name), file);
        put(zone);
        return zone;
    }

    /**
     * Publishes many zones as one generation (a server's start): one copy of the catalog and one snapshot for all
     * of them, so loading Z zones costs O(Z), not the O(Z²) of Z single {@link #put}s. A zone of an origin already
     * served, or given twice, replaces the earlier one. The listener hears of each zone, in order.
     */
    public synchronized void putAll(java.util.Collection<StoredZone> zones) {
        if (zones.isEmpty()) {
            return;
        }
        CatalogSnapshot current = snapshot;
        Map<DnsName, StoredZone> next = new LinkedHashMap<>(current.zones());
        Map<DnsName, StoredZone> before = new HashMap<>();
        for (StoredZone zone : zones) {
            StoredZone previous = next.put(zone.origin(), zone);
            if (previous != null && !before.containsKey(zone.origin())) {
                before.put(zone.origin(), previous);
            }
            expired.remove(zone.origin());
            slots.computeIfAbsent(zone.origin(), o -> slots.size() + 1);
        }
        publishAll(next, zones);
        for (StoredZone zone : zones) {
            listener.changed(zone.origin(), before.remove(zone.origin()), zone, null, null);
        }
    }

    /** Publishes an already parsed zone: builds its store (outside the lock), then swaps it in. */
    public void put(Zone zone) {
        put(StoredZone.of(zone));
    }

    /** Publishes an already built zone store, replacing the zone of the same origin. */
    public synchronized void put(StoredZone zone) {
        put(zone, null, null);
    }

    private void put(StoredZone zone, java.util.List<dev.isthmus.dns.zone.ResourceRecord> deletions,
                     java.util.List<dev.isthmus.dns.zone.ResourceRecord> additions) {
        CatalogSnapshot current = snapshot;
        Map<DnsName, StoredZone> next = new LinkedHashMap<>(current.zones());
        StoredZone before = next.put(zone.origin(), zone);
        expired.remove(zone.origin()); // a new version is a fresh copy
        slots.computeIfAbsent(zone.origin(), o -> slots.size() + 1);
        publish(next, zone.origin(), before == null);
        listener.changed(zone.origin(), before, zone, deletions, additions);
    }

    /**
     * Applies record-level changes to a served zone: every record of {@code deletions} is removed (matched as
     * RFC 2181 §5 duplicates are: owner, type, class and RDATA; the TTL is ignored), then every record of
     * {@code additions} is added; the result is validated against the zone's rules and published as
     * {@link #put(StoredZone)} does, or nothing changes. The new version shares every page of the store that the
     * change leaves alone ({@link StoreChange}): the cost is that of the change, not of the zone nor of the catalog
     * (the other zones are shared, their cached answers kept). The few changes the store does not take (NSEC3PARAM,
     * an NSEC3 owner joining or leaving the name space: see {@link StoreChange}) rebuild the zone from its store's
     * records through the validator instead.
     * The SOA serial is the caller's to change. Serialised with every other change, so two concurrent applies never
     * lose each other's records.
     *
     * @return the zone's new store
     * @throws ZoneParseException when a deletion matches no record ({@code change:N}, N the 1-based position in
     *     {@code deletions}, then {@code additions}) or the result breaks a zone rule (a second SOA, CNAME and other
     *     data, records outside the zone...)
     * @throws IllegalArgumentException when {@code name} is not a served zone
     */
    public StoredZone apply(String name, java.util.List<dev.isthmus.dns.zone.ResourceRecord> deletions,
                            java.util.List<dev.isthmus.dns.zone.ResourceRecord> additions)
            throws ZoneParseException {
        return apply(name, deletions, additions, version -> { });
    }

    /**
     * As {@link #apply(String, java.util.List, java.util.List)}, calling {@code beforePublish} with the validated
     * new version before it is published (with the change lock held): the control plane journals the change there,
     * so that a change is journalled before it is served and not served when the journal refuses it (the callback
     * throws, nothing is published).
     */
    public synchronized StoredZone apply(String name, java.util.List<dev.isthmus.dns.zone.ResourceRecord> deletions,
                                         java.util.List<dev.isthmus.dns.zone.ResourceRecord> additions,
                                         java.util.function.Consumer<StoredZone> beforePublish)
            throws ZoneParseException {
        StoredZone next = build(name, deletions, additions);
        beforePublish.accept(next);
        put(next, deletions, additions);
        return next;
    }

    private StoredZone build(String name, java.util.List<dev.isthmus.dns.zone.ResourceRecord> deletions,
                             java.util.List<dev.isthmus.dns.zone.ResourceRecord> additions)
            throws ZoneParseException {
        DnsName origin = DnsName.of(name);
        StoredZone current = snapshot.zones().get(origin);
        if (current == null) {
            throw new IllegalArgumentException("zone " + origin + " is not served");
        }
        StoredZone fast = current.withChanges(deletions, additions);
        if (fast != null) {
            return fast;
        }
        var records = new java.util.ArrayList<>(current.recordList());
        var sources = new java.util.ArrayList<dev.isthmus.dns.zone.ZoneError>(records.size() + additions.size());
        var errors = new java.util.ArrayList<dev.isthmus.dns.zone.ZoneError>();
        var kept = new java.util.LinkedHashSet<>(records);
        for (int i = 0; i < deletions.size(); i++) {
            if (!kept.remove(deletions.get(i))) {
                errors.add(new dev.isthmus.dns.zone.ZoneError("change", i + 1,
                    "no such record to delete: " + deletions.get(i)));
            }
        }
        if (!errors.isEmpty()) {
            throw new ZoneParseException(errors);
        }
        records = new java.util.ArrayList<>(kept);
        for (int i = 0; i < records.size(); i++) {
            sources.add(new dev.isthmus.dns.zone.ZoneError(origin + " (served)", 0, ""));
        }
        for (int i = 0; i < additions.size(); i++) {
            records.add(additions.get(i));
            sources.add(new dev.isthmus.dns.zone.ZoneError("change", deletions.size() + i + 1, ""));
        }
        return StoredZone.of(Zone.of(origin, records, sources));
    }

    /**
     * Marks a served secondary zone expired (RFC 1035 §4.3.5: past its SOA EXPIRE without reaching a primary, "the
     * zone is no longer authoritative"), answered with SERVFAIL as NSD and Knot do, or in service again.
     *
     * @return false when no such zone is served
     */
    public synchronized boolean expire(String name, boolean isExpired) {
        DnsName origin = DnsName.of(name);
        if (!snapshot.zones().containsKey(origin)) {
            return false;
        }
        if (isExpired ? expired.add(origin) : expired.remove(origin)) {
            publish(new LinkedHashMap<>(snapshot.zones()), origin, false);
        }
        return true;
    }

    /** @return true when the zone was served and is now removed */
    public synchronized boolean remove(String name) {
        DnsName origin = DnsName.of(name);
        Map<DnsName, StoredZone> next = new LinkedHashMap<>(snapshot.zones());
        StoredZone before = next.remove(origin);
        if (before == null) {
            return false;
        }
        expired.remove(origin);
        publish(next, origin, true);
        listener.changed(origin, before, null, null, null);
        return true;
    }

    private void publish(Map<DnsName, StoredZone> next, DnsName changed, boolean addedOrRemoved) {
        long[] generations = snapshot.generations();
        int size = 1;
        for (int s : slots.values()) {
            size = Math.max(size, s + 1);
        }
        long[] g = java.util.Arrays.copyOf(generations, Math.max(size, generations.length));
        long generation = nextGeneration++;
        g[CatalogSnapshot.CATALOG_SLOT] = generation;
        g[slots.get(changed)] = generation;
        if (addedOrRemoved) {
            for (var e : slots.entrySet()) {
                DnsName o = e.getKey();
                if (o.isSubdomainOf(changed) || changed.isSubdomainOf(o)) {
                    g[e.getValue()] = generation;
                }
            }
        }
        snapshot = new CatalogSnapshot(next, slots, g, expired);
    }

    /**
     * {@link #publish} for many changed zones at once: every changed zone's slot, and the slots of zones above or
     * below one of them (new zones move cuts), found by walking each changed origin's ancestors and, for the zones below,
     * by walking every served origin's ancestors once — O(zones × labels), not O(changed × zones).
     */
    private void publishAll(Map<DnsName, StoredZone> next, java.util.Collection<StoredZone> changed) {
        long[] generations = snapshot.generations();
        int size = slots.size() + 1;
        long[] g = java.util.Arrays.copyOf(generations, Math.max(size, generations.length));
        long generation = nextGeneration++;
        g[CatalogSnapshot.CATALOG_SLOT] = generation;
        java.util.Set<DnsName> origins = new java.util.HashSet<>();
        for (StoredZone zone : changed) {
            origins.add(zone.origin());
        }
        for (var e : slots.entrySet()) {
            for (DnsName o = e.getKey(); ; o = o.parent()) {
                if (origins.contains(o)) { // a changed zone or one below it
                    g[e.getValue()] = generation;
                    break;
                }
                if (o.isRoot()) {
                    break;
                }
            }
        }
        for (DnsName o : origins) { // zones above a changed one
            for (DnsName a = o; !a.isRoot(); ) {
                a = a.parent();
                Integer slot = slots.get(a);
                if (slot != null) {
                    g[slot] = generation;
                }
            }
        }
        snapshot = new CatalogSnapshot(next, slots, g, expired);
    }

    /** @return the zones served now, by origin */
    public Map<DnsName, StoredZone> zones() {
        return snapshot.zones();
    }
}
