package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.RRset;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import java.util.ArrayList;
import java.util.List;

/**
 * The authoritative answering algorithm of RFC 1034 §4.3.2 over a set of zones, with its updates: CNAME chains
 * inside the served zones, DNAME (RFC 6672 §3), wildcards and empty non-terminals (RFC 4592 §3.3), negative answers
 * (RFC 2308 §2), DNSSEC data with DO (RFC 4035 §3.1), DS at a cut (RFC 4035 §3.1.4.1) and minimal ANY (RFC 8482).
 *
 * <p>The engine's former precomputing implementation over the object model of {@code dev.isthmus.dns.zone}, kept in
 * the tests as the oracle that {@link StoreOracleTest} checks the engine's per-query answers against.
 */
final class Resolver {
    /** RFC 1034 §3.6.2 leaves chain length to the server; NSD and Knot stop well before this. */
    private static final int MAX_CHAIN = 12;

    private final ZoneSet zones;
    /** Minimal responses: no zone NS in positive answers' authority, additional addresses for NS targets only. */
    private final boolean minimal;

    Resolver(ZoneSet zones) {
        this(zones, false);
    }

    Resolver(ZoneSet zones, boolean minimal) {
        this.zones = zones;
        this.minimal = minimal;
    }

    Resolution resolve(DnsName qname, int qtype, boolean dnssecOk) {
        return resolve(qname, qtype, dnssecOk, false);
    }

    /**
     * @param classAny QCLASS * (RFC 1035 §3.2.5): answered from class IN data as NSD does — without AA, without the
     *     SOA of negative answers and without the zone's NS in authority (the data of other classes is unknown)
     */
    Resolution resolve(DnsName qname, int qtype, boolean dnssecOk, boolean classAny) {
        Resolution r = new Resolution();
        Zone zone = zones.find(qname);
        if (zone == null) {
            r.rcode = Rcode.REFUSED;
            return r;
        }
        r.authoritative = !classAny;
        new Walk(r, qtype, dnssecOk, classAny).lookup(zone, qname, true);
        return r;
    }

    /** One question's walk; holds the chain count. */
    private final class Walk {
        private final Resolution r;
        private final int qtype;
        private final boolean dnssecOk;
        private final boolean classAny;
        private int chain;

        Walk(Resolution r, int qtype, boolean dnssecOk, boolean classAny) {
            this.r = r;
            this.qtype = qtype;
            this.dnssecOk = dnssecOk;
            this.classAny = classAny;
        }

        private boolean dnssec(Zone z) {
            return dnssecOk && z.isSigned();
        }

        private List<ResourceRecord> sigs(Zone z, Node node, int type) {
            if (!dnssec(z) || node == null) {
                return List.of();
            }
            RRset s = node.signatures(type);
            return s == null ? List.of() : s.records();
        }

        private void add(int section, Zone z, DnsName owner, Node node, RRset set) {
            r.add(section, owner, set.type(), set.records(), sigs(z, node, set.type()));
        }

        void lookup(Zone zone, DnsName name, boolean first) {
            // RFC 4035 §3.1.4.1: DS belongs to the parent side of a cut; answer it from the parent when served.
            if (qtype == RecordType.DS && name.equals(zone.origin()) && !name.isRoot()) {
                Zone parent = zones.find(name.parent());
                if (parent != null) {
                    zone = parent;
                }
            }
            // RFC 1034 §4.3.2 step 3b: a cut on the way down means a referral (DS at the cut itself excepted).
            Node cut = zone.delegationAbove(name);
            if (cut != null && !(qtype == RecordType.DS && cut.name().equals(name))) {
                if (chain == 0) {
                    r.authoritative = false;
                }
                referral(zone, cut);
                return;
            }
            Node node = zone.node(name);
            if (node != null) {
                answerNode(zone, node, name, node);
                return;
            }
            Node dname = zone.dnameAbove(name);
            if (dname != null) {
                dname(zone, dname, name);
                return;
            }
            Node encloser = zone.closestEncloser(name);
            DnsName wildcardName = encloser.name().prepend(new byte[] {'*'});
            Node wildcard = wildcardName == null ? null : zone.node(wildcardName);
            if (wildcard != null) {
                // RFC 4035 §3.1.3.3 / RFC 5155 §7.2.6: prove no closer match exists.
                if (dnssec(zone)) {
                    if (zone.usesNsec3()) {
                        nsec3(zone, nextCloser(name, encloser.name()), false);
                    } else {
                        nsecCovering(zone, name);
                    }
                }
                answerNode(zone, wildcard, name, wildcard);
                return;
            }
            // RFC 2308 §2.1: name error, also when reached through a CNAME (the RCODE describes the last name).
            r.rcode = Rcode.NXDOMAIN;
            negativeSoa(zone);
            if (dnssec(zone)) {
                if (zone.usesNsec3()) {
                    // RFC 5155 §7.2.2: closest encloser proof and no wildcard at the closest encloser.
                    nsec3(zone, encloser.name(), true);
                    nsec3(zone, nextCloser(name, encloser.name()), false);
                    if (wildcardName != null) {
                        nsec3(zone, wildcardName, false);
                    }
                } else {
                    nsecCovering(zone, name);
                    nsecCovering(zone, wildcardName != null ? wildcardName : encloser.name());
                }
            }
        }

