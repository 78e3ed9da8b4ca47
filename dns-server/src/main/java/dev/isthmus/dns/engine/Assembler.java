package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.Rcode;

/**
 * The authoritative answering algorithm of RFC 1034 §4.3.2 with its updates, run per query over the
 * {@link StoredZone}s of a {@link CatalogSnapshot}: CNAME chains inside the served zones, DNAME (RFC 6672 §3),
 * wildcards and empty non-terminals (RFC 4592 §3.3), negative answers (RFC 2308 §2), DNSSEC data with DO
 * (RFC 4035 §3.1), NSEC and NSEC3 proofs (RFC 4035 §3.1.3, RFC 5155 §7.2), DS at a cut (RFC 4035 §3.1.4.1) and
 * minimal ANY (RFC 8482).
 *
 * <p>The outcome is a list of placements — (section, owner, RRset in the store, its RRSIGs) — in fixed arrays;
 * names met on the way (the query name, CNAME and DNAME targets, owners) are copied into a scratch pool. An RRset
 * appears once, in the most important section it was put in, as NSD does. {@link ResponseWriter} then copies the
 * placed RRsets into the packet. One instance per thread; nothing is allocated per query.
 */
final class Assembler {
    static final int ANSWER = 1;
    static final int AUTHORITY = 2;
    static final int ADDITIONAL = 3;

    /** RFC 1034 §3.6.2 leaves chain length to the server; NSD and Knot stop well before this. */
    private static final int MAX_CHAIN = 12;
    /** Placements per answer; past it further RRsets are left out (a 64 KiB TCP answer holds fewer). */
    static final int MAX_PLACED = 512;
    private static final int POOL = 1 << 17;
    /** Room a name may take in the pool. */
    private static final int NAME_ROOM = 256;

    // What ResponseWriter does with a placement that does not fit (RFC 2181 §9, RFC 4035 §3.1.1, RFC 9471 §3).
    /** Answer and authority data: TC set, nothing after it written. */
    static final byte TRUNCATE = 0;
    /** Optional authority data (the zone's NS in a positive answer, as NSD has it): left out with the rest, no TC. */
    static final byte OMIT_REST = 1;
    /** Additional data: left out without TC; the placements after it are still tried (a smaller one may fit). */
    static final byte SKIP = 2;
    /** In-domain glue of a referral: left out, TC set (RFC 9471 §3), the placements after it still tried. */
    static final byte SKIP_TRUNCATE = 3;

    /** A placement whose data is a CNAME synthesized from a DNAME: its RDATA is a name in the pool. */
    static final int SYNTHESIZED = -1;

    // The placements, in the order they were made.
    int placed;
    final int[] section = new int[MAX_PLACED];
    final int[] owner = new int[MAX_PLACED];
    final int[] type = new int[MAX_PLACED];
    final StoredZone[] zoneOf = new StoredZone[MAX_PLACED];
    /** Offset of the first RRset in the zone's data; for {@link #SYNTHESIZED}, the target's pool offset. */
    final long[] setAt = new long[MAX_PLACED];
    /** Consecutive RRsets written as one (several only for QTYPE RRSIG); {@link #SYNTHESIZED} for DNAME's CNAME. */
    final int[] sets = new int[MAX_PLACED];
    /** The RRSIG set travelling with the RRset, or -1. */
    final long[] sigAt = new long[MAX_PLACED];
    /** TTL written instead of the records' own, or -1 (negative SOA, synthesized CNAME). */
    final long[] ttl = new long[MAX_PLACED];
    /** CLASS of a synthesized CNAME. */
    final int[] rrClass = new int[MAX_PLACED];
    /** What to do when it does not fit: {@link #TRUNCATE}, {@link #OMIT_REST}, {@link #SKIP}, {@link #SKIP_TRUNCATE}. */
    final byte[] overflow = new byte[MAX_PLACED];

    final byte[] pool = new byte[POOL];
    private int poolEnd;

    int rcode;
    boolean authoritative;
    /** The catalog slot this answer depends on: its zone's, or {@link CatalogSnapshot#CATALOG_SLOT}. */
    int slot;

    /**
     * Minimal responses (NSD's {@code minimal-responses: yes}, Knot's only behaviour): no zone NS in the authority of
     * positive answers, and additional addresses only for NS targets (what both servers add), not MX or SRV.
     */
    boolean minimalResponses;

    private CatalogSnapshot snapshot;
    private int qtype;
    private boolean dnssecOk;
    private boolean classAny;
    private int chain;

    private final Sha1 sha1 = new Sha1();
    private final byte[] hash = new byte[Sha1.LENGTH];
    private final int[] starts = new int[128];
    private final int[] otherStarts = new int[128];

