package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An immutable, validated zone: its origin (apex), every name it holds (empty non-terminals included) in DNSSEC
 * canonical order (RFC 4034 §6.1), and the lookups the answering algorithm of RFC 1034 §4.3.2 needs.
 * Built only by {@link ZoneFileParser}, which checks the rules listed in {@link ZoneValidator}.
 */
public final class Zone {
    private final DnsName origin;
    private final NavigableMap<DnsName, Node> nodes;
    /** The same nodes by name for O(1) lookups; {@link #nodes} keeps canonical order for NSEC. */
    private final Map<DnsName, Node> byName;
    private final ResourceRecord soa;
    private final boolean signed;
    private final boolean nsec3;
    private final Nsec3Chain nsec3Chain;
    /** The names that hold only NSEC3 (and its RRSIG), outside {@link #nodes}; kept so a zone can be rebuilt. */
    private final Collection<Node> nsec3Nodes;

    Zone(DnsName origin, Map<DnsName, Node> nodes) {
        this.origin = origin;
        // RFC 5155 §7.2: names that hold only NSEC3 (and its RRSIG) are not part of the zone's name space.
        TreeMap<DnsName, Node> names = new TreeMap<>();
        TreeMap<DnsName, Node> nsec3Owners = new TreeMap<>();
        nodes.forEach((name, node) -> (node.isOnlyNsec3() ? nsec3Owners : names).put(name, node));
        this.nodes = Collections.unmodifiableNavigableMap(names);
        this.byName = new java.util.HashMap<>(names);
        Node apex = byName.get(origin);
        this.soa = apex.rrset(RecordType.SOA).records().get(0);
        this.signed = apex.has(RecordType.DNSKEY) || !apex.allSignatures().isEmpty();
        this.nsec3 = apex.has(RecordType.NSEC3PARAM);
        this.nsec3Chain = Nsec3Chain.of(origin, apex, nsec3Owners);
        this.nsec3Nodes = Collections.unmodifiableCollection(nsec3Owners.values());
    }

    /**
     * Builds a zone from records, validated as a zone file is (the rules of {@link ZoneValidator}); duplicates
     * collapse.
     *
     * @param sources where each record came from, as {@code file:line} for errors ({@code records.size()} entries)
     * @throws ZoneParseException with the errors, located by {@code sources}
     */
    public static Zone of(DnsName origin, java.util.List<ResourceRecord> records, java.util.List<ZoneError> sources)
            throws ZoneParseException {
        java.util.List<String> files = new java.util.ArrayList<>(records.size());
        java.util.List<Integer> lines = new java.util.ArrayList<>(records.size());
        for (ZoneError s : sources) {
            files.add(s.file());
            lines.add(s.line());
        }
        ZoneValidator v = new ZoneValidator(origin, records, files, lines);
        Zone zone = v.build();
        if (zone == null) {
            throw new ZoneParseException(v.errors());
        }
        return zone;
    }

    /** @return the NSEC3 chain of an NSEC3-signed zone (SHA-1), or null */
    public Nsec3Chain nsec3Chain() {
        return nsec3Chain;
    }

    /** @return the nodes that hold only NSEC3 records and their signatures (RFC 5155 §7.2), in canonical order */
    public Collection<Node> nsec3Nodes() {
        return nsec3Nodes;
    }

    public DnsName origin() {
        return origin;
    }

    public ResourceRecord soa() {
        return soa;
    }

    /** @return the SOA serial (RFC 1035 §3.3.13) */
    public long serial() {
        byte[] r = soa.rdata();
        int p = dev.isthmus.dns.wire.RdataLayout.nameEnd(r, dev.isthmus.dns.wire.RdataLayout.nameEnd(r, 0));
        return ((r[p] & 0xFFL) << 24) | ((r[p + 1] & 0xFFL) << 16) | ((r[p + 2] & 0xFFL) << 8) | (r[p + 3] & 0xFFL);
    }

    /** RFC 2308 §5: negative answers are cached for min(SOA TTL, SOA MINIMUM). */
    public long negativeTtl() {
        byte[] r = soa.rdata();
        int p = r.length - 4;
        long minimum = ((r[p] & 0xFFL) << 24) | ((r[p + 1] & 0xFFL) << 16) | ((r[p + 2] & 0xFFL) << 8) | (r[p + 3] & 0xFFL);
        return Math.min(soa.ttl(), minimum);
    }

    /** @return true when the zone carries DNSSEC data (DNSKEY or RRSIG at the apex) */
    public boolean isSigned() {
        return signed;
    }

    /** @return true when the zone is signed with NSEC3 (NSEC3PARAM at the apex) */
    public boolean usesNsec3() {
        return nsec3;
    }

    public Node apex() {
        return byName.get(origin);
    }

    /** @return the node of {@code name} (an empty non-terminal included), or null when the name does not exist */
    public Node node(DnsName name) {
        return byName.get(name);
    }

    /** @return every node in canonical order */
    public Collection<Node> nodes() {
        return nodes.values();
    }

    /** @return true when {@code name} is the origin or below it */
    public boolean contains(DnsName name) {
        return name.isSubdomainOf(origin);
    }

    /**
     * RFC 1034 §4.3.2 step 3b: the highest zone cut (a non-apex node with NS) on the way from the apex down to
     * {@code name}, {@code name} itself included; null when the name is authoritative data of this zone.
     */
    public Node delegationAbove(DnsName name) {
        int apexLabels = origin.labelCount();
        int labels = name.labelCount();
        for (int l = apexLabels + 1; l <= labels; l++) {
            Node n = byName.get(name.suffix(l));
            if (n != null && n.has(RecordType.NS)) {
                return n;
            }
        }
        return null;
    }

    /**
     * RFC 6672 §2.2: the highest node strictly above {@code name} (below or at the apex) that owns a DNAME, or null.
     */
    public Node dnameAbove(DnsName name) {
        int apexLabels = origin.labelCount();
        int labels = name.labelCount();
        for (int l = apexLabels; l < labels; l++) {
            Node n = byName.get(name.suffix(l));
            if (n != null && n.has(RecordType.DNAME)) {
                return n;
            }
        }
        return null;
    }

    /** @return the longest existing ancestor-or-self of {@code name} inside this zone (RFC 4592 §3.3.1) */
    public Node closestEncloser(DnsName name) {
        int apexLabels = origin.labelCount();
        for (int l = name.labelCount(); l >= apexLabels; l--) {
            Node n = byName.get(name.suffix(l));
            if (n != null) {
                return n;
            }
        }
        throw new IllegalArgumentException(name + " is not in zone " + origin);
    }

    /**
     * RFC 4035 §3.1.3.2: the NSEC whose owner is the greatest name not above {@code name} in canonical order —
     * it proves {@code name} does not exist (or, for an existing name, lists its types). Null when unsigned.
     */
    public Node nsecCovering(DnsName name) {
        Map.Entry<DnsName, Node> e = nodes.floorEntry(name);
        while (e != null) {
            if (e.getValue().has(RecordType.NSEC)) {
                return e.getValue();
            }
            e = nodes.lowerEntry(e.getKey());
        }
        return null;
    }
}
