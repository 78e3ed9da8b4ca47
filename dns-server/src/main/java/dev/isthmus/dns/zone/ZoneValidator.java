package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed records into a {@link Zone}, enforcing what makes a zone servable:
 * <ul>
 *   <li>every owner inside the zone (RFC 1034 §4.2.1);</li>
 *   <li>exactly one SOA, at the apex (RFC 1035 §5.2), and NS at the apex (RFC 1034 §4.2.1);</li>
 *   <li>a CNAME alone at its name except for DNSSEC records, and at most one (RFC 2181 §10.1, RFC 4035 §2.5);</li>
 *   <li>at most one DNAME per name and no names below it (RFC 6672 §2.4, §2.3).</li>
 * </ul>
 * Duplicate records collapse into one (RFC 2181 §5). Errors name the line of the offending record.
 */
final class ZoneValidator {
    private final DnsName origin;
    private final List<ResourceRecord> records;
    private final List<String> files;
    private final List<Integer> lines;
    private final List<ZoneError> errors = new ArrayList<>();

    ZoneValidator(DnsName origin, List<ResourceRecord> records, List<String> files, List<Integer> lines) {
        this.origin = origin;
        this.records = records;
        this.files = files;
        this.lines = lines;
    }

    List<ZoneError> errors() {
        return errors;
    }

    private void error(int index, String message) {
        errors.add(new ZoneError(files.get(index), lines.get(index), message));
    }

    /** @return the zone, or null with {@link #errors()} filled */
    Zone build() {
        // owner -> type (RRSIG: covered type) -> records, keeping first-seen order.
        Map<DnsName, Map<Integer, LinkedHashSet<ResourceRecord>>> data = LinkedHashMap.newLinkedHashMap(records.size());
        Map<DnsName, Map<Integer, LinkedHashSet<ResourceRecord>>> sigs = new LinkedHashMap<>();
        boolean hasDname = false;
        int soaCount = 0;
        int lastIndex = -1;
        for (int i = 0; i < records.size(); i++) {
            ResourceRecord r = records.get(i);
            lastIndex = i;
            if (!r.owner().isSubdomainOf(origin)) {
                error(i, "name " + r.owner() + " is outside the zone " + origin);
                continue;
            }
            if (r.type() == RecordType.SOA) {
                if (!r.owner().equals(origin)) {
                    error(i, "SOA at " + r.owner() + " is not at the zone apex " + origin);
                    continue;
                }
                if (++soaCount > 1) {
                    error(i, "more than one SOA record at the apex");
                    continue;
                }
            }
            hasDname |= r.type() == RecordType.DNAME;
            var target = r.type() == RecordType.RRSIG ? sigs : data;
            int key = r.coveredType();
            var byType = target.computeIfAbsent(r.owner(), k -> new LinkedHashMap<>());
            var set = byType.computeIfAbsent(key, k -> new LinkedHashSet<>());
            if (r.type() == RecordType.CNAME && !set.isEmpty() && !set.contains(r)) {
                error(i, "more than one CNAME at " + r.owner() + " (RFC 2181 §10.1)");
                continue;
            }
            if (r.type() == RecordType.DNAME && !set.isEmpty() && !set.contains(r)) {
                error(i, "more than one DNAME at " + r.owner() + " (RFC 6672 §2.4)");
                continue;
            }
            if (r.type() != RecordType.RRSIG && r.type() != RecordType.NSEC
                    && byType.containsKey(RecordType.CNAME)) {
                boolean hasOther = false;
                for (int t : byType.keySet()) {
                    hasOther |= t != RecordType.CNAME && t != RecordType.NSEC;
                }
                if (r.type() != RecordType.CNAME || hasOther) {
                    error(i, "CNAME and other data at " + r.owner() + " (RFC 2181 §10.1)");
                    byType.remove(key);
                    continue;
                }
            }
            set.add(r);
        }
        if (records.isEmpty()) {
            errors.add(new ZoneError("zone " + origin, 1, "zone is empty: no SOA record"));
            return null;
        }
        int anchor = lastIndex >= 0 ? lastIndex : 0;
        var apexData = data.get(origin);
        if (soaCount == 0) {
            error(anchor, "zone " + origin + " has no SOA record at its apex");
        }
        if (apexData == null || !apexData.containsKey(RecordType.NS)) {
            error(anchor, "zone " + origin + " has no NS records at its apex");
        }
        // RFC 6672 §2.3: a DNAME owner has no descendants in the zone.
        if (hasDname) {
            Map<DnsName, Integer> firstLineOf = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                firstLineOf.putIfAbsent(records.get(i).owner(), i);
            }
            for (DnsName owner : data.keySet()) {
                for (DnsName a = owner; !a.equals(origin); ) {
                    a = a.parent();
                    var d = data.get(a);
                    if (d != null && d.containsKey(RecordType.DNAME)) {
                        error(firstLineOf.get(owner), "name " + owner + " is below the DNAME at " + a
                                + " (RFC 6672 §2.3)");
                        break;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        Map<DnsName, Node> nodes = HashMap.newHashMap(data.size() + sigs.size() + 16);
        LinkedHashSet<DnsName> owners = new LinkedHashSet<>(data.keySet());
        owners.addAll(sigs.keySet());
        for (DnsName owner : owners) {
            Map<Integer, RRset> rrsets = new LinkedHashMap<>();
            data.getOrDefault(owner, Map.of()).forEach((t, set) -> rrsets.put(t, new RRset(owner, t, List.copyOf(set))));
            Map<Integer, RRset> signatures = new LinkedHashMap<>();
            sigs.getOrDefault(owner, Map.of())
                .forEach((t, set) -> signatures.put(t, new RRset(owner, RecordType.RRSIG, List.copyOf(set))));
            nodes.put(owner, new Node(owner, rrsets, signatures));
            // RFC 4592 §2.2.2: ancestors without data are empty non-terminals; they exist. A name already in the
            // map had its own ancestors walked when it was put there: stop at it.
            for (DnsName a = owner; !a.equals(origin); ) {
                a = a.parent();
                if (nodes.containsKey(a)) {
                    break;
                }
                nodes.put(a, new Node(a, Map.of(), Map.of()));
            }
        }
        return new Zone(origin, nodes);
    }
}