    /** Clears the outcome: an answer with no RRsets, RCODE {@code rcode}, not authoritative. */
    void reset(int rcode) {
        placed = 0;
        poolEnd = 0;
        this.rcode = rcode;
        authoritative = false;
        slot = CatalogSnapshot.CATALOG_SLOT;
    }

    /**
     * Answers {@code (qname, qtype)}; the name is lower-cased wire at {@code qname[0, length)} with hash
     * {@link StoredZone#hash}.
     *
     * @param classAny QCLASS * (RFC 1035 §3.2.5): answered from class IN data as NSD does — without AA, without the
     *     SOA of negative answers and without the zone's NS in authority (the data of other classes is unknown)
     * @return false when no served zone holds the name (the caller answers REFUSED)
     */
    boolean resolve(CatalogSnapshot snapshot, byte[] qname, int length, int qtype, boolean dnssecOk,
                    boolean classAny) {
        return resolve(snapshot, qname, length, qtype, dnssecOk, classAny, UNKNOWN_ZONE);
    }

    /** {@link #resolve}'s "look the zone up": the caller has not. */
    static final int UNKNOWN_ZONE = -2;

    /**
     * @param zoneIndex the snapshot's {@link CatalogSnapshot#find} of the name when the caller has it, else
     *     {@link #UNKNOWN_ZONE}
     */
    boolean resolve(CatalogSnapshot snapshot, byte[] qname, int length, int qtype, boolean dnssecOk,
                    boolean classAny, int zoneIndex) {
        return resolve(snapshot, qname, length, qtype, dnssecOk, classAny, zoneIndex, UNKNOWN_NODE);
    }

    /** {@link #resolve}'s "look the name's node up": the caller has not. */
    static final int UNKNOWN_NODE = -2;

    /**
     * @param node the node of the name in zone {@code zoneIndex} ({@link StoredZone#node}: -1 when it does not exist)
     *     when the caller looked it up, else {@link #UNKNOWN_NODE}
     */
    boolean resolve(CatalogSnapshot snapshot, byte[] qname, int length, int qtype, boolean dnssecOk,
                    boolean classAny, int zoneIndex, int node) {
        reset(Rcode.NOERROR);
        this.snapshot = snapshot;
        this.qtype = qtype;
        this.dnssecOk = dnssecOk;
        this.classAny = classAny;
        this.chain = 0;
        System.arraycopy(qname, 0, pool, 0, length);
        poolEnd = length;
        int zone = zoneIndex == UNKNOWN_ZONE ? snapshot.find(pool, 0) : zoneIndex;
        if (zoneIndex == UNKNOWN_ZONE) {
            node = UNKNOWN_NODE;
        }
        if (zone < 0) {
            this.snapshot = null;
            return false;
        }
        slot = snapshot.slot(zone);
        if (snapshot.expired(zone)) {
            rcode = Rcode.SERVFAIL; // RFC 1035 §4.3.5: an expired secondary zone is no longer authoritative
            this.snapshot = null;
            return true;
        }
        authoritative = !classAny;
        lookup(zone, 0, node);
        this.snapshot = null;
        return true;
    }

    private void touch(int zone) {
        if (snapshot.slot(zone) != slot) {
            slot = CatalogSnapshot.CATALOG_SLOT; // a chain across zones: any change may alter it
        }
    }

    private boolean dnssec(StoredZone z) {
        return dnssecOk && z.isSigned();
    }

    // ---- the pool ----

