package dev.isthmus.control.dns;

import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.ZoneSource;
import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.engine.ZoneLoader;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import dev.isthmus.dns.zone.ZoneParseException;
import dev.isthmus.dns.zone.ZonePatch;
import dev.isthmus.dns.zone.ZonePatchException;
import dev.isthmus.dns.zone.ZonePatcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The served zones as the control plane manages them: loaded from the configuration at start, restored from the
 * journal, replaced, changed record by record and removed over REST. Each change parses and validates the whole
 * zone first (a patch: the zone it makes, see {@link ZonePatcher}); only a valid
 * zone reaches the engine's {@link ZoneCatalog}, which builds that zone's store and swaps a new generation in with one
 * volatile write, so queries in flight are answered from either the old zone or the new one, never a mixture.
 * A rejected zone changes nothing.
 *
 * <p>Changes are serialised (one writer at a time, rare); readers see an immutable snapshot.
 */
public final class ZoneService {

    /** Journal subject prefix of zone changes: {@code dns.zone/example.test}. */
    public static final String SUBJECT_PREFIX = "dns.zone/";
    /** Journal action of a record-level change; its value is the patch as applied, in {@link ZonePatchJson}'s form. */
    public static final String PATCH = "patch";
    /**
     * Journal action that makes a zone a secondary; its value is {@link SecondaryJson}'s form. The zone's data is
     * not journalled: the last good copy is kept on disk ({@link SecondaryService}).
     */
    public static final String SECONDARY = "secondary";

    private final ZoneCatalog catalog;
    private final Journal journal;
    private final Clock clock;
    private final Object changeLock = new Object();
    private volatile Map<String, ServedZone> served = Map.of();

