package dev.isthmus.dns.xfr;

import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences between the last versions of each zone, from which IXFR answers (RFC 1995 §4), bounded per zone
 * by a number of versions and a number of records: the oldest steps are forgotten first, and a client asking from a
 * serial no longer held gets the whole zone instead (RFC 1995 §4 allows it).
 *
 * <p>A step exists only between versions whose serials increase (RFC 1982): a change that keeps the serial or moves
 * it back cannot be told apart by a secondary, so it forgets the zone's history (every IXFR then gets the whole
 * zone, and a secondary already at that serial sees nothing new). Steps must chain: a step that does not start
 * from the serial the last one ended at also forgets what came before. Thread-safe; the control plane records, the
 * transfer threads read.
 */
public final class ZoneHistory {
    /** Default bound: versions kept per zone (BIND keeps the journal to a size; Knot to a size too). */
    public static final int DEFAULT_VERSIONS = 64;
    /** Default bound: records held per zone over all its steps (SOAs included). */
    public static final int DEFAULT_RECORDS = 100_000;

    private final int maxVersions;
    private final int maxRecords;
    private final Map<DnsName, ArrayDeque<ZoneDiff>> zones = new HashMap<>();
    private final Map<DnsName, Integer> held = new HashMap<>();

    public ZoneHistory() {
        this(DEFAULT_VERSIONS, DEFAULT_RECORDS);
    }

    public ZoneHistory(int maxVersions, int maxRecords) {
        if (maxVersions < 1 || maxRecords < 2) {
            throw new IllegalArgumentException("history bounds must allow at least one step");
        }
        this.maxVersions = maxVersions;
        this.maxRecords = maxRecords;
    }

    /**
     * Records the change from {@code before} to {@code after}. When the change came as records ({@code deletions},
     * {@code additions}: {@code ZoneCatalog.apply}) they are the step; when a whole zone was replaced the step is
     * computed by comparing the two versions' records (TTL included: a TTL change is a deletion and an addition).
     */
    public void record(DnsName origin, StoredZone before, StoredZone after, List<ResourceRecord> deletions,
                       List<ResourceRecord> additions) {
        if (before == null || after == null || !Serial.greater(after.serial(), before.serial())) {
            forget(origin);
            return;
        }
        ZoneDiff step = deletions != null && additions != null ? fromChanges(deletions, additions)
            : compare(before.recordList(), after.recordList());
        if (step == null) {
            forget(origin);
            return;
        }
        add(origin, step);
    }

    /** Appends a step, trimming the oldest ones to the bounds. */
    public synchronized void add(DnsName origin, ZoneDiff step) {
        ArrayDeque<ZoneDiff> steps = zones.computeIfAbsent(origin, o -> new ArrayDeque<>());
        int count = held.getOrDefault(origin, 0);
        if (!steps.isEmpty() && steps.peekLast().toSerial() != step.fromSerial()) {
            steps.clear(); // a gap: the versions before it can no longer be chained to this one
            count = 0;
        }
        if (step.size() > maxRecords) {
            zones.remove(origin);
            held.remove(origin);
            return;
        }
        steps.addLast(step);
        count += step.size();
        while (steps.size() > maxVersions || count > maxRecords) {
            count -= steps.removeFirst().size();
        }
        held.put(origin, count);
    }

    /** Forgets every step of the zone (removed, replaced without a greater serial, or no longer transferable). */
    public synchronized void forget(DnsName origin) {
        zones.remove(origin);
        held.remove(origin);
    }

    /**
     * @return the steps from version {@code serial} to the newest, oldest first, or null when that version is not
     *     in the history
     */
    public synchronized List<ZoneDiff> since(DnsName origin, long serial) {
        ArrayDeque<ZoneDiff> steps = zones.get(origin);
        if (steps == null) {
            return null;
        }
        List<ZoneDiff> out = new ArrayList<>();
        for (ZoneDiff d : steps) {
            if (!out.isEmpty() || (d.fromSerial() & 0xFFFF_FFFFL) == (serial & 0xFFFF_FFFFL)) {
                out.add(d);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** @return the number of steps held for the zone */
    public synchronized int versions(DnsName origin) {
        ArrayDeque<ZoneDiff> steps = zones.get(origin);
        return steps == null ? 0 : steps.size();
    }

    /** @return the oldest serial an IXFR can start from, or -1 when none */
    public synchronized long oldestSerial(DnsName origin) {
        ArrayDeque<ZoneDiff> steps = zones.get(origin);
        return steps == null || steps.isEmpty() ? -1 : steps.peekFirst().fromSerial();
    }

    public int maxVersions() {
        return maxVersions;
    }

    public int maxRecords() {
        return maxRecords;
    }

    /** A step from record-level changes: the SOAs are the one deleted and the one added; null when either is missing. */
    static ZoneDiff fromChanges(List<ResourceRecord> deletions, List<ResourceRecord> additions) {
        ResourceRecord oldSoa = null;
        ResourceRecord newSoa = null;
        List<ResourceRecord> deleted = new ArrayList<>();
        List<ResourceRecord> added = new ArrayList<>();
        for (ResourceRecord r : deletions) {
            if (r.type() == RecordType.SOA) {
                oldSoa = r;
            } else {
                deleted.add(r);
            }
        }
        for (ResourceRecord r : additions) {
            if (r.type() == RecordType.SOA) {
                newSoa = r;
            } else {
                added.add(r);
            }
        }
        return oldSoa == null || newSoa == null ? null : new ZoneDiff(oldSoa, newSoa, deleted, added);
    }

    /** A step from two whole versions: what the old has and the new lacks, and the other way round, TTLs compared. */
    static ZoneDiff compare(List<ResourceRecord> before, List<ResourceRecord> after) {
        Set<Versioned> old = new HashSet<>(before.size() * 2);
        for (ResourceRecord r : before) {
            old.add(new Versioned(r, r.ttl()));
        }
        Set<Versioned> now = new HashSet<>(after.size() * 2);
        for (ResourceRecord r : after) {
            now.add(new Versioned(r, r.ttl()));
        }
        ResourceRecord oldSoa = soa(before);
        ResourceRecord newSoa = soa(after);
        List<ResourceRecord> deleted = new ArrayList<>();
        for (ResourceRecord r : before) {
            if (r.type() != RecordType.SOA && !now.contains(new Versioned(r, r.ttl()))) {
                deleted.add(r);
            }
        }
        List<ResourceRecord> added = new ArrayList<>();
        for (ResourceRecord r : after) {
            if (r.type() != RecordType.SOA && !old.contains(new Versioned(r, r.ttl()))) {
                added.add(r);
            }
        }
        return new ZoneDiff(oldSoa, newSoa, deleted, added);
    }

    static ResourceRecord soa(List<ResourceRecord> records) {
        for (ResourceRecord r : records) {
            if (r.type() == RecordType.SOA) {
                return r;
            }
        }
        throw new IllegalStateException("a zone without SOA");
    }

    /** A record compared with its TTL, which {@link ResourceRecord#equals} ignores (RFC 2181 §5). */
    private record Versioned(ResourceRecord record, long ttl) {
    }
}
