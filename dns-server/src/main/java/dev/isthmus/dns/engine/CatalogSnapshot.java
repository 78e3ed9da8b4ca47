package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.Zone;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One immutable generation of the served zones: the zones themselves, every answer precomputed into an
 * {@link AnswerTable}, and a {@link Resolver} for the few answers that depend on the query name. Published by
 * {@link ZoneCatalog} with one volatile write; readers use it without locks.
 */
public final class CatalogSnapshot {
    /** A label no zone uses, standing for "any name below this encloser" while precomputing. */
    private static final byte[] PLACEHOLDER_LABEL = {0, 'i', 's', 't', 'h', 'm', 'u', 's', 0};

    static final CatalogSnapshot EMPTY = new CatalogSnapshot(Map.of());

    private final ZoneSet zones;
    private final AnswerTable table;
    private final Resolver resolver;

    CatalogSnapshot(Map<DnsName, Zone> zones) {
        this.zones = new ZoneSet(zones);
        this.resolver = new Resolver(this.zones);
        this.table = precompute();
    }

    /** @return the zones of this generation by origin */
    public Map<DnsName, Zone> zones() {
        return Collections.unmodifiableMap(zones.asMap());
    }

    /** @return the number of precomputed answers */
    public int precomputedAnswers() {
        return table.size();
    }

    AnswerTable table() {
        return table;
    }

    Resolver resolver() {
        return resolver;
    }

    private AnswerTable precompute() {
        Set<Integer> catalogTypes = new TreeSet<>();
        for (Zone z : zones.zones()) {
            for (Node n : z.nodes()) {
                n.rrsets().forEach(s -> catalogTypes.add(s.type()));
            }
        }
        // A type held by no zone: its answer is the one every absent type gets.
        int absentType = 65280;
        while (catalogTypes.contains(absentType)) {
            absentType++;
        }
        AnswerTable.Builder b = new AnswerTable.Builder();
        for (Zone zone : zones.zones()) {
            for (Node node : zone.nodes()) {
                if (zones.find(node.name()) != zone) {
                    continue; // a more specific served zone answers for this name
                }
                byte[] key = node.name().canonical();
                Set<Integer> types = exactTypes(node, catalogTypes);
                // Unsigned zones answer the same with and without DO: resolve once, enter both keys.
                boolean[] variants = zone.isSigned() ? new boolean[] {false, true} : new boolean[] {false};
                for (boolean dnssecOk : variants) {
                    ResponseTemplate other = exact(node.name(), absentType, dnssecOk);
                    putBoth(b, key, AnswerTable.EXACT, AnswerTable.OTHER_TYPE, dnssecOk, zone, other);
                    for (int t : types) {
                        ResponseTemplate answer = exact(node.name(), t, dnssecOk);
                        if (!answer.sameAs(other)) { // types answered like any absent one need no entry
                            putBoth(b, key, AnswerTable.EXACT, t, dnssecOk, zone, answer);
                        }
                    }
                    below(b, zone, node, key, dnssecOk, catalogTypes, absentType);
                }
            }
        }
        return b.build();
    }

    /** Puts an entry; for an unsigned zone also under DO=1, whose answer is the same (RFC 3225 §3). */
    private static void putBoth(AnswerTable.Builder b, byte[] key, int kind, int qtype, boolean dnssecOk, Zone zone,
                                ResponseTemplate t) {
        b.put(key, AnswerTable.meta(kind, qtype, dnssecOk), t);
        if (!zone.isSigned()) {
            b.put(key, AnswerTable.meta(kind, qtype, true), t);
        }
    }

    private ResponseTemplate exact(DnsName name, int qtype, boolean dnssecOk) {
        Resolution r = resolver.resolve(name, qtype, dnssecOk);
        return TemplateCompiler.compile(r, name, name.labelCount());
    }

    /** Entries for names that do not exist below {@code node}: NXDOMAIN, a wildcard's answer, or a referral. */
    private void below(AnswerTable.Builder b, Zone zone, Node node, byte[] key, boolean dnssecOk,
                       Set<Integer> catalogTypes, int absentType) {
        DnsName placeholder = node.name().prepend(PLACEHOLDER_LABEL);
        boolean underCut = zone.delegationAbove(node.name()) != null;
        // DNAME synthesis and NSEC denial name the query name in their data: resolved per query.
        if (placeholder == null || (!underCut && (node.has(RecordType.DNAME) || (dnssecOk && zone.isSigned())))) {
            putBoth(b, key, AnswerTable.BELOW, AnswerTable.OTHER_TYPE, dnssecOk, zone,
                ResponseTemplate.QNAME_DEPENDENT);
            return;
        }
        int shared = node.name().labelCount();
        ResponseTemplate other = TemplateCompiler.compile(resolver.resolve(placeholder, absentType, dnssecOk),
            placeholder, shared);
        putBoth(b, key, AnswerTable.BELOW, AnswerTable.OTHER_TYPE, dnssecOk, zone, other);
        for (int t : belowTypes(zone, node, catalogTypes)) {
            Resolution r = resolver.resolve(placeholder, t, dnssecOk);
            ResponseTemplate answer = TemplateCompiler.compile(r, placeholder, shared);
            if (!answer.sameAs(other)) {
                putBoth(b, key, AnswerTable.BELOW, t, dnssecOk, zone, answer);
            }
        }
    }

    /**
     * The QTYPEs whose answer at {@code node} may differ from the answer to an absent type (which the OTHER entry
     * holds): the node's own types, ANY, RRSIG where signed, DS at a cut or an apex (RFC 4035 §3.1.4.1), and — at a
     * CNAME, where the chain's end decides — every type held anywhere.
     */
    private static Set<Integer> exactTypes(Node node, Set<Integer> catalogTypes) {
        Set<Integer> types = new TreeSet<>();
        node.rrsets().forEach(s -> types.add(s.type()));
        types.add(RecordType.ANY);
        if (node.has(RecordType.RRSIG)) {
            types.add(RecordType.RRSIG);
        }
        if (node.has(RecordType.NS) || node.has(RecordType.SOA)) {
            types.add(RecordType.DS);
        }
        if (node.has(RecordType.CNAME)) {
            types.addAll(catalogTypes);
            types.add(RecordType.NSEC3);
        }
        return types;
    }

    private static Set<Integer> belowTypes(Zone zone, Node node, Set<Integer> catalogTypes) {
        DnsName wc = node.name().prepend(new byte[] {'*'});
        Node wildcard = wc == null ? null : zone.node(wc);
        if (wildcard == null || zone.delegationAbove(node.name()) != null) {
            return Set.of();
        }
        return exactTypes(wildcard, catalogTypes);
    }

}