        private void answerNode(Zone zone, Node node, DnsName owner, Node original) {
            if (qtype == RecordType.ANY) {
                // RFC 8482 §4.1: answer one RRset of the name instead of all of them.
                for (RRset set : node.rrsets()) {
                    if (set.type() != RecordType.NSEC && set.type() != RecordType.NSEC3) {
                        add(Resolution.ANSWER, zone, owner, node, set);
                        additionalFor(zone, set);
                        authorityNs(zone);
                        return;
                    }
                }
                nodata(zone, original, owner);
                return;
            }
            if (qtype == RecordType.NSEC3) {
                // NSEC3 records live outside the name space (RFC 5155 §7.2): no name has them; no CNAME is followed.
                nodata(zone, original, owner);
                return;
            }
            if (qtype == RecordType.RRSIG && node.has(RecordType.RRSIG)) {
                List<ResourceRecord> all = new ArrayList<>();
                node.allSignatures().forEach(s -> all.addAll(s.records()));
                r.add(Resolution.ANSWER, owner, RecordType.RRSIG, all, List.of());
                authorityNs(zone);
                return;
            }
            RRset set = node.rrset(qtype);
            if (set != null) {
                add(Resolution.ANSWER, zone, owner, node, set);
                additionalFor(zone, set);
                authorityNs(zone);
                return;
            }
            RRset cname = node.rrset(RecordType.CNAME);
            if (cname != null) {
                if (r.contains(Resolution.ANSWER, owner, RecordType.CNAME) || chain >= MAX_CHAIN) {
                    return; // a loop or an over-long chain: stop, the client has what we know
                }
                add(Resolution.ANSWER, zone, owner, node, cname);
                chain++;
                DnsName target = RdataLayout.nameAt(cname.records().get(0).rdata(), 0);
                Zone next = zones.find(target);
                if (next != null) {
                    lookup(next, target, false);
                }
                return;
            }
            nodata(zone, original, owner);
        }

        /**
         * RFC 2308 §2.2: NODATA is NOERROR with the SOA in authority; with DO the NSEC of the name
         * (RFC 4035 §3.1.3.1) or the NSEC3 proofs (RFC 5155 §7.2.3, §7.2.5).
         */
        private void nodata(Zone zone, Node original, DnsName qname) {
            negativeSoa(zone);
            if (dnssec(zone) && zone.usesNsec3()) {
                if (original.name().equals(qname)) {
                    nsec3(zone, qname, true); // RFC 5155 §7.2.3
                } else {
                    // RFC 5155 §7.2.5: wildcard NODATA: closest encloser proof plus the wildcard's own NSEC3.
                    DnsName encloser = original.name().parent();
                    nsec3(zone, encloser, true);
                    nsec3(zone, nextCloser(qname, encloser), false);
                    nsec3(zone, original.name(), true);
                }
                return;
            }
            if (dnssec(zone)) {
                RRset nsec = original.rrset(RecordType.NSEC);
                if (nsec != null) {
                    add(Resolution.AUTHORITY, zone, original.name(), original, nsec);
                } else {
                    nsecCovering(zone, original.name());
                }
            }
        }

        /** RFC 2308 §3: the SOA's TTL in a negative answer is min(SOA TTL, SOA MINIMUM). */
        private void negativeSoa(Zone zone) {
            if (classAny) {
                return;
            }
            long ttl = zone.negativeTtl();
            List<ResourceRecord> soa = List.of(zone.soa().withTtl(ttl));
            // Its signatures are cached as long as the SOA, so they carry the same TTL (as NSD and Knot send).
            List<ResourceRecord> sigs = sigs(zone, zone.apex(), RecordType.SOA).stream()
                .map(s -> s.withTtl(ttl)).toList();
            r.add(Resolution.AUTHORITY, zone.origin(), RecordType.SOA, soa, sigs);
        }

        /** RFC 5155 §7.2.7: the NSEC3 matching the cut, or (opt-out) a closest encloser proof for it. */
        private void insecureDelegationNsec3(Zone zone, DnsName cut) {
            if (zone.nsec3Chain() == null) {
                return;
            }
            if (zone.nsec3Chain().matching(cut) != null) {
                nsec3(zone, cut, true);
                return;
            }
            for (DnsName a = cut.parent(); a.isSubdomainOf(zone.origin()); a = a.parent()) {
                if (zone.nsec3Chain().matching(a) != null) {
                    nsec3(zone, a, true);
                    nsec3(zone, nextCloser(cut, a), false);
                    return;
                }
                if (a.equals(zone.origin())) {
                    return;
                }
            }
        }

