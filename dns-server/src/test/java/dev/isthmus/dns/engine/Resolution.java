package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.ResourceRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of answering one question: RCODE, the AA bit and the RRsets of each section, before it is turned into
 * wire bytes. An RRset appears once, in the most important section it was put in (answer &lt; authority &lt;
 * additional), as NSD does.
 */
final class Resolution {
    static final int ANSWER = 1;
    static final int AUTHORITY = 2;
    static final int ADDITIONAL = 3;

    /**
     * One RRset placed in a section with the RRSIGs that travel with it (RFC 4035 §3.1.1; empty without DO);
     * {@code owner} is the name written (a wildcard's expansion, RFC 4592 §3.3).
     */
    record Placed(int section, DnsName owner, int type, List<ResourceRecord> records, List<ResourceRecord> sigs) {
    }

    int rcode;
    boolean authoritative;
    final List<Placed> placed = new ArrayList<>();

    /** Adds an RRset unless already present; an RRset present in a later section moves up (RFC 2181 §9 order). */
    void add(int section, DnsName owner, int type, List<ResourceRecord> records, List<ResourceRecord> sigs) {
        for (int i = 0; i < placed.size(); i++) {
            Placed p = placed.get(i);
            if (p.type == type && p.owner.equals(owner) && p.records.equals(records)) {
                if (section < p.section) {
                    placed.remove(i);
                    placed.add(new Placed(section, owner, type, records, p.sigs));
                }
                return;
            }
        }
        placed.add(new Placed(section, owner, type, records, sigs));
    }

    boolean contains(int section, DnsName owner, int type) {
        for (Placed p : placed) {
            if (p.section == section && p.type == type && p.owner.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    /** @return the RRsets in wire order: by section, then in the order they were added */
    List<Placed> ordered() {
        List<Placed> out = new ArrayList<>(placed.size());
        for (int s = ANSWER; s <= ADDITIONAL; s++) {
            for (Placed p : placed) {
                if (p.section == s) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