    public ZoneService(ZoneCatalog catalog, Journal journal, Clock clock) {
        this.catalog = catalog;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Loads the configured zones, then (when {@code restoreFromJournal}) applies the zone changes the journal
     * recorded, the last one per zone winning; publishes the result once.
     *
     * @throws RejectedException when a configured zone file does not load (with every {@code file:line} error)
     */
    public void start(List<ZoneSource> configured, boolean restoreFromJournal) {
        synchronized (changeLock) {
            Map<String, ServedZone> zones = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            for (ZoneSource source : configured) {
                try {
                    zones.put(source.origin(), loadConfigured(source));
                } catch (ZoneParseException e) {
                    e.errors().forEach(err -> problems.add(err.toString()));
                }
            }
            if (!problems.isEmpty()) {
                throw new RejectedException("configured zones do not load", problems);
            }
            if (restoreFromJournal) {
                restore(zones);
            }
            install(zones);
        }
    }

    private ServedZone loadConfigured(ZoneSource source) throws ZoneParseException {
        DnsName origin = DnsName.of(source.origin());
        String text;
        if (source.onClasspath()) {
            String resource = source.location().substring(ZoneSource.CLASSPATH_PREFIX.length());
            try (InputStream in = ZoneService.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ZoneParseException(List.of(new ZoneError(source.location(), 0, "not found on the class path")));
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ZoneParseException(List.of(new ZoneError(source.location(), 0, "cannot read: " + e.getMessage())));
            }
            return new ServedZone(source.origin(), ZoneLoader.parse(origin, text, source.location()), text,
                    source.location(), clock.instant());
        }
        Path file = Path.of(source.location());
        ZoneLoader.FileZone loaded = ZoneLoader.loadWithText(origin, file);
        return new ServedZone(source.origin(), loaded.store(), loaded.text(), file.toString(), clock.instant());
    }

    /**
     * Brings {@code zones} to what the journal recorded: for each zone its last {@code put} or {@code delete}, then
     * the {@code patch}es recorded after it, in order (on top of the configured zone when the zone was only ever
     * patched). A step that no longer applies (e.g. a stricter validator) stops that zone at the last state that
     * did, and a {@code restore-failed} event says why.
     */
    private void restore(Map<String, ServedZone> zones) {
        Map<String, List<JournalEntry>> history = new LinkedHashMap<>();
        journal.replay(entry -> {
            if (entry.kind() == JournalEntry.Kind.CHANGE && entry.subject().startsWith(SUBJECT_PREFIX)) {
                String name = entry.subject().substring(SUBJECT_PREFIX.length());
                List<JournalEntry> steps = history.computeIfAbsent(name, k -> new ArrayList<>());
                if (!entry.action().equals(PATCH)) {
                    steps.clear(); // a put or a delete is the zone's whole state: what came before no longer counts
                }
                steps.add(entry);
            }
        });
        List<String> restored = new ArrayList<>();
        for (Map.Entry<String, List<JournalEntry>> change : history.entrySet()) {
            String name = change.getKey();
            for (JournalEntry entry : change.getValue()) {
                if (!restoreStep(zones, name, entry)) {
                    break; // a failed step leaves the zone as the steps before it made it; so does a no-op delete
                }
                restored.add(entry.action().equals("delete") ? "-" + name
                        : entry.action().equals(PATCH) ? name + "(patch)" : name);
            }
        }
        if (!restored.isEmpty()) {
            journal.event(Actor.APPLIANCE, "dns.zones", "restored", String.join(" ", restored));
        }
    }

    /** @return false, with a {@code restore-failed} event, when {@code entry} no longer applies to {@code zones} */
    private boolean restoreStep(Map<String, ServedZone> zones, String name, JournalEntry entry) {
        switch (entry.action()) {
            case "delete" -> {
                return zones.remove(name) != null;
            }
            case SECONDARY -> {
                zones.remove(name); // served from its primaries from now on: SecondaryService restores it
                return true;
            }
            case PATCH -> {
                ServedZone base = zones.get(name);
                if (base == null) {
                    journal.event(Actor.APPLIANCE, SUBJECT_PREFIX + name, "restore-failed",
                            "a patch of a zone that is not served (not in the configuration any more?)");
                    return false;
                }
                try {
                    ZonePatch patch = ZonePatchJson.read(entry.value(), name);
                    Zone zone = ZonePatcher.apply(base.zone(), patch).zone();
                    zones.put(name, new ServedZone(name, StoredZone.of(zone), null, "journal", entry.time()));
                    return true;
                } catch (ZonePatchException e) {
                    journal.event(Actor.APPLIANCE, SUBJECT_PREFIX + name, "restore-failed", e.getMessage());
                } catch (RejectedException e) {
                    journal.event(Actor.APPLIANCE, SUBJECT_PREFIX + name, "restore-failed",
                            e.getMessage() + ": " + String.join("; ", e.problems()));
                }
                return false;
            }
            default -> {
                try {
                    StoredZone zone = ZoneLoader.parse(DnsName.of(name), entry.value(), name + ".zone");
                    zones.put(name, new ServedZone(name, zone, entry.value(), "journal", entry.time()));
                    return true;
                } catch (ZoneParseException | IllegalArgumentException e) {
                    // A zone the journal holds but this version cannot load (e.g. a stricter validator): keep what
                    // the configuration gave, and say so where the operator looks.
                    journal.event(Actor.APPLIANCE, SUBJECT_PREFIX + name, "restore-failed", e.getMessage());
                    return false;
                }
            }
        }
    }

    /** @return the served zones, by name */
    public Collection<ServedZone> zones() {
        return new TreeMap<>(served).values();
    }

    /** @return the served zone of that name (any case, trailing dot or not) */
    public Optional<ServedZone> zone(String name) {
        return Optional.ofNullable(served.get(ConfigLoader.canonicalOrigin(name)));
    }

    /**
     * Parses {@code text} as the zone {@code name} and puts it in service in place of the current one, if any.
     *
     * @return the zone now served, and whether it is new
     * @throws RejectedException when the name is not a domain name or the text is not a valid zone (every
     *                           {@code name.zone:line: message}); nothing changed then
     */
    public Change put(String name, String text, String actor) {
        String canonical = canonicalName(name);
        StoredZone zone;
        try {
            zone = ZoneLoader.parse(DnsName.of(canonical), text, canonical + ".zone");
        } catch (ZoneParseException e) {
            throw new RejectedException("zone " + canonical + " rejected, nothing changed",
                    e.errors().stream().map(ZoneError::toString).toList());
        }
        synchronized (changeLock) {
            Map<String, ServedZone> next = new TreeMap<>(served);
            ServedZone zoneNow = new ServedZone(canonical, zone, text, "rest", clock.instant());
            boolean created = next.put(canonical, zoneNow) == null;
            journal.change(actor, SUBJECT_PREFIX + canonical, "put", text);
            install(next);
            journal.event(actor, SUBJECT_PREFIX + canonical, "swapped", "serial " + zone.serial());
            return new Change(zoneNow, created);
        }
    }

    /**
     * Applies record-level changes to the zone served as {@code name}: the new zone is built from the current one
     * and the changes, validated whole, journalled (as the patch as applied: absolute names, TTLs and the resulting
     * serial, so a replay gives the same zone) and swapped in like a replaced zone.
     *
     * @return the zone now served
     * @throws NotFoundException when no such zone is served
     * @throws RejectedException with every problem ({@code changes[2].data: ...}) when the patch does not apply;
     *                           nothing changed then
     */
    public ServedZone patch(String name, ZonePatch patch, String actor) {
        String canonical = canonicalName(name);
        synchronized (changeLock) {
            ServedZone current = served.get(canonical);
            if (current == null) {
                throw new NotFoundException("zone " + canonical + " is not served");
            }
            StoredZone store = catalog.zones().get(DnsName.of(canonical));
            if (store == null) {
                throw new NotFoundException("zone " + canonical + " is not served by the engine");
            }
            ZonePatcher.Delta delta;
            try {
                delta = ZonePatcher.delta(source(store), patch);
            } catch (ZonePatchException e) {
                throw new RejectedException("patch of zone " + canonical + " rejected, nothing changed", e.problems());
            }
            StoredZone next;
            try {
                next = catalog.apply(canonical, delta.deletions(), delta.additions(), version ->
                        journal.change(actor, SUBJECT_PREFIX + canonical, PATCH, ZonePatchJson.write(delta.applied())));
            } catch (ZoneParseException e) {
                throw new RejectedException("patch of zone " + canonical + " rejected, nothing changed",
                        e.errors().stream().map(delta::problem).distinct().toList());
            }
            ServedZone zoneNow = ServedZone.changed(canonical, next, "rest", clock.instant());
            Map<String, ServedZone> nextZones = new TreeMap<>(served);
            nextZones.put(canonical, zoneNow);
            served = Map.copyOf(nextZones); // the catalog serves it already: no second publication
            journal.event(actor, SUBJECT_PREFIX + canonical, "swapped", "serial " + next.serial());
            return zoneNow;
        }
    }

    /** The served store as a patch reads it: only the owners the patch names are looked up. */
    private static ZonePatcher.Source source(StoredZone store) {
        return new ZonePatcher.Source() {
            @Override
            public DnsName origin() {
                return store.origin();
            }

            @Override
            public long serial() {
                return store.serial();
            }

            @Override
            public List<ResourceRecord> records(DnsName owner) {
                return store.records(owner);
            }
        };
    }

    /**
     * Takes the zone out of service.
     *
     * @throws NotFoundException when it is not served
     */
    public ServedZone delete(String name, String actor) {
        String canonical = canonicalName(name);
        synchronized (changeLock) {
            Map<String, ServedZone> next = new TreeMap<>(served);
            ServedZone removed = next.remove(canonical);
            if (removed == null) {
                throw new NotFoundException("zone " + canonical + " is not served");
            }
            journal.change(actor, SUBJECT_PREFIX + canonical, "delete", "");
            install(next);
            return removed;
        }
    }

    /**
     * Serves a new copy of a secondary zone (a full transfer, or the copy kept on disk) in place of the current one:
     * validated whole by the caller, swapped in as a replaced zone is. Not journalled here: the caller records the
     * transfer as an event and keeps the copy on disk.
     */
    public ServedZone installTransferred(String name, Zone zone, String source) {
        synchronized (changeLock) {
            Map<String, ServedZone> next = new TreeMap<>(served);
            ServedZone zoneNow = new ServedZone(name, StoredZone.of(zone), null, source, clock.instant());
            next.put(name, zoneNow);
            install(next);
            return zoneNow;
        }
    }

    /**
     * Applies an IXFR's net change to the served secondary zone as the incremental change it is, through
     * {@link ZoneCatalog#apply}: the zone's new store is published with one write, or nothing changes.
     *
     * @throws ZoneParseException when the change does not apply to our copy (a deletion of a record we do not hold)
     *                            or breaks a zone rule; nothing changed then
     */
    public ServedZone applyTransferred(String name, List<ResourceRecord> deletions, List<ResourceRecord> additions,
                                       String source) throws ZoneParseException {
        synchronized (changeLock) {
            if (!served.containsKey(name)) {
                throw new ZoneParseException(List.of(new ZoneError(name, 0, "no copy to apply an IXFR to")));
            }
            StoredZone stored = catalog.apply(name, deletions, additions);
            Map<String, ServedZone> next = new TreeMap<>(served);
            ServedZone zoneNow = ServedZone.changed(name, stored, source, clock.instant());
            next.put(name, zoneNow);
            served = Map.copyOf(next); // the catalog already serves it: no second publication
            return zoneNow;
        }
    }

    /** Journals the removal of a secondary zone that was never served (no copy to take out of service). */
    public void forgetSecondary(String name, String actor) {
        synchronized (changeLock) {
            journal.change(actor, SUBJECT_PREFIX + name, "delete", "");
        }
    }

    /** Takes a secondary zone's copy out of service (the secondary was removed or replaced); not journalled here. */
    public void removeTransferred(String name) {
        synchronized (changeLock) {
            if (served.containsKey(name)) {
                Map<String, ServedZone> next = new TreeMap<>(served);
                next.remove(name);
                install(next);
            }
        }
    }

    /**
     * Makes the catalog serve exactly {@code next}: the zones that changed are swapped in (a REST change touches one
     * zone; the start publishes every zone as one generation, so thousands of zones load in O(zones)), each zone
     * no longer wanted removed.
     */
    private void install(Map<String, ServedZone> next) {
        List<StoredZone> changed = new ArrayList<>();
        for (ServedZone zone : next.values()) {
            ServedZone current = served.get(zone.name());
            if (current == null || current.store() != zone.store()) {
                changed.add(zone.store());
            }
        }
        if (changed.size() == 1) {
            catalog.put(changed.get(0));
        } else {
            catalog.putAll(changed);
        }
        for (String name : served.keySet()) {
            if (!next.containsKey(name)) {
                catalog.remove(name);
            }
        }
        served = Map.copyOf(next);
    }

    private static String canonicalName(String name) {
        String problem = ConfigLoader.domainNameProblem(name);
        if (problem != null) {
            throw new RejectedException("not a zone name, nothing changed", List.of(problem));
        }
        return ConfigLoader.canonicalOrigin(name);
    }

    /**
     * The outcome of a {@link #put}.
     *
     * @param zone the zone now served
     * @param created true when no zone of that name was served before
     */
    public record Change(ServedZone zone, boolean created) {
    }
}