        /** Adds the NSEC3 RRset (and its RRSIGs) that matches ({@code match}) or covers {@code name}. */
        private void nsec3(Zone zone, DnsName name, boolean match) {
            if (zone.nsec3Chain() == null) {
                return;
            }
            Node n = match ? zone.nsec3Chain().matching(name) : zone.nsec3Chain().covering(name);
            if (n != null) {
                add(Resolution.AUTHORITY, zone, n.name(), n, n.rrset(RecordType.NSEC3));
            }
        }

        /** RFC 5155 §1.3: the name one label longer than the closest encloser on the way to {@code name}. */
        private static DnsName nextCloser(DnsName name, DnsName encloser) {
            return name.suffix(encloser.labelCount() + 1);
        }

        private void nsecCovering(Zone zone, DnsName name) {
            Node n = zone.nsecCovering(name);
            if (n != null) {
                add(Resolution.AUTHORITY, zone, n.name(), n, n.rrset(RecordType.NSEC));
            }
        }

        /** NSD adds the zone's NS RRset to the authority of positive answers (not for DNSKEY/DS, which are big). */
        private void authorityNs(Zone zone) {
            if (minimal || qtype == RecordType.DNSKEY || qtype == RecordType.DS || classAny) {
                return;
            }
            RRset ns = zone.apex().rrset(RecordType.NS);
            add(Resolution.AUTHORITY, zone, zone.origin(), zone.apex(), ns);
            additionalFor(zone, ns);
        }

        /** RFC 1034 §4.3.2 step 3b: NS of the cut in authority, glue addresses in additional; DS or NSEC with DO. */
        private void referral(Zone zone, Node cut) {
            RRset ns = cut.rrset(RecordType.NS);
            r.add(Resolution.AUTHORITY, cut.name(), RecordType.NS, ns.records(), List.of());
            if (dnssec(zone)) {
                RRset ds = cut.rrset(RecordType.DS);
                RRset nsec = cut.rrset(RecordType.NSEC);
                if (ds != null) {
                    add(Resolution.AUTHORITY, zone, cut.name(), cut, ds);
                } else if (zone.usesNsec3()) {
                    insecureDelegationNsec3(zone, cut.name()); // RFC 5155 §7.2.7
                } else if (nsec != null) {
                    add(Resolution.AUTHORITY, zone, cut.name(), cut, nsec);
                }
            }
            additionalFor(zone, ns);
        }

        /**
         * RFC 1034 §3.6.2 / RFC 1035 §3.3.9 / RFC 2782: addresses of NS, MX and SRV targets held in the same zone.
         * Glue (data below a cut) only for NS; targets may match a wildcard (RFC 4592 §4.5).
         */
        private void additionalFor(Zone zone, RRset set) {
            if (minimal && set.type() != RecordType.NS) {
                return;
            }
            int type = set.type();
            if (type != RecordType.NS && type != RecordType.MX && type != RecordType.SRV) {
                return;
            }
            int at = RdataLayout.targetOffset(type);
            for (ResourceRecord rec : set.records()) {
                DnsName target = RdataLayout.nameAt(rec.rdata(), at);
                if (!zone.contains(target) || target.isRoot()) {
                    continue;
                }
                if (type != RecordType.NS && zone.delegationAbove(target) != null) {
                    continue;
                }
                Node node = zone.node(target);
                if (node == null) {
                    if (zone.dnameAbove(target) != null) {
                        continue;
                    }
                    DnsName wc = zone.closestEncloser(target).name().prepend(new byte[] {'*'});
                    node = wc == null ? null : zone.node(wc);
                    if (node == null) {
                        continue;
                    }
                }
                for (int addrType : new int[] {RecordType.A, RecordType.AAAA}) {
                    RRset addr = node.rrset(addrType);
                    if (addr != null) {
                        add(Resolution.ADDITIONAL, zone, target, node, addr);
                    }
                }
            }
        }

        /** RFC 6672 §3.1: the DNAME, a CNAME synthesized from it with the same TTL, then the new name. */
        private void dname(Zone zone, Node dnameNode, DnsName name) {
            RRset dname = dnameNode.rrset(RecordType.DNAME);
            if (r.contains(Resolution.ANSWER, dnameNode.name(), RecordType.DNAME) || chain >= MAX_CHAIN) {
                return;
            }
            add(Resolution.ANSWER, zone, dnameNode.name(), dnameNode, dname);
            ResourceRecord rec = dname.records().get(0);
            DnsName target = name.replaceSuffix(dnameNode.name(), RdataLayout.nameAt(rec.rdata(), 0));
            if (target == null) {
                // RFC 6672 §2.2: the substitution would exceed 255 octets.
                r.rcode = Rcode.YXDOMAIN;
                return;
            }
            ResourceRecord synthesized =
                new ResourceRecord(name, RecordType.CNAME, rec.rrClass(), rec.ttl(), target.wire());
            r.add(Resolution.ANSWER, name, RecordType.CNAME, List.of(synthesized), List.of());
            if (qtype == RecordType.CNAME) {
                return; // RFC 1034 §4.3.2 step 3a: the synthesized CNAME is what was asked for
            }
            chain++;
            Zone next = zones.find(target);
            if (next != null) {
                lookup(next, target, false);
            }
        }
    }
}