    /** Copies a wire name from the zone's data into the pool; @return its offset, or -1 when the pool is full. */
    private int copyName(StoredZone z, long at) {
        if (poolEnd + NAME_ROOM > POOL) {
            return -1;
        }
        int start = poolEnd;
        var data = z.data();
        int p = start;
        while (true) {
            int len = data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) & 0xFF;
            pool[p++] = (byte) len;
            if (len == 0) {
                break;
            }
            java.lang.foreign.MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, at + 1, pool, p, len);
            p += len;
            at += 1 + len;
        }
        poolEnd = p;
        return start;
    }

    private int copyName(byte[] src, int offset) {
        int length = Names.length(src, offset);
        if (poolEnd + length > POOL) {
            return -1;
        }
        int start = poolEnd;
        System.arraycopy(src, offset, pool, start, length);
        poolEnd += length;
        return start;
    }

    /** @return the pool offset of the owner of the node record at {@code record} */
    private int ownerOf(StoredZone z, long record) {
        int length = z.ownerLength(record); // the node record starts with its owner's wire length: one copy
        if (poolEnd + length > POOL) {
            return -1;
        }
        int start = poolEnd;
        java.lang.foreign.MemorySegment.copy(z.data(), java.lang.foreign.ValueLayout.JAVA_BYTE, record + 1, pool, start,
            length);
        poolEnd += length;
        return start;
    }

    /** @return the pool offset of {@code *.name} (RFC 4592 §2.1.1), or -1 when longer than 255 octets */
    private int wildcardOf(int name) {
        int length = Names.length(pool, name);
        if (length + 2 > 255 || poolEnd + length + 2 > POOL) {
            return -1;
        }
        int start = poolEnd;
        pool[start] = 1;
        pool[start + 1] = '*';
        System.arraycopy(pool, name, pool, start + 2, length);
        poolEnd += length + 2;
        return start;
    }

    private int node(StoredZone z, int name) {
        int length = Names.length(pool, name);
        return z.node(pool, name, length, StoredZone.hash(pool, name, length));
    }

    // ---- placements ----

    private void add(int sect, int ownerName, StoredZone z, long record, long set) {
        long sig = -1;
        if (dnssec(z)) {
            sig = z.signatures(record, z.setType(set));
        }
        place(sect, ownerName, z.setType(set), z, set, 1, sig, -1, 0);
    }

    /**
     * Places an RRset unless already present; an RRset present in a later section moves up (RFC 2181 §9 order).
     */
    private void place(int sect, int ownerName, int rrType, StoredZone z, long set, int count, long sig, long ttlValue,
                       int cls) {
        if (ownerName < 0) {
            return; // pool full: leave the RRset out
        }
        for (int i = 0; i < placed; i++) {
            if (type[i] == rrType && zoneOf[i] == z && setAt[i] == set && sets[i] == count
                && Names.equalsIgnoreCase(pool, owner[i], pool, ownerName)) {
                if (sect < section[i]) {
                    long keptSig = sigAt[i];
                    long keptTtl = ttl[i];
                    remove(i);
                    append(sect, ownerName, rrType, z, set, count, keptSig, keptTtl, cls);
                }
                return;
            }
        }
        append(sect, ownerName, rrType, z, set, count, sig, ttlValue, cls);
    }

    private void remove(int i) {
        int tail = placed - i - 1;
        System.arraycopy(section, i + 1, section, i, tail);
        System.arraycopy(owner, i + 1, owner, i, tail);
        System.arraycopy(type, i + 1, type, i, tail);
        System.arraycopy(zoneOf, i + 1, zoneOf, i, tail);
        System.arraycopy(setAt, i + 1, setAt, i, tail);
        System.arraycopy(sets, i + 1, sets, i, tail);
        System.arraycopy(sigAt, i + 1, sigAt, i, tail);
        System.arraycopy(ttl, i + 1, ttl, i, tail);
        System.arraycopy(rrClass, i + 1, rrClass, i, tail);
        System.arraycopy(overflow, i + 1, overflow, i, tail);
        placed--;
        zoneOf[placed] = null;
    }

    private void append(int sect, int ownerName, int rrType, StoredZone z, long set, int count, long sig,
                        long ttlValue, int cls) {
        if (placed == MAX_PLACED) {
            return;
        }
        int i = placed++;
        section[i] = sect;
        owner[i] = ownerName;
        type[i] = rrType;
        zoneOf[i] = z;
        setAt[i] = set;
        sets[i] = count;
        sigAt[i] = sig;
        ttl[i] = ttlValue;
        rrClass[i] = cls;
        overflow[i] = sect == ADDITIONAL ? SKIP : TRUNCATE;
    }

    private boolean inAnswer(int ownerName, int rrType) {
        for (int i = 0; i < placed; i++) {
            if (section[i] == ANSWER && type[i] == rrType && Names.equalsIgnoreCase(pool, owner[i], pool, ownerName)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the zone references so a replaced zone's store is not kept alive by an idle engine. */
    void release() {
        for (int i = 0; i < placed; i++) {
            zoneOf[i] = null;
        }
    }

    // ---- the walk (RFC 1034 §4.3.2) ----

    private void lookup(int zoneIndex, int name) {
        lookup(zoneIndex, name, UNKNOWN_NODE);
    }

    /** @param known the name's node in zone {@code zoneIndex} when already looked up, else {@link #UNKNOWN_NODE} */
    private void lookup(int zoneIndex, int name, int known) {
        StoredZone zone = snapshot.zone(zoneIndex);
        // RFC 4035 §3.1.4.1: DS belongs to the parent side of a cut; answer it from the parent when served.
        if (qtype == RecordType.DS && pool[name] != 0 && Names.equalsIgnoreCase(pool, name, zone.originWire(), 0)) {
            int parent = snapshot.find(pool, name + 1 + (pool[name] & 0xFF));
            if (parent >= 0) {
                touch(parent);
                zoneIndex = parent;
                zone = snapshot.zone(parent);
                known = UNKNOWN_NODE;
            }
        }
        int labels = Names.labelCount(pool, name);
        // RFC 1034 §4.3.2 step 3b: a cut on the way down means a referral (DS at the cut itself excepted).
        int node = known == UNKNOWN_NODE ? node(zone, name) : known;
        int cut = delegationAbove(zone, name, labels, node);
        if (cut >= 0 && !(qtype == RecordType.DS && cutIsName(zone, cut, name))) {
            if (chain == 0) {
                authoritative = false;
            }
            referral(zone, cut);
            return;
        }
        if (node >= 0) {
            answerNode(zone, node, name, false);
            return;
        }
        int dname = dnameAbove(zone, name, labels);
        if (dname >= 0) {
            dname(zone, dname, name);
            return;
        }
        int encloserLabels = closestEncloserLabels(zone, name, labels);
        int encloser = Names.suffix(pool, name, labels, encloserLabels);
        int wildcardName = wildcardOf(encloser);
        int wildcard = wildcardName < 0 ? -1 : node(zone, wildcardName);
        if (wildcard >= 0) {
            // RFC 4035 §3.1.3.3 / RFC 5155 §7.2.6: prove no closer match exists.
            if (dnssec(zone)) {
                if (zone.usesNsec3()) {
                    nsec3(zone, Names.suffix(pool, name, labels, encloserLabels + 1), false);
                } else {
                    nsecCovering(zone, name);
                }
            }
            answerNode(zone, wildcard, name, true);
            return;
        }
        // RFC 2308 §2.1: name error, also when reached through a CNAME (the RCODE describes the last name).
        rcode = Rcode.NXDOMAIN;
        negativeSoa(zone);
        if (dnssec(zone)) {
            if (zone.usesNsec3()) {
                // RFC 5155 §7.2.2: closest encloser proof and no wildcard at the closest encloser. In an opt-out
                // zone the closest encloser may have no NSEC3 (an empty non-terminal above insecure delegations
                // only): the proof is then of the closest provable encloser (§7.2.1), its wildcard covered.
                int provable = closestEncloserProof(zone, name, labels, encloserLabels);
                if (provable >= 0) {
                    int wildcardOfProvable = provable == encloserLabels ? wildcardName
                        : wildcardOf(Names.suffix(pool, name, labels, provable));
                    if (wildcardOfProvable >= 0) {
                        nsec3(zone, wildcardOfProvable, false);
                    }
                }
            } else {
                nsecCovering(zone, name);
                nsecCovering(zone, wildcardName >= 0 ? wildcardName : encloser);
            }
        }
    }

    private boolean cutIsName(StoredZone zone, int cut, int name) {
        long record = zone.nodeRecord(cut);
        int length = Names.length(pool, name);
        return zone.ownerLength(record) == length; // the cut is an ancestor-or-self of the name: same length = self
    }

    /** RFC 1034 §4.3.2 step 3b: the highest non-apex node with NS from the apex down to the name, or -1. */
    private int delegationAbove(StoredZone zone, int name, int labels, int self) {
        for (int l = zone.originLabels() + 1; l <= labels; l++) {
            int n = l == labels ? self : node(zone, Names.suffix(pool, name, labels, l));
            if (n >= 0 && zone.has(n, StoredZone.HAS_NS)) {
                return n;
            }
        }
        return -1;
    }

    /** RFC 6672 §2.2: the highest node strictly above the name (below or at the apex) that owns a DNAME, or -1. */
    private int dnameAbove(StoredZone zone, int name, int labels) {
        for (int l = zone.originLabels(); l < labels; l++) {
            int n = node(zone, Names.suffix(pool, name, labels, l));
            if (n >= 0 && zone.has(n, StoredZone.HAS_DNAME)) {
                return n;
            }
        }
        return -1;
    }

    /** @return the label count of the longest existing ancestor-or-self of the name (RFC 4592 §3.3.1) */
    private int closestEncloserLabels(StoredZone zone, int name, int labels) {
        for (int l = labels; l > zone.originLabels(); l--) {
            if (node(zone, Names.suffix(pool, name, labels, l)) >= 0) {
                return l;
            }
        }
        return zone.originLabels();
    }

    private void answerNode(StoredZone zone, int node, int name, boolean viaWildcard) {
        long record = zone.nodeRecord(node);
        if (qtype == RecordType.ANY) {
            // RFC 8482 §4.1: answer one RRset of the name instead of all of them.
            long set = zone.firstSet(record);
            for (int i = 0, n = zone.setCount(record); i < n; i++, set = zone.nextSet(set)) {
                int t = zone.setType(set);
                if (t != RecordType.NSEC && t != RecordType.NSEC3) {
                    add(ANSWER, name, zone, record, set);
                    additionalFor(zone, set);
                    authorityNs(zone);
                    return;
                }
            }
            nodata(zone, node, name, viaWildcard);
            return;
        }
        if (qtype == RecordType.NSEC3) {
            // NSEC3 records live outside the name space (RFC 5155 §7.2): no name has them; no CNAME is followed.
            nodata(zone, node, name, viaWildcard);
            return;
        }
        if (qtype == RecordType.RRSIG && zone.has(node, StoredZone.HAS_SIGNATURES)) {
            place(ANSWER, name, RecordType.RRSIG, zone, zone.firstSignatureSet(record),
                zone.signatureSetCount(record), -1, -1, 0);
            authorityNs(zone);
            return;
        }
        long set = zone.rrset(record, qtype);
        if (set >= 0) {
            add(ANSWER, name, zone, record, set);
            additionalFor(zone, set);
            authorityNs(zone);
            return;
        }
        long cname = zone.rrset(record, RecordType.CNAME);
        if (cname >= 0) {
            if (inAnswer(name, RecordType.CNAME) || chain >= MAX_CHAIN) {
                return; // a loop or an over-long chain: stop, the client has what we know
            }
            add(ANSWER, name, zone, record, cname);
            chain++;
            int target = copyName(zone, cname + StoredZone.SET_HEADER + 8);
            if (target < 0) {
                return;
            }
            int next = snapshot.find(pool, target);
            if (next >= 0) {
                touch(next);
                lookup(next, target);
            }
            return;
        }
        nodata(zone, node, name, viaWildcard);
    }

    /**
     * RFC 2308 §2.2: NODATA is NOERROR with the SOA in authority; with DO the NSEC of the name
     * (RFC 4035 §3.1.3.1) or the NSEC3 proofs (RFC 5155 §7.2.3, §7.2.5).
     */
    private void nodata(StoredZone zone, int node, int name, boolean viaWildcard) {
        negativeSoa(zone);
        long record = zone.nodeRecord(node);
        if (dnssec(zone) && zone.usesNsec3()) {
            if (!viaWildcard) {
                // RFC 5155 §7.2.3 (and §7.2.4 for DS): the NSEC3 matching the name; where opt-out left it without
                // one (DS at an insecure delegation, an empty non-terminal above insecure delegations only), the
                // closest provable encloser proof, whose covering NSEC3 has the Opt-Out flag (§7.2.4).
                matchOrClosestEncloserProof(zone, name);
            } else {
                // RFC 5155 §7.2.5: wildcard NODATA: closest encloser proof plus the wildcard's own NSEC3.
                int wildcard = ownerOf(zone, record);
                if (wildcard < 0) {
                    return;
                }
                int labels = Names.labelCount(pool, name);
                closestEncloserProof(zone, name, labels, Names.labelCount(pool, wildcard) - 1);
                nsec3(zone, wildcard, true);
            }
            return;
        }
        if (dnssec(zone)) {
            long nsec = zone.rrset(record, RecordType.NSEC);
            int ownerName = ownerOf(zone, record);
            if (nsec >= 0) {
                add(AUTHORITY, ownerName, zone, record, nsec);
            } else if (ownerName >= 0) {
                nsecCovering(zone, ownerName);
            }
        }
    }

    /** RFC 2308 §3: the SOA's TTL in a negative answer is min(SOA TTL, SOA MINIMUM). */
    private void negativeSoa(StoredZone zone) {
        if (classAny) {
            return;
        }
        long record = zone.nodeRecord(zone.apex());
        long soa = zone.rrset(record, RecordType.SOA);
        // Its signatures are cached as long as the SOA, so they carry the same TTL (as NSD and Knot send).
        long sig = dnssec(zone) ? zone.signatures(record, RecordType.SOA) : -1;
        place(AUTHORITY, copyName(zone.originWire(), 0), RecordType.SOA, zone, soa, 1, sig, zone.negativeTtl(), 0);
    }

    /**
     * The NSEC3 matching the name, or when there is none (opt-out, RFC 5155 §6: an insecure delegation or an empty
     * non-terminal above insecure delegations only) the closest provable encloser proof of the name (§7.2.4, §7.2.7).
     */
    private void matchOrClosestEncloserProof(StoredZone zone, int name) {
        if (!nsec3(zone, name, true)) {
            int labels = Names.labelCount(pool, name);
            closestEncloserProof(zone, name, labels, labels - 1);
        }
    }

    /**
     * RFC 5155 §7.2.1: the closest provable encloser proof — the NSEC3 matching the nearest ancestor of the name, at
     * most {@code fromLabels} labels long, that has one, and the NSEC3 covering the next closer name below it.
     *
     * @return the label count of the closest provable encloser, or -1 when no ancestor has an NSEC3
     */
    private int closestEncloserProof(StoredZone zone, int name, int labels, int fromLabels) {
        for (int l = fromLabels; l >= zone.originLabels(); l--) {
            if (nsec3(zone, Names.suffix(pool, name, labels, l), true)) {
                if (l < labels) {
                    nsec3(zone, Names.suffix(pool, name, labels, l + 1), false);
                }
                return l;
            }
        }
        return -1;
    }

    /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
    private int nsec3Index(StoredZone zone, int name, boolean match) {
        int length = Names.length(pool, name);
        byte[] salt = zone.nsec3Salt();
        // The owner name in canonical form: lower-cased in place is wrong (the pool keeps the written case).
        final byte[] lower = StoredZone.LOWER;
        final byte[] one = hash;
        sha1.reset();
        for (int i = 0; i < length; i++) {
            one[0] = lower[pool[name + i] & 0xFF];
            sha1.update(one, 0, 1);
        }
        sha1.update(salt, 0, salt.length);
        sha1.digest(hash, 0);
        for (int i = 0, n = zone.nsec3Iterations(); i < n; i++) {
            sha1.update(hash, 0, Sha1.LENGTH);
            sha1.update(salt, 0, salt.length);
            sha1.digest(hash, 0);
        }
        return zone.nsec3(hash, match);
    }

    /**
     * Adds the NSEC3 RRset (and its RRSIGs) that matches ({@code match}) or covers the name.
     *
     * @return whether there was one
     */
    private boolean nsec3(StoredZone zone, int name, boolean match) {
        if (!zone.hasNsec3Chain()) {
            return false;
        }
        int i = nsec3Index(zone, name, match);
        if (i < 0) {
            return false;
        }
        long record = zone.nsec3Record(i);
        long set = zone.rrset(record, RecordType.NSEC3);
        if (set >= 0) {
            add(AUTHORITY, ownerOf(zone, record), zone, record, set);
        }
        return true;
    }

    /**
     * RFC 4035 §3.1.3.2: the NSEC whose owner is the greatest name not above the name in canonical order — it
     * proves the name does not exist.
     */
    private void nsecCovering(StoredZone zone, int name) {
        int count = Names.labelStarts(pool, name, starts);
        // The store keeps canonical order in pages of node ids: find the page, then the name within it.
        final int[][] order = zone.order();
        int lo = 0;
        int hi = order.length - 1;
        int page = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareOwner(zone, order[mid][0], count);
            if (c == Integer.MIN_VALUE) {
                return;
            }
            if (c <= 0) {
                page = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (page < 0) {
            return;
        }
        int[] ids = order[page];
        lo = 1;
        hi = ids.length - 1;
        int floor = 0; // ids[0] is not above the name: the page was chosen so
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareOwner(zone, ids[mid], count);
            if (c == Integer.MIN_VALUE) {
                return;
            }
            if (c <= 0) {
                floor = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int p = page, i = floor; p >= 0; p--) {
            for (int[] in = order[p]; i >= 0; i--) {
                int n = in[i];
                if (zone.has(n, StoredZone.HAS_NSEC)) {
                    long record = zone.nodeRecord(n);
                    add(AUTHORITY, ownerOf(zone, record), zone, record, zone.rrset(record, RecordType.NSEC));
                    return;
                }
            }
            i = p > 0 ? order[p - 1].length - 1 : -1;
        }
    }

    /**
     * @return the canonical order (RFC 4034 §6.1) of node {@code node}'s owner against the name whose label starts
     *     are in {@link #starts} ({@code count} of them), or {@link Integer#MIN_VALUE} when the pool is full
     */
    private int compareOwner(StoredZone zone, int node, int count) {
        int other = copyName(zone, zone.nodeRecord(node) + 1);
        if (other < 0) {
            return Integer.MIN_VALUE;
        }
        int otherCount = Names.labelStarts(pool, other, otherStarts);
        int c = Names.compareCanonical(pool, otherStarts, otherCount, pool, starts, count);
        poolEnd = other; // only compared
        return c;
    }

    /** NSD adds the zone's NS RRset to the authority of positive answers (not for DNSKEY/DS, which are big). */
    private void authorityNs(StoredZone zone) {
        if (minimalResponses || qtype == RecordType.DNSKEY || qtype == RecordType.DS || classAny) {
            return;
        }
        long record = zone.nodeRecord(zone.apex());
        long ns = zone.rrset(record, RecordType.NS);
        add(AUTHORITY, copyName(zone.originWire(), 0), zone, record, ns);
        if (placed > 0 && setAt[placed - 1] == ns && zoneOf[placed - 1] == zone && section[placed - 1] == AUTHORITY) {
            overflow[placed - 1] = OMIT_REST; // not needed to use the answer: dropped before TC is set
        }
        // The targets' nodes were found when the zone was stored: copy each name, place its addresses.
        long[] targets = zone.apexNsTargets();
        long r = ns + StoredZone.SET_HEADER;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                int target = copyName(zone, r + 8);
                if (target < 0) {
                    return;
                }
                addresses(zone, target, targets[i]);
            }
            r += 8 + zone.u16(r + 6);
        }
    }

    /** RFC 1034 §4.3.2 step 3b: NS of the cut in authority, glue addresses in additional; DS or NSEC with DO. */
    private void referral(StoredZone zone, int cut) {
        long record = zone.nodeRecord(cut);
        int cutName = ownerOf(zone, record);
        long ns = zone.rrset(record, RecordType.NS);
        place(AUTHORITY, cutName, RecordType.NS, zone, ns, 1, -1, -1, 0);
        if (dnssec(zone)) {
            long ds = zone.rrset(record, RecordType.DS);
            long nsec = zone.rrset(record, RecordType.NSEC);
            if (ds >= 0) {
                add(AUTHORITY, cutName, zone, record, ds);
            } else if (zone.usesNsec3()) {
                if (cutName >= 0) {
                    matchOrClosestEncloserProof(zone, cutName); // RFC 5155 §7.2.7
                }
            } else if (nsec >= 0) {
                add(AUTHORITY, cutName, zone, record, nsec);
            }
        }
        int first = placed;
        additionalFor(zone, ns);
        if (cutName < 0) {
            return;
        }
        // RFC 9471 §3: "all available glue records for in-domain name servers" MUST be included, or TC set. Glue of
        // name servers at or below the cut (none can be found elsewhere) must fit; sibling glue may be left out.
        int cutLabels = Names.labelCount(pool, cutName);
        for (int i = first; i < placed; i++) {
            int labels = Names.labelCount(pool, owner[i]);
            if (section[i] == ADDITIONAL && labels >= cutLabels
                && Names.equalsIgnoreCase(pool, Names.suffix(pool, owner[i], labels, cutLabels), pool, cutName)) {
                overflow[i] = SKIP_TRUNCATE;
            }
        }
    }

    /**
     * RFC 1034 §3.6.2 / RFC 1035 §3.3.9 / RFC 2782: addresses of NS, MX and SRV targets held in the same zone.
     * Glue (data below a cut) only for NS; targets may match a wildcard (RFC 4592 §4.5).
     */
    private void additionalFor(StoredZone zone, long set) {
        if (minimalResponses && zone.setType(set) != RecordType.NS) {
            return; // NSD with minimal-responses adds no MX/SRV target addresses (Knot does): the convention of both
        }
        additionalFor(zone, set, null);
    }

    /**
     * For {@link StoredZone}: per NS record of the apex, the node record whose A and AAAA go in the additional
     * section of every positive answer of the zone (-1: none), computed once per zone version by the same rules.
     */
    /**
     * The assembler {@link #apexNsTargets} borrows, one per thread that builds stores: a new one per zone (its
     * buffers are tens of KB) made loading 10 000 small zones spend most of its time allocating them.
     */
    private static final ThreadLocal<Assembler> TARGETS = ThreadLocal.withInitial(Assembler::new);

    static long[] apexNsTargets(StoredZone zone) {
        if (zone.apex() < 0) {
            return new long[0];
        }
        long ns = zone.rrset(zone.nodeRecord(zone.apex()), RecordType.NS);
        if (ns < 0) {
            return new long[0];
        }
        long[] targets = new long[zone.recordCount(ns)];
        java.util.Arrays.fill(targets, -1);
        Assembler a = TARGETS.get();
        a.reset(Rcode.NOERROR);
        a.additionalFor(zone, ns, targets);
        return targets;
    }

    /**
     * For {@link ApexAnswers}: the placements the walk makes, with minimal responses and without DO, for the
     * question {@code (apex, qtype)} — or, when {@code qtype} is 0, those of a negative answer's authority (the SOA,
     * RFC 2308 §2). Both depend on the zone alone: at the apex no cut or DNAME lies above, an apex RRset's additional
     * data is looked up in its own zone, and no CNAME can share the apex with the SOA (RFC 2181 §10.1). The apex name
     * is the question, pool offset 0, as {@link #resolve} has it. The caller releases the assembler after use.
     */
    static Assembler apexTemplate(StoredZone zone, int qtype) {
        Assembler a = TARGETS.get();
        a.reset(Rcode.NOERROR);
        a.snapshot = null;
        a.qtype = qtype;
        a.dnssecOk = false;
        a.classAny = false;
        a.chain = 0;
        a.minimalResponses = true;
        a.authoritative = true;
        byte[] origin = zone.originWire();
        System.arraycopy(origin, 0, a.pool, 0, origin.length);
        a.poolEnd = origin.length;
        if (qtype == 0) {
            a.negativeSoa(zone);
        } else {
            a.answerNode(zone, zone.apex(), 0, false);
        }
        return a;
    }

    /** @param collect when not null, the node record of each record's target is stored there instead of added */
    private void additionalFor(StoredZone zone, long set, long[] collect) {
        int t = zone.setType(set);
        int at;
        if (t == RecordType.NS) {
            at = 0;
        } else if (t == RecordType.MX) {
            at = 2;
        } else if (t == RecordType.SRV) {
            at = 6;
        } else {
            return;
        }
        long record = set + StoredZone.SET_HEADER;
        for (int r = 0, n = zone.recordCount(set); r < n; r++) {
            int rdlength = zone.u16(record + 6);
            int mark = poolEnd;
            int target = copyName(zone, record + 8 + at);
            record += 8 + rdlength;
            if (target < 0) {
                return;
            }
            if (pool[target] == 0 || !Names.isSubdomain(pool, target, zone.originWire())) {
                poolEnd = mark;
                continue;
            }
            int labels = Names.labelCount(pool, target);
            int node = node(zone, target);
            if (t != RecordType.NS && delegationAbove(zone, target, labels, node) >= 0) {
                poolEnd = mark;
                continue;
            }
            if (node < 0) {
                if (dnameAbove(zone, target, labels) >= 0) {
                    poolEnd = mark;
                    continue;
                }
                int encloser = Names.suffix(pool, target, labels, closestEncloserLabels(zone, target, labels));
                int wc = wildcardOf(encloser);
                node = wc < 0 ? -1 : node(zone, wc);
                if (node < 0) {
                    poolEnd = mark;
                    continue;
                }
            }
            long nodeRecord = zone.nodeRecord(node);
            if (collect != null) {
                collect[r] = nodeRecord;
                poolEnd = mark;
                continue;
            }
            addresses(zone, target, nodeRecord);
        }
    }

    private void addresses(StoredZone zone, int target, long nodeRecord) {
        long a = zone.rrset(nodeRecord, RecordType.A);
        if (a >= 0) {
            add(ADDITIONAL, target, zone, nodeRecord, a);
        }
        long aaaa = zone.rrset(nodeRecord, RecordType.AAAA);
        if (aaaa >= 0) {
            add(ADDITIONAL, target, zone, nodeRecord, aaaa);
        }
    }

    /** RFC 6672 §3.1: the DNAME, a CNAME synthesized from it with the same TTL, then the new name. */
    private void dname(StoredZone zone, int dnameNode, int name) {
        long record = zone.nodeRecord(dnameNode);
        long dname = zone.rrset(record, RecordType.DNAME);
        int dnameOwner = ownerOf(zone, record);
        if (dnameOwner < 0 || inAnswer(dnameOwner, RecordType.DNAME) || chain >= MAX_CHAIN) {
            return;
        }
        add(ANSWER, dnameOwner, zone, record, dname);
        long first = dname + StoredZone.SET_HEADER;
        int rrClassValue = zone.u16(first);
        long ttlValue = zone.data().get(StoredZone.U32, first + 2) & 0xFFFFFFFFL;
        int dnameTarget = copyName(zone, first + 8);
        if (dnameTarget < 0) {
            return;
        }
        int keep = Names.length(pool, name) - Names.length(pool, dnameOwner);
        int targetLength = Names.length(pool, dnameTarget);
        if (keep + targetLength > 255) {
            // RFC 6672 §2.2: the substitution would exceed 255 octets.
            rcode = Rcode.YXDOMAIN;
            return;
        }
        if (poolEnd + keep + targetLength > POOL) {
            return;
        }
        int target = poolEnd;
        System.arraycopy(pool, name, pool, target, keep);
        System.arraycopy(pool, dnameTarget, pool, target + keep, targetLength);
        poolEnd += keep + targetLength;
        append(ANSWER, name, RecordType.CNAME, zone, target, SYNTHESIZED, -1, ttlValue, rrClassValue);
        if (qtype == RecordType.CNAME) {
            return; // RFC 1034 §4.3.2 step 3a: the synthesized CNAME is what was asked for
        }
        chain++;
        int next = snapshot.find(pool, target);
        if (next >= 0) {
            touch(next);
            lookup(next, target);
        }
    }
}
