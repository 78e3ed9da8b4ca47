package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Nsec3Chain;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.ZoneError;
import dev.isthmus.dns.zone.ZoneParseException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the next version of a {@link StoredZone} from record-level changes by path copying: the node records of
 * the changed names are appended to the zone's shared segment, and of the columns, the name table and the
 * canonical order only the top-level arrays and the pages that hold a changed name are copied. The cost is that of
 * the change (plus the top-level arrays: one reference per 4 096 ids, 2 048 table slots and 128 to 256 names), not
 * that of the zone, with three amortised exceptions: the name table is rebuilt when three quarters of its slots are
 * used, the last page of the id columns (which holds only the ids in use) doubles when a new id does not fit, and
 * the segment is copied when its spare room (an eighth of it) is used up or, compacted, when more than half of it
 * is records no longer served.
 *
 * <p>The change is validated where it acts, against the zone (the rules of the zone validator): owners inside the
 * zone, SOA only at the apex and exactly one, NS at the apex, CNAME and other data (RFC 2181 §10.1), one DNAME and
 * nothing below it (RFC 6672 §2.3, §2.4), by looking at the changed names, their ancestors and the next name in
 * canonical order (a name's descendants follow it). Names left without records are removed, and so are the empty
 * non-terminals above them that no longer have anything below (RFC 4592 §2.2.2); new names bring theirs.
 *
 * <p>NSEC3 owners (names holding only NSEC3 and its RRSIG, RFC 5155 §7.2) are kept in the chain, not the name
 * table: their records are appended like any node's, and the chain's two sorted arrays (hash, record offset) are
 * copied with the change — 28 octets an owner, the one part of a change that grows with the zone (a signed zone's
 * chain has about one owner per name). Not taken here (the caller rebuilds the zone whole): NSEC3PARAM changes
 * (every hash changes), an owner that joins or leaves the name space (NSEC3 beside other data), names below an NSEC3
 * owner, NSEC3 records in a zone without a chain.
 */
final class StoreChange {
    private final StoredZone base;
    private final DnsName origin;
    private StoredZone.Heap heap;
    private MemorySegment data;
    private long[][] nodeAt;
    private int[][] flags;
    private int ids;
    private int[][] table;
    private int tableUsed;
    private final ArrayList<int[]> order;
    private int names;
    private long garbage;
    /** The pages this change made or copied: written in place. */
    private final Set<Object> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<ZoneError> errors = new ArrayList<>();
    /** Names whose wildcard child link ({@link StoredZone#wildcardChild}) this change looks at again. */
    private final Set<DnsName> linkParents = new java.util.HashSet<>();

    /** What one owner becomes. */
    private static final class Owner {
        final DnsName name;
        final int line;
        byte[] wire;
        final Map<Integer, LinkedHashSet<ResourceRecord>> sets = new LinkedHashMap<>();
        final Map<Integer, LinkedHashSet<ResourceRecord>> signatures = new LinkedHashMap<>();
        final List<ResourceRecord> deletions = new ArrayList<>();
        final List<Integer> deletionLines = new ArrayList<>();
        final List<ResourceRecord> additions = new ArrayList<>();
        /** The owner is (or was) one of the NSEC3 chain's (RFC 5155 §7.2), not a name of the zone. */
        boolean inChain;
        /** For a chain owner: its index in the base's chain (-1: new) and its hash (the first label decoded). */
        int link = -1;
        byte[] hash;
        /** The line of the owner's last addition (the zone validator names the record that breaks a rule). */
        int lastLine;
        long at;

        Owner(DnsName name, int line) {
            this.name = name;
            this.line = line;
        }

        boolean empty() {
            return sets.isEmpty() && signatures.isEmpty();
        }

        int flags() {
            return (sets.containsKey(RecordType.NS) ? StoredZone.HAS_NS : 0)
                | (sets.containsKey(RecordType.DNAME) ? StoredZone.HAS_DNAME : 0)
                | (sets.containsKey(RecordType.NSEC) ? StoredZone.HAS_NSEC : 0)
                | (sets.containsKey(RecordType.CNAME) ? StoredZone.HAS_CNAME : 0)
                | (signatures.isEmpty() ? 0 : StoredZone.HAS_SIGNATURES);
        }

        long size() {
            long size = 1 + wire.length + 4;
            for (var s : List.of(sets, signatures)) {
                for (var set : s.values()) {
                    size += StoredZone.SET_HEADER;
                    for (ResourceRecord r : set) {
                        size += 8 + r.rdata().length;
                    }
                }
            }
            return size;
        }
    }

    StoreChange(StoredZone base) {
        this.base = base;
        this.origin = base.origin();
        this.heap = base.heap();
        this.data = heap.segment;
        this.nodeAt = base.nodeAtPages().clone();
        this.flags = base.flagPages().clone();
        this.ids = base.ids();
        this.table = base.tablePages().clone();
        this.tableUsed = base.tableUsed();
        this.order = new ArrayList<>(Arrays.asList(base.order()));
        this.names = base.names();
        this.garbage = base.garbage();
    }

    /**
     * @return the new version, or null when the change is one the caller must make by rebuilding the zone (see the
     *     class comment)
     * @throws ZoneParseException naming each problem as {@code change:N} (N the 1-based position in
     *     {@code deletions}, then {@code additions}); nothing is published then
     */
    StoredZone apply(List<ResourceRecord> deletions, List<ResourceRecord> additions) throws ZoneParseException {
        Map<DnsName, Owner> owners = new LinkedHashMap<>();
        boolean nsec3 = base.usesNsec3() || base.hasNsec3Chain();
        for (int i = 0; i < deletions.size() + additions.size(); i++) {
            boolean deletion = i < deletions.size();
            ResourceRecord r = deletion ? deletions.get(i) : additions.get(i - deletions.size());
            if (r.type() == RecordType.NSEC3PARAM) {
                return null; // new chain parameters: every hash changes
            }
            if (!r.owner().isSubdomainOf(origin)) {
                errors.add(new ZoneError("change", i + 1, "name " + r.owner() + " is outside the zone " + origin));
                continue;
            }
            if (r.type() == RecordType.SOA && !r.owner().equals(origin)) {
                errors.add(new ZoneError("change", i + 1, "SOA at " + r.owner() + " is not at the zone apex "
                    + origin));
                continue;
            }
            int line = i + 1;
            Owner o = owners.computeIfAbsent(r.owner(), n -> new Owner(n, line));
            if (deletion) {
                o.deletions.add(r);
                o.deletionLines.add(line);
            } else {
                o.additions.add(r);
                o.lastLine = line;
            }
        }
        long delta = 0;
        for (Owner o : owners.values()) {
            int id = find(o.name);
            int link = id < 0 ? chainIndex(o.name) : -1;
            if (nsec3 && id < 0 && o.name.labelCount() > origin.labelCount() + 1
                    && chainIndex(o.name.suffix(origin.labelCount() + 1)) >= 0) {
                return null; // below an NSEC3 owner: it would become a name of the zone; the validator decides
            }
            o.wire = o.name.wire();
            if (id >= 0 || link >= 0) {
                long record = id >= 0 ? nodeRecord(id) : base.chain().at()[link];
                o.wire = ownerWire(record);
                List<ResourceRecord> old = new ArrayList<>();
                base.addRecords(record, old);
                for (ResourceRecord r : old) {
                    (r.type() == RecordType.RRSIG ? o.signatures : o.sets)
                        .computeIfAbsent(r.coveredType(), t -> new LinkedHashSet<>()).add(r);
                }
            }
            for (int k = 0; k < o.deletions.size(); k++) {
                ResourceRecord r = o.deletions.get(k);
                var sets = r.type() == RecordType.RRSIG ? o.signatures : o.sets;
                var set = sets.get(r.coveredType());
                if (set == null || !set.remove(r)) {
                    errors.add(new ZoneError("change", o.deletionLines.get(k), "no such record to delete: " + r));
                    continue;
                }
                delta--;
                if (set.isEmpty()) {
                    sets.remove(r.coveredType());
                }
            }
            if (o.empty() && !o.additions.isEmpty()) {
                o.wire = o.additions.get(0).owner().wire(); // the name as the first record gives it, as a load does
            }
            for (ResourceRecord r : o.additions) {
                var sets = r.type() == RecordType.RRSIG ? o.signatures : o.sets;
                if (sets.computeIfAbsent(r.coveredType(), t -> new LinkedHashSet<>()).add(r)) {
                    delta++;
                }
            }
            check(o);
            boolean hasNsec3 = o.sets.containsKey(RecordType.NSEC3) || o.signatures.containsKey(RecordType.NSEC3);
            boolean onlyNsec3 = o.sets.size() == 1 && o.sets.containsKey(RecordType.NSEC3)
                && o.signatures.keySet().stream().allMatch(t -> t == RecordType.NSEC3);
            if (id < 0 && (link >= 0 || hasNsec3)) {
                // RFC 5155 §7.2: a name holding only NSEC3 (and its RRSIG) is an owner of the chain, not a name.
                o.link = link;
                byte[] hashed = Nsec3Chain.base32HexDecode(o.name.firstLabel());
                boolean valid = base.hasNsec3Chain() && o.name.parent().equals(origin) && hashed != null
                    && hashed.length == Sha1.LENGTH;
                if (!(o.empty() && link >= 0) && !(onlyNsec3 && valid)) {
                    return null; // an owner that joins or leaves the name space, or a chain this store does not keep
                }
                if (o.empty() && hasNamesBelow(o.name)) {
                    return null; // names below a leaving owner: it becomes an empty non-terminal of the zone
                }
                o.hash = hashed;
                o.inChain = true;
            } else if (hasNsec3) {
                return null; // NSEC3 at a name of the zone: the validator decides what it is
            }
        }
        if (!errors.isEmpty()) {
            throw new ZoneParseException(errors);
        }
        for (Owner o : owners.values()) {
            if (!o.inChain && o.name.labelCount() > origin.labelCount() + 1) {
                Owner child = owners.get(o.name.suffix(origin.labelCount() + 1));
                if (child != null && child.inChain) {
                    return null; // a name below an owner this change puts in the chain
                }
            }
        }
        // Content first, parents before children (so new names find the ancestors just added), then removals.
        TreeMap<DnsName, Owner> sorted = new TreeMap<>();
        for (Owner o : owners.values()) {
            sorted.put(o.name, o);
        }
        List<Owner> written = new ArrayList<>();
        Set<DnsName> planned = new java.util.HashSet<>(owners.keySet());
        List<Owner> chained = new ArrayList<>();
        for (Owner o : sorted.values()) {
            if (o.inChain) {
                if (!o.empty()) {
                    chained.add(o);
                }
                continue;
            }
            if (o.empty() && find(o.name) < 0) {
                continue;
            }
            written.add(o);
            if (find(o.name) < 0) {
                for (DnsName a = o.name.parent(); !a.equals(origin) && find(a) < 0 && planned.add(a); a = a.parent()) {
                    Owner ent = new Owner(a, o.line); // RFC 4592 §2.2.2: an empty non-terminal
                    ent.wire = a.wire();
                    written.add(ent);
                }
            }
        }
        written.sort((x, y) -> x.name.compareTo(y.name));
        long total = 0;
        for (Owner o : written) {
            total += o.size();
        }
        for (Owner o : chained) {
            total += o.size();
        }
        long at = take(total);
        for (Owner o : chained) {
            o.at = at;
            at = write(o, at);
        }
        for (Owner o : written) {
            o.at = at;
            at = write(o, at);
            int id = find(o.name);
            if (id >= 0) {
                garbage += recordBytes(nodeRecord(id));
                setNode(id, o.at, o.flags());
            } else {
                id = newId();
                setNode(id, o.at, o.flags());
                insertName(o.name, id);
                insertOrdered(o.name, id);
                names++;
            }
        }
        for (Owner o : sorted.descendingMap().values()) {
            if (o.empty() && !o.inChain) {
                prune(o.name);
            }
        }
        // The names whose link field (StoredZone.FLAG_MASK) this change may have moved: each name written (its word
        // was written afresh) and the parent of each wildcard written or removed (prune adds those it removes).
        long cutLabels = base.cutLabels();
        for (Owner o : written) {
            linkParents.add(o.name);
            if (o.name.isWildcard()) {
                linkParents.add(o.name.parent());
            }
            if ((o.flags() & (StoredZone.HAS_NS | StoredZone.HAS_DNAME)) != 0 && !o.name.equals(origin)) {
                cutLabels |= StoredZone.cutLabelBit(MemorySegment.ofArray(o.wire), 0, origin.labelCount());
            }
        }
        for (DnsName parent : linkParents) {
            linkWildcard(parent);
        }
        StoredZone.Chain chain = rechain(owners.values());
        checkDnames(sorted.values());
        if (!errors.isEmpty()) {
            throw new ZoneParseException(errors);
        }
        StoredZone.Head head = base.head();
        Owner apex = owners.get(origin);
        long serial = head.serial();
        long negativeTtl = head.negativeTtl();
        boolean signed = head.signed();
        if (apex != null) {
            ResourceRecord soa = apex.sets.get(RecordType.SOA).iterator().next();
            byte[] r = soa.rdata();
            int p = dev.isthmus.dns.wire.RdataLayout.nameEnd(r, dev.isthmus.dns.wire.RdataLayout.nameEnd(r, 0));
            serial = u32(r, p);
            negativeTtl = Math.min(soa.ttl(), u32(r, r.length - 4)); // RFC 2308 §5
            signed = apex.sets.containsKey(RecordType.DNSKEY) || !apex.signatures.isEmpty();
        }
        StoredZone.Head next = new StoredZone.Head(origin, serial, negativeTtl, signed, head.usesNsec3(),
            (int) (head.recordCount() + delta));
        int[][] orderPages = order.toArray(new int[0][]);
        StoredZone version = new StoredZone(next, chain, heap, nodeAt, flags, ids, table, tableUsed,
            orderPages, names, base.apex(), garbage, cutLabels);
        // The CNAMEs written here are linked to their targets in this version (their flag pages are this change's).
        // Links from unchanged CNAMEs stay: to a name this change removes they lead to a node record of -1, and the
        // reader then finds the target by name (see StoredZone.cnameTarget).
        for (Owner o : written) {
            if ((o.flags() & StoredZone.HAS_CNAME) != 0) {
                version.linkCname(find(o.name));
            }
        }
        // The cuts written here are linked to their first name server inside the zone in this version; the others keep
        // the base's links: their NS RRsets are unchanged, and a server's name removed since has a node record of -1
        // (see StoredZone.glueLink).
        version.linkGlue(base.glueLinkPages(), written.stream()
            .filter(o -> (o.flags() & StoredZone.HAS_NS) != 0).mapToInt(o -> find(o.name)).toArray());
        return garbage > Math.max(heap.end() - garbage, 256 * 1024) ? compact(version) : version;
    }

    // ---- the NSEC3 chain ----

    /** @return the index of {@code name} among the base's NSEC3 owners, or -1 */
    private int chainIndex(DnsName name) {
        if (!base.hasNsec3Chain() || name.equals(origin) || !name.parent().equals(origin)) {
            return -1;
        }
        byte[] hashed = Nsec3Chain.base32HexDecode(name.firstLabel());
        return hashed == null || hashed.length != Sha1.LENGTH ? -1 : base.nsec3(hashed, true);
    }

    /**
     * The chain with the changed owners' records: a copy of its two arrays (20 + 8 octets an owner, not paged:
     * a change to an NSEC3 chain costs a copy of the chain's index, not of its records), sorted by hash.
     */
    private StoredZone.Chain rechain(Iterable<Owner> changed) {
        StoredZone.Chain chain = base.chain();
        TreeMap<byte[], Long> put = new TreeMap<>(Arrays::compareUnsigned);
        java.util.Set<Integer> gone = new java.util.HashSet<>();
        for (Owner o : changed) {
            if (!o.inChain) {
                continue;
            }
            if (o.link >= 0) {
                garbage += recordBytes(chain.at()[o.link]);
                gone.add(o.link);
            }
            if (!o.empty()) {
                put.put(o.hash, o.at);
            }
        }
        if (put.isEmpty() && gone.isEmpty()) {
            return chain;
        }
        int n = chain.at().length;
        int size = n - gone.size() + put.size();
        byte[] hashes = new byte[size * Sha1.LENGTH];
        long[] at = new long[size];
        int out = 0;
        int i = 0;
        var added = put.entrySet().iterator();
        var next = added.hasNext() ? added.next() : null;
        while (i < n || next != null) {
            boolean takeNew = next != null && (i >= n || Arrays.compareUnsigned(next.getKey(), 0, Sha1.LENGTH,
                chain.hashes(), i * Sha1.LENGTH, (i + 1) * Sha1.LENGTH) <= 0);
            if (takeNew) {
                System.arraycopy(next.getKey(), 0, hashes, out * Sha1.LENGTH, Sha1.LENGTH);
                at[out++] = next.getValue();
                next = added.hasNext() ? added.next() : null;
            } else {
                if (!gone.contains(i)) {
                    System.arraycopy(chain.hashes(), i * Sha1.LENGTH, hashes, out * Sha1.LENGTH, Sha1.LENGTH);
                    at[out++] = chain.at()[i];
                }
                i++;
            }
        }
        return new StoredZone.Chain(true, chain.iterations(), chain.salt(), hashes, at);
    }

    // ---- validation (the rules of ZoneValidator, at the changed names) ----

    private void check(Owner o) {
        var cname = o.sets.get(RecordType.CNAME);
        if (cname != null && cname.size() > 1) {
            error(o, "more than one CNAME at " + o.name + " (RFC 2181 §10.1)");
        }
        if (cname != null) {
            for (int type : o.sets.keySet()) {
                if (type != RecordType.CNAME && type != RecordType.NSEC) {
                    error(o, "CNAME and other data at " + o.name + " (RFC 2181 §10.1)");
                    break;
                }
            }
        }
        var dname = o.sets.get(RecordType.DNAME);
        if (dname != null && dname.size() > 1) {
            error(o, "more than one DNAME at " + o.name + " (RFC 6672 §2.4)");
        }
        if (o.name.equals(origin)) {
            var soa = o.sets.get(RecordType.SOA);
            if (soa == null) {
                error(o, "zone " + origin + " has no SOA record at its apex");
            } else if (soa.size() > 1) {
                error(o, "more than one SOA record at the apex");
            }
            if (!o.sets.containsKey(RecordType.NS)) {
                error(o, "zone " + origin + " has no NS records at its apex");
            }
        }
    }

    /** RFC 6672 §2.3: a DNAME owner has no descendants; looked at from each changed name, up and down. */
    private void checkDnames(Iterable<Owner> changed) {
        for (Owner o : changed) {
            if (o.sets.isEmpty() || o.inChain) {
                continue; // as the zone validator: names with data, not those with only signatures
            }
            for (DnsName a = o.name; !a.equals(origin); ) {
                a = a.parent();
                int id = find(a);
                if (id >= 0 && (flagsOf(id) & StoredZone.HAS_DNAME) != 0) {
                    error(o, "name " + o.name + " is below the DNAME at " + a + " (RFC 6672 §2.3)");
                    break;
                }
            }
            if (o.sets.containsKey(RecordType.DNAME)) {
                DnsName below = firstWithDataBelow(o.name);
                if (below != null) {
                    error(o, "name " + below + " is below the DNAME at " + o.name + " (RFC 6672 §2.3)");
                }
            }
        }
    }

    private void error(Owner o, String message) {
        errors.add(new ZoneError("change", o.lastLine > 0 ? o.lastLine : o.line, message));
    }

    /**
     * Removes an emptied name unless names below it remain (then it stays, an empty non-terminal), and the empty
     * non-terminals above it left with nothing below.
     */
    private void prune(DnsName name) {
        for (DnsName n = name; !n.equals(origin); n = n.parent()) {
            int id = find(n);
            if (id < 0) {
                return;
            }
            long record = nodeRecord(id);
            if (setCount(record) + signatureSetCount(record) > 0) {
                return;
            }
            DnsName next = next(n);
            if (next != null && next.isSubdomainOf(n)) {
                return;
            }
            garbage += recordBytes(record);
            removeName(n);
            removeOrdered(n);
            setNode(id, -1, 0);
            names--;
            if (n.isWildcard()) {
                linkParents.add(n.parent()); // its parent no longer has it
            }
        }
    }

    // ---- the segment ----

    /** @return where {@code bytes} new octets go: the shared segment's end, or that of a larger copy of it */
    private long take(long bytes) {
        long at = heap.take(bytes);
        if (at >= 0) {
            return at;
        }
        long used = heap.end();
        MemorySegment larger = Arena.ofAuto().allocate(used + bytes + StoredZone.Heap.reserve(used + bytes), 8);
        MemorySegment.copy(heap.segment, 0, larger, 0, used);
        heap = new StoredZone.Heap(larger, used);
        data = larger;
        return heap.take(bytes);
    }

    private long write(Owner o, long at) {
        data.set(ValueLayout.JAVA_BYTE, at, (byte) o.wire.length);
        MemorySegment.copy(o.wire, 0, data, ValueLayout.JAVA_BYTE, at + 1, o.wire.length);
        at += 1 + o.wire.length;
        data.set(StoredZone.U16, at, (short) o.sets.size());
        data.set(StoredZone.U16, at + 2, (short) o.signatures.size());
        at += 4;
        for (var e : o.sets.entrySet()) {
            at = StoredZone.writeSet(data, e.getValue(), e.getKey(), e.getKey(), at);
        }
        for (var e : o.signatures.entrySet()) {
            at = StoredZone.writeSet(data, e.getValue(), RecordType.RRSIG, e.getKey(), at);
        }
        return at;
    }

    /** A copy of a version into a segment of its own records only, as a load builds it (amortised: see above). */
    static StoredZone compact(StoredZone z) {
        int[][] order = z.order();
        long size = 0;
        for (int[] page : order) {
            for (int id : page) {
                size += z.recordBytes(z.nodeRecord(id));
            }
        }
        StoredZone.Chain chain = z.chain();
        for (long record : chain.at()) {
            size += z.recordBytes(record);
        }
        MemorySegment to = Arena.ofAuto().allocate(size + StoredZone.Heap.reserve(size), 8);
        long[] at = new long[z.names()];
        int[] fl = new int[at.length];
        int[] hashes = new int[at.length];
        long w = 0;
        int i = 0;
        int apex = -1;
        for (int[] page : order) {
            for (int id : page) {
                long record = z.nodeRecord(id);
                long bytes = z.recordBytes(record);
                MemorySegment.copy(z.data(), record, to, w, bytes);
                at[i] = w;
                fl[i] = z.flags(id);
                byte[] c = z.owner(record).canonical();
                hashes[i] = StoredZone.hash(c, 0, c.length);
                if (id == z.apex()) {
                    apex = i;
                }
                w += bytes;
                i++;
            }
        }
        long[] chainAt = new long[chain.at().length];
        for (int k = 0; k < chainAt.length; k++) {
            long bytes = z.recordBytes(chain.at()[k]);
            MemorySegment.copy(z.data(), chain.at()[k], to, w, bytes);
            chainAt[k] = w;
            w += bytes;
        }
        StoredZone.Chain moved = new StoredZone.Chain(chain.present(), chain.iterations(), chain.salt(),
            chain.hashes(), chainAt);
        return StoredZone.fromColumns(z.head(), moved, new StoredZone.Heap(to, w), at, fl, hashes, apex);
    }

    // ---- the columns by id ----

    private long nodeRecord(int id) {
        return nodeAt[id >>> StoredZone.ID_BITS][id & StoredZone.ID_MASK];
    }

    private int flagsOf(int id) {
        return flags[id >>> StoredZone.ID_BITS][id & StoredZone.ID_MASK];
    }

    private int newId() {
        int id = ids++;
        int p = id >>> StoredZone.ID_BITS;
        int index = id & StoredZone.ID_MASK;
        if (p == nodeAt.length) {
            nodeAt = Arrays.copyOf(nodeAt, p + 1);
            flags = Arrays.copyOf(flags, p + 1);
            nodeAt[p] = new long[0];
            flags[p] = new int[0];
        }
        if (index >= nodeAt[p].length) {
            // the last page holds only the ids in use (StoredZone.fromColumns): grow it, doubling up to a full page
            int length = Math.min(1 << StoredZone.ID_BITS, Math.max(8, 2 * nodeAt[p].length));
            int old = nodeAt[p].length;
            nodeAt[p] = Arrays.copyOf(nodeAt[p], length);
            Arrays.fill(nodeAt[p], old, length, -1);
            flags[p] = Arrays.copyOf(flags[p], length);
            fresh.add(nodeAt[p]);
            fresh.add(flags[p]);
        }
        return id;
    }

    /**
     * Links {@code name}, when held and not a CNAME's (whose link field is its target's), to its wildcard child
     * {@code *.<name>} as this change leaves it ({@link StoredZone#wildcardChild}): one lookup.
     */
    private void linkWildcard(DnsName name) {
        int id = find(name);
        if (id < 0 || (flagsOf(id) & StoredZone.HAS_CNAME) != 0) {
            return;
        }
        DnsName wildcard = name.prepend(new byte[] {'*'});
        int child = wildcard == null ? -1 : find(wildcard);
        int word = StoredZone.withLink(flagsOf(id), child);
        if (word != flagsOf(id)) {
            setNode(id, nodeRecord(id), word);
        }
    }

    private void setNode(int id, long at, int nodeFlags) {
        int p = id >>> StoredZone.ID_BITS;
        if (fresh.add(nodeAt[p])) {
            nodeAt[p] = nodeAt[p].clone();
            fresh.add(nodeAt[p]);
        }
        if (fresh.add(flags[p])) {
            flags[p] = flags[p].clone();
            fresh.add(flags[p]);
        }
        nodeAt[p][id & StoredZone.ID_MASK] = at;
        flags[p][id & StoredZone.ID_MASK] = nodeFlags;
    }

    // ---- the name table ----

    private int capacity() {
        return StoredZone.capacity(table);
    }

    private int[] tablePage(int p) {
        if (fresh.add(table[p])) {
            table[p] = table[p].clone();
            fresh.add(table[p]);
        }
        return table[p];
    }

    /** @return the slot holding {@code name}, or -1 */
    private int slotOf(DnsName name) {
        byte[] c = name.canonical();
        int h = StoredZone.hash(c, 0, c.length);
        int mask = capacity() - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int[] page = table[slot >>> StoredZone.SLOT_BITS];
            int i = (slot & StoredZone.SLOT_MASK) << 1;
            int v = page[i + 1];
            if (v == 0) {
                return -1;
            }
            if (page[i] == h && v > 0 && ownerEquals(nodeRecord(v - 1), c)) {
                return slot;
            }
        }
    }

    private int find(DnsName name) {
        int slot = slotOf(name);
        return slot < 0 ? -1 : table[slot >>> StoredZone.SLOT_BITS][((slot & StoredZone.SLOT_MASK) << 1) + 1] - 1;
    }

    private void insertName(DnsName name, int id) {
        if ((tableUsed + 1) * 4L > capacity() * 3L) {
            rehash(Integer.highestOneBit(Math.max(8, (names + 1) * 4 / 3)) << 1);
        }
        byte[] c = name.canonical();
        put(StoredZone.hash(c, 0, c.length), id + 1);
    }

    private void put(int hash, int value) {
        int mask = capacity() - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int[] page = table[slot >>> StoredZone.SLOT_BITS];
            int i = (slot & StoredZone.SLOT_MASK) << 1;
            int v = page[i + 1];
            if (v == 0 || v == StoredZone.REMOVED) {
                page = tablePage(slot >>> StoredZone.SLOT_BITS);
                page[i] = hash;
                page[i + 1] = value;
                if (v == 0) {
                    tableUsed++;
                }
                return;
            }
        }
    }

    private void removeName(DnsName name) {
        int slot = slotOf(name);
        tablePage(slot >>> StoredZone.SLOT_BITS)[((slot & StoredZone.SLOT_MASK) << 1) + 1] = StoredZone.REMOVED;
    }

    /** Amortised: a new table of {@code capacity} slots with the names of this one, without the removal marks. */
    private void rehash(int capacity) {
        int[][] old = table;
        table = StoredZone.newTable(capacity);
        fresh.addAll(Arrays.asList(table));
        tableUsed = 0;
        for (int[] page : old) {
            for (int i = 0; i < page.length; i += 2) {
                if (page[i + 1] > 0) {
                    put(page[i], page[i + 1]);
                }
            }
        }
    }

    // ---- the canonical order ----

    /** @return (page << 32) | index of the first name not below {@code name} in canonical order */
    private long position(DnsName name) {
        int lo = 1;
        int hi = order.size() - 1;
        int page = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ownerName(order.get(mid)[0]).compareTo(name) <= 0) {
                page = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int[] ids = order.get(page);
        lo = 0;
        hi = ids.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ownerName(ids[mid]).compareTo(name) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return ((long) page << 32) | lo;
    }

    private void insertOrdered(DnsName name, int id) {
        long at = position(name);
        int page = (int) (at >>> 32);
        int index = (int) at;
        int[] old = order.get(page);
        int[] ids = new int[old.length + 1];
        System.arraycopy(old, 0, ids, 0, index);
        ids[index] = id;
        System.arraycopy(old, index, ids, index + 1, old.length - index);
        if (ids.length > 2 * StoredZone.ORDER_PAGE) {
            order.set(page, Arrays.copyOfRange(ids, 0, ids.length / 2));
            order.add(page + 1, Arrays.copyOfRange(ids, ids.length / 2, ids.length));
        } else {
            order.set(page, ids);
        }
    }

    private void removeOrdered(DnsName name) {
        long at = position(name);
        int page = (int) (at >>> 32);
        int index = (int) at;
        int[] old = order.get(page);
        if (old.length == 1) {
            order.remove(page);
            return;
        }
        int[] ids = new int[old.length - 1];
        System.arraycopy(old, 0, ids, 0, index);
        System.arraycopy(old, index + 1, ids, index, ids.length - index);
        order.set(page, ids);
    }

    /**
     * @return the first name below {@code name} (which is held) in canonical order that has data (not only
     *     signatures), or null; a name's descendants follow it, so the walk stops at the first name not below it
     */
    private DnsName firstWithDataBelow(DnsName name) {
        long at = position(name);
        int page = (int) (at >>> 32);
        int index = (int) at + 1;
        while (page < order.size()) {
            int[] ids = order.get(page);
            for (; index < ids.length; index++) {
                DnsName n = ownerName(ids[index]);
                if (!n.isSubdomainOf(name)) {
                    return null;
                }
                if (setCount(nodeRecord(ids[index])) > 0) {
                    return n;
                }
            }
            page++;
            index = 0;
        }
        return null;
    }

    /** @return true when a name below {@code name} (held or not) is held: it would follow it in canonical order */
    private boolean hasNamesBelow(DnsName name) {
        long at = position(name);
        int page = (int) (at >>> 32);
        int index = (int) at;
        if (index < order.get(page).length && ownerName(order.get(page)[index]).equals(name)) {
            index++;
        }
        if (index >= order.get(page).length) {
            page++;
            index = 0;
        }
        return page < order.size() && ownerName(order.get(page)[index]).isSubdomainOf(name);
    }

    /** @return the name after {@code name} (which is held) in canonical order, or null */
    private DnsName next(DnsName name) {
        long at = position(name);
        int page = (int) (at >>> 32);
        int index = (int) at + 1;
        if (index < order.get(page).length) {
            return ownerName(order.get(page)[index]);
        }
        return page + 1 < order.size() ? ownerName(order.get(page + 1)[0]) : null;
    }

    // ---- node records in this change's segment ----

    private DnsName ownerName(int id) {
        byte[] wire = ownerWire(nodeRecord(id));
        return DnsName.fromWire(wire, 0, wire.length);
    }

    private byte[] ownerWire(long record) {
        int length = data.get(ValueLayout.JAVA_BYTE, record) & 0xFF;
        return data.asSlice(record + 1, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private boolean ownerEquals(long record, byte[] canonical) {
        if ((data.get(ValueLayout.JAVA_BYTE, record) & 0xFF) != canonical.length) {
            return false;
        }
        for (int i = 0; i < canonical.length; i++) {
            if (StoredZone.LOWER[data.get(ValueLayout.JAVA_BYTE, record + 1 + i) & 0xFF] != canonical[i]) {
                return false;
            }
        }
        return true;
    }

    private long recordBytes(long record) {
        long at = record + 1 + (data.get(ValueLayout.JAVA_BYTE, record) & 0xFF) + 4;
        for (int i = 0, n = setCount(record) + signatureSetCount(record); i < n; i++) {
            at += StoredZone.SET_HEADER + (data.get(StoredZone.U32, at + 6) & 0xFFFFFFFFL);
        }
        return at - record;
    }

    private int setCount(long record) {
        return data.get(StoredZone.U16, record + 1 + (data.get(ValueLayout.JAVA_BYTE, record) & 0xFF)) & 0xFFFF;
    }

    private int signatureSetCount(long record) {
        return data.get(StoredZone.U16, record + 3 + (data.get(ValueLayout.JAVA_BYTE, record) & 0xFF)) & 0xFFFF;
    }

    private static long u32(byte[] r, int p) {
        return ((r[p] & 0xFFL) << 24) | ((r[p + 1] & 0xFFL) << 16) | ((r[p + 2] & 0xFFL) << 8) | (r[p + 3] & 0xFFL);
    }
}
