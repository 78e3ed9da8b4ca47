package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;

/**
 * One name of a zone with its RRsets (by type, in load order) and the RRSIGs that cover them (by type covered).
 * A node with no RRsets is an empty non-terminal (RFC 4592 §2.2.2): it exists, has no data.
 */
public final class Node {
    private final DnsName name;
    private final Map<Integer, RRset> rrsets;
    private final Map<Integer, RRset> signatures;

    /** Takes the maps, which the caller no longer changes (a zone holds a node per name: keep it small). */
    Node(DnsName name, Map<Integer, RRset> rrsets, Map<Integer, RRset> signatures) {
        this.name = name;
        this.rrsets = compact(rrsets);
        this.signatures = compact(signatures);
    }

    /** The map read-only, in its order: shared or single-entry forms for the usual zero or one entry. */
    private static Map<Integer, RRset> compact(Map<Integer, RRset> map) {
        if (map.isEmpty()) {
            return Map.of();
        }
        if (map.size() == 1) {
            Map.Entry<Integer, RRset> only = map.entrySet().iterator().next();
            return Map.of(only.getKey(), only.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    public DnsName name() {
        return name;
    }

    /** @return the RRset of {@code type}, or null. Type RRSIG is looked up across every covered type. */
    public RRset rrset(int type) {
        return rrsets.get(type);
    }

    /** @return the RRSIGs covering {@code type}, or null */
    public RRset signatures(int type) {
        return signatures.get(type);
    }

    /** @return every RRset, load order, RRSIGs excluded */
    public Collection<RRset> rrsets() {
        return rrsets.values();
    }

    /** @return every signature RRset, one per covered type */
    public Collection<RRset> allSignatures() {
        return signatures.values();
    }

    /** @return true when the node holds NSEC3 and nothing else but its signatures (an NSEC3 chain owner) */
    public boolean isOnlyNsec3() {
        if (rrsets.size() != 1 || !rrsets.containsKey(RecordType.NSEC3)) {
            return false;
        }
        for (int t : signatures.keySet()) {
            if (t != RecordType.NSEC3) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmptyNonTerminal() {
        return rrsets.isEmpty() && signatures.isEmpty();
    }

    public boolean has(int type) {
        return type == RecordType.RRSIG ? !signatures.isEmpty() : rrsets.containsKey(type);
    }
}
