package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.Nsec3Chain;
import dev.isthmus.dns.zone.RRset;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One zone as the engine serves it: every name with its RRsets in wire format in one off-heap segment, found by an
 * open-addressed hash table straight from lower-cased query bytes, numbered in DNSSEC canonical order (RFC 4034
 * §6.1) so the NSEC that covers a name is a binary search away; the NSEC3 owners (RFC 5155) by hash in a sorted
 * array. Memory is the zone's wire size plus 28 octets per name; no Java object per name or record, and the
 * segment is addressed by {@code long}, so no 2 GiB ceiling. Immutable: built once from a parsed {@link Zone}
 * (which is then dropped), read by any number of threads, freed by the garbage collector with the last reader.
 *
 * <p>A node record, at {@code nodeAt[i]} in {@link #data()} (big-endian):
 * <pre>
 *   u8 owner length L | owner [L] (the zone file's case) | u16 RRsets S | u16 signature sets G
 *   S x RRset (load order), then G x RRSIG set (one per covered type):
 *     u16 TYPE | u16 type covered | u16 record count | u32 octets of the records that follow
 *     records: u16 CLASS | u32 TTL | u16 RDLENGTH | RDATA (uncompressed, RFC 1035 §3.2.1)
 * </pre>
 */
public final class StoredZone {
    /** Node flags, kept beside the records so the walk down a name's ancestors reads no record. */
    static final int HAS_NS = 1;
    static final int HAS_DNAME = 2;
    static final int HAS_NSEC = 4;
    static final int HAS_SIGNATURES = 8;

    /** Octets of an RRset header. */
    static final int SET_HEADER = 10;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The name hash's starting value (FNV's offset basis; any odd constant would do). */
    private static final long NAME_HASH_BASIS = 0x811C9DC5L;

    /** ASCII lower-casing by table (RFC 4343 §3: only A-Z fold). */
    static final byte[] LOWER = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = DnsName.toLower((byte) i);
        }
    }

    private final DnsName origin;
    private final byte[] originWire;
    private final int originLabels;
    private final long serial;
    private final long negativeTtl;
    private final boolean signed;
    private final boolean usesNsec3;
    private final MemorySegment data;
    private final long[] nodeAt;
    private final int[] nodeFlags;
    /** Two ints per slot: the name's hash and 1 + its node index (0 = empty). */
    private final int[] table;
    private final int mask;
    private final int apex;
    // NSEC3 chain (RFC 5155 §7.2): hashes side by side, ascending, and the offset of each owner's node record.
    private final boolean hasChain;
    private final int nsec3Iterations;
    private final byte[] nsec3Salt;
    private final byte[] nsec3Hashes;
    private final long[] nsec3At;
    private final int recordCount;
    /** Per apex NS record, the node whose addresses positive answers carry (see {@link Assembler#apexNsTargets}). */
    private final long[] apexNsTargets;

    private StoredZone(Zone zone) {
        this.origin = zone.origin();
        this.originWire = origin.wire();
        this.originLabels = origin.labelCount();
        this.serial = zone.serial();
        this.negativeTtl = zone.negativeTtl();
        this.signed = zone.isSigned();
        this.usesNsec3 = zone.usesNsec3();
        List<Node> nodes = new ArrayList<>(zone.nodes());
        Nsec3Chain chain = zone.nsec3Chain();
        List<Map.Entry<byte[], Node>> chainEntries = chain == null ? List.of() : chain.entries();
        long size = 0;
        for (Node n : nodes) {
            size += recordSize(n);
        }
        for (var e : chainEntries) {
            size += recordSize(e.getValue());
        }
        this.data = Arena.ofAuto().allocate(Math.max(1, size), 8);
        this.nodeAt = new long[nodes.size()];
        this.nodeFlags = new int[nodes.size()];
        long at = 0;
        int records = 0;
        int apexIndex = -1;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            nodeAt[i] = at;
            at = write(n, at);
            int flags = (n.has(RecordType.NS) ? HAS_NS : 0) | (n.has(RecordType.DNAME) ? HAS_DNAME : 0)
                | (n.has(RecordType.NSEC) ? HAS_NSEC : 0) | (n.has(RecordType.RRSIG) ? HAS_SIGNATURES : 0);
            nodeFlags[i] = flags;
            for (RRset s : n.rrsets()) {
                records += s.records().size();
            }
            for (RRset s : n.allSignatures()) {
                records += s.records().size();
            }
            if (n.name().equals(origin)) {
                apexIndex = i;
            }
        }
        this.apex = apexIndex;
        this.hasChain = chain != null;
        this.nsec3Iterations = chain == null ? 0 : chain.iterations();
        this.nsec3Salt = chain == null ? new byte[0] : chain.salt();
        List<Map.Entry<byte[], Node>> sha1 = new ArrayList<>();
        for (var e : chainEntries) {
            if (e.getKey().length == Sha1.LENGTH) {
                sha1.add(e); // RFC 5155 §11: SHA-1 owners only; no other hash can match or cover
            }
        }
        this.nsec3Hashes = new byte[sha1.size() * Sha1.LENGTH];
        this.nsec3At = new long[sha1.size()];
        for (int i = 0; i < sha1.size(); i++) {
            System.arraycopy(sha1.get(i).getKey(), 0, nsec3Hashes, i * Sha1.LENGTH, Sha1.LENGTH);
            nsec3At[i] = at;
            at = write(sha1.get(i).getValue(), at);
        }
        this.recordCount = records;
        int capacity = Integer.highestOneBit(Math.max(8, nodes.size() * 4 / 3)) << 1;
        this.table = new int[capacity * 2];
        this.mask = capacity - 1;
        for (int i = 0; i < nodes.size(); i++) {
            byte[] name = nodes.get(i).name().canonical();
            int h = hash(name, 0, name.length);
            int slot = h & mask;
            while (table[slot * 2 + 1] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot * 2] = h;
            table[slot * 2 + 1] = i + 1;
        }
        this.apexNsTargets = Assembler.apexNsTargets(this);
    }

    /** A new version of {@code base} with other names and records (see {@link #withChanges}). */
    private StoredZone(StoredZone base, MemorySegment data, long[] nodeAt, int[] nodeFlags, int[] table,
                       int recordCount) {
        this.origin = base.origin;
        this.originWire = base.originWire;
        this.originLabels = base.originLabels;
        this.serial = base.serial;
        this.negativeTtl = base.negativeTtl;
        this.signed = base.signed;
        this.usesNsec3 = base.usesNsec3;
        this.data = data;
        this.nodeAt = nodeAt;
        this.nodeFlags = nodeFlags;
        this.table = table;
        this.mask = table.length / 2 - 1;
        this.apex = base.apex;
        this.hasChain = base.hasChain;
        this.nsec3Iterations = base.nsec3Iterations;
        this.nsec3Salt = base.nsec3Salt;
        this.nsec3Hashes = base.nsec3Hashes;
        this.nsec3At = base.nsec3At;
        this.recordCount = recordCount;
        this.apexNsTargets = Assembler.apexNsTargets(this);
    }

    /** Builds the store of a validated zone. */
    public static StoredZone of(Zone zone) {
        return new StoredZone(zone);
    }

    private static long recordSize(Node n) {
        long size = 1 + n.name().wireLength() + 4;
        for (RRset s : n.rrsets()) {
            size += setSize(s);
        }
        for (RRset s : n.allSignatures()) {
            size += setSize(s);
        }
        return size;
    }

    private static long setSize(RRset s) {
        long size = SET_HEADER;
        for (ResourceRecord r : s.records()) {
            size += 10 + r.rdata().length;
        }
        return size;
    }

    private long write(Node n, long at) {
        byte[] owner = n.name().wire();
        data.set(ValueLayout.JAVA_BYTE, at, (byte) owner.length);
        MemorySegment.copy(owner, 0, data, ValueLayout.JAVA_BYTE, at + 1, owner.length);
        at += 1 + owner.length;
        data.set(U16, at, (short) n.rrsets().size());
        data.set(U16, at + 2, (short) n.allSignatures().size());
        at += 4;
        for (RRset s : n.rrsets()) {
            at = writeSet(s, s.type(), s.type(), at);
        }
        for (RRset s : n.allSignatures()) {
            at = writeSet(s, RecordType.RRSIG, s.records().get(0).coveredType(), at);
        }
        return at;
    }

    private long writeSet(RRset s, int type, int covered, long at) {
        long start = at;
        at += SET_HEADER;
        for (ResourceRecord r : s.records()) {
            data.set(U16, at, (short) r.rrClass());
            data.set(U32, at + 2, (int) r.ttl());
            data.set(U16, at + 6, (short) r.rdata().length);
            MemorySegment.copy(r.rdata(), 0, data, ValueLayout.JAVA_BYTE, at + 8, r.rdata().length);
            at += 8 + r.rdata().length;
        }
        data.set(U16, start, (short) type);
        data.set(U16, start + 2, (short) covered);
        data.set(U16, start + 4, (short) s.records().size());
        data.set(U32, start + 6, (int) (at - start - SET_HEADER));
        return at;
    }

    // ---- reading (every method below is allocation-free) ----

    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The 64-bit golden-ratio multiplier: one multiply per eight octets spreads every bit upwards. */
    private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;

    /**
     * The hash of a wire name, ignoring ASCII case: eight octets at a time (lower-cased eight at a time too), one
     * multiply each, so a typical name costs two or three dependent multiplies rather than one per octet.
     */
    static int hash(byte[] name, int offset, int length) {
        long h = NAME_HASH_BASIS ^ length;
        int i = offset;
        final int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ lowerWord((long) WORDS.get(name, i))) * WORD_MULTIPLIER;
        }
        if (i < end) {
            long tail = 0;
            for (int shift = 0; i < end; i++, shift += 8) {
                tail |= (name[i] & 0xFFL) << shift;
            }
            h = (h ^ lowerWord(tail)) * WORD_MULTIPLIER;
        }
        return (int) (h ^ (h >>> 29) ^ (h >>> 41));
    }

    /** Lower-cases the ASCII capitals among eight octets at once (RFC 4343 §3: only A-Z fold; other octets kept). */
    static long lowerWord(long w) {
        long low7 = w & 0x7F7F7F7F7F7F7F7FL;
        long atLeastA = low7 + 0x3F3F3F3F3F3F3F3FL; // high bit set where the octet is >= 'A' (0x41)
        long aboveZ = low7 + 0x2525252525252525L; // high bit set where the octet is > 'Z' (0x5A)
        long capital = atLeastA & ~aboveZ & ~w & 0x8080808080808080L; // and the octet itself is ASCII
        return w | (capital >>> 2); // 0x80 >>> 2 = 0x20, the case bit
    }

    /** @return the node index of the wire name at {@code name[offset]} (any case), or -1 */
    int node(byte[] name, int offset, int length, int hash) {
        final int[] t = table;
        int slot = hash & mask;
        while (true) {
            int v = t[slot * 2 + 1];
            if (v == 0) {
                return -1;
            }
            if (t[slot * 2] == hash && ownerEquals(nodeAt[v - 1], name, offset, length)) {
                return v - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean ownerEquals(long record, byte[] name, int offset, int length) {
        if ((data.get(ValueLayout.JAVA_BYTE, record) & 0xFF) != length) {
            return false;
        }
        final byte[] lower = LOWER;
        for (int i = 0; i < length; i++) {
            if (lower[data.get(ValueLayout.JAVA_BYTE, record + 1 + i) & 0xFF] != lower[name[offset + i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    MemorySegment data() {
        return data;
    }

    long[] apexNsTargets() {
        return apexNsTargets;
    }

    int nodeCount() {
        return nodeAt.length;
    }

    int apex() {
        return apex;
    }

    long nodeRecord(int node) {
        return nodeAt[node];
    }

    boolean has(int node, int flag) {
        return (nodeFlags[node] & flag) != 0;
    }

    /** @return the owner's wire length of the node record at {@code record}; the owner starts at record + 1 */
    int ownerLength(long record) {
        return data.get(ValueLayout.JAVA_BYTE, record) & 0xFF;
    }

    /** @return the offset of the first RRset of the node record at {@code record} */
    long firstSet(long record) {
        return record + 1 + ownerLength(record) + 4;
    }

    int setCount(long record) {
        return u16(record + 1 + ownerLength(record));
    }

    int signatureSetCount(long record) {
        return u16(record + 1 + ownerLength(record) + 2);
    }

    /** @return the offset of the RRset of {@code type} in the node record at {@code record}, or -1 */
    long rrset(long record, int type) {
        long at = firstSet(record);
        for (int i = 0, n = setCount(record); i < n; i++) {
            if (setType(at) == type) {
                return at;
            }
            at = nextSet(at);
        }
        return -1;
    }

    /** @return the offset of the first signature set of the node record at {@code record} */
    long firstSignatureSet(long record) {
        long at = firstSet(record);
        for (int i = 0, n = setCount(record); i < n; i++) {
            at = nextSet(at);
        }
        return at;
    }

    /** @return the offset of the RRSIG set covering {@code type} in the node record at {@code record}, or -1 */
    long signatures(long record, int type) {
        int n = signatureSetCount(record);
        if (n == 0) {
            return -1;
        }
        long at = firstSignatureSet(record);
        for (int i = 0; i < n; i++) {
            if (u16(at + 2) == type) {
                return at;
            }
            at = nextSet(at);
        }
        return -1;
    }

    int setType(long set) {
        return u16(set);
    }

    int recordCount(long set) {
        return u16(set + 4);
    }

    long nextSet(long set) {
        return set + SET_HEADER + (data.get(U32, set + 6) & 0xFFFFFFFFL);
    }

    int u16(long at) {
        return data.get(U16, at) & 0xFFFF;
    }

    // ---- NSEC3 ----

    boolean hasNsec3Chain() {
        return hasChain;
    }

    int nsec3Iterations() {
        return nsec3Iterations;
    }

    byte[] nsec3Salt() {
        return nsec3Salt;
    }

    /**
     * @return the index of the NSEC3 owner whose hash equals {@code hash} ({@code match}) or is the greatest below
     *     it, wrapping to the last (RFC 5155 §7.2.1, "covers"); -1 when none
     */
    int nsec3(byte[] hash, boolean match) {
        int lo = 0;
        int hi = nsec3At.length - 1;
        int floor = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = java.util.Arrays.compareUnsigned(nsec3Hashes, mid * Sha1.LENGTH, (mid + 1) * Sha1.LENGTH, hash, 0,
                Sha1.LENGTH);
            if (c == 0) {
                return match ? mid : (mid > 0 ? mid - 1 : nsec3At.length - 1);
            }
            if (c < 0) {
                floor = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (match || nsec3At.length == 0) {
            return -1;
        }
        return floor >= 0 ? floor : nsec3At.length - 1;
    }

    long nsec3Record(int index) {
        return nsec3At[index];
    }

    /** @return every record held, node by node in canonical order then the NSEC3 owners (allocates: control side) */
    public List<ResourceRecord> recordList() {
        List<ResourceRecord> out = new ArrayList<>(recordCount + 16);
        for (long record : nodeAt) {
            addRecords(record, out);
        }
        for (long record : nsec3At) {
            addRecords(record, out);
        }
        return out;
    }

    /** @return the records at the apex (the first name in canonical order), SOA among them (allocates) */
    public List<ResourceRecord> apexRecordList() {
        List<ResourceRecord> out = new ArrayList<>();
        addRecords(nodeAt[0], out);
        return out;
    }

    private void addRecords(long record, List<ResourceRecord> out) {
        int ownerLength = ownerLength(record);
        byte[] ownerWire = data.asSlice(record + 1, ownerLength).toArray(ValueLayout.JAVA_BYTE);
        DnsName owner = DnsName.fromWire(ownerWire, 0, ownerLength);
        long set = firstSet(record);
        for (int i = 0, n = setCount(record) + signatureSetCount(record); i < n; i++, set = nextSet(set)) {
            int type = setType(set);
            long r = set + SET_HEADER;
            for (int k = 0, c = recordCount(set); k < c; k++) {
                int rrClass = u16(r);
                long ttl = data.get(U32, r + 2) & 0xFFFFFFFFL;
                int length = u16(r + 6);
                byte[] rdata = data.asSlice(r + 8, length).toArray(ValueLayout.JAVA_BYTE);
                out.add(new ResourceRecord(owner, type, rrClass, ttl, rdata));
                r += 8 + length;
            }
        }
    }

    // ---- record-level changes ----

    /** Types whose change needs the whole-zone path: apex data, DNSSEC data, DNAME (it constrains names below). */
    private static final java.util.Set<Integer> WHOLE_ZONE_TYPES = java.util.Set.of(RecordType.SOA,
        RecordType.DNAME, RecordType.NSEC, RecordType.NSEC3, RecordType.NSEC3PARAM, RecordType.RRSIG,
        RecordType.DNSKEY);

    /**
     * The fast path of {@link ZoneCatalog#apply}: a new version of this unsigned zone with {@code deletions} removed
     * and {@code additions} added, sharing nothing mutable with this one and costing a copy of the segment and the
     * columns (memory bandwidth, no parse, no object per name): the node records of the changed names are encoded
     * anew, the others copied in runs, new names (and the empty non-terminals above them, RFC 4592 §2.2.2) inserted
     * in canonical order, and the name table rebuilt from the old hashes.
     *
     * @return the new version, or null when the change is not one this path takes (a signed zone, a change at the
     *     apex, of a DNSSEC type or DNAME, a name left empty, a deletion that matches nothing, CNAME and other data,
     *     a name below a DNAME): the caller then takes the whole-zone path, which also reports the errors
     */
    StoredZone withChanges(List<ResourceRecord> deletions, List<ResourceRecord> additions) {
        if (signed || hasChain) {
            return null;
        }
        java.util.TreeMap<DnsName, List<List<ResourceRecord>>> byOwner = new java.util.TreeMap<>();
        for (int kind = 0; kind < 2; kind++) {
            for (ResourceRecord r : kind == 0 ? deletions : additions) {
                if (!r.owner().isSubdomainOf(origin) || r.owner().equals(origin)
                    || WHOLE_ZONE_TYPES.contains(r.type())) {
                    return null;
                }
                byOwner.computeIfAbsent(r.owner(), o -> List.of(new ArrayList<>(), new ArrayList<>())).get(kind)
                    .add(r);
            }
        }
        if ((nodeFlags[apex] & HAS_DNAME) != 0) {
            return null;
        }
        // The new content of each changed name, and the empty non-terminals new names need.
        java.util.TreeMap<DnsName, byte[]> encoded = new java.util.TreeMap<>();
        java.util.Map<DnsName, Integer> flagsOf = new java.util.HashMap<>();
        int recordDelta = 0;
        for (var e : byOwner.entrySet()) {
            DnsName owner = e.getKey();
            byte[] canonical = owner.canonical();
            int index = node(canonical, 0, canonical.length, hash(canonical, 0, canonical.length));
            java.util.LinkedHashMap<Integer, java.util.LinkedHashSet<ResourceRecord>> sets = new java.util.LinkedHashMap<>();
            DnsName written = owner;
            if (index >= 0) {
                long record = nodeAt[index];
                if (signatureSetCount(record) != 0) {
                    return null;
                }
                written = DnsName.fromWire(data.asSlice(record + 1, ownerLength(record)).toArray(ValueLayout.JAVA_BYTE),
                    0, ownerLength(record));
                List<ResourceRecord> old = new ArrayList<>();
                addRecords(record, old);
                for (ResourceRecord r : old) {
                    sets.computeIfAbsent(r.type(), t -> new java.util.LinkedHashSet<>()).add(r);
                }
            }
            for (ResourceRecord r : e.getValue().get(0)) {
                var set = sets.get(r.type());
                if (set == null || !set.remove(r)) {
                    return null;
                }
                recordDelta--;
                if (set.isEmpty()) {
                    sets.remove(r.type());
                }
            }
            for (ResourceRecord r : e.getValue().get(1)) {
                if (sets.computeIfAbsent(r.type(), t -> new java.util.LinkedHashSet<>()).add(r)) {
                    recordDelta++;
                }
            }
            var cname = sets.get(RecordType.CNAME);
            if (sets.isEmpty() || cname != null && (cname.size() > 1 || sets.size() > 1)) {
                return null; // RFC 2181 §10.1; an emptied name may have to go: the whole-zone path decides
            }
            // RFC 6672 §2.3: nothing below a DNAME; new names bring their missing ancestors as empty non-terminals.
            for (DnsName a = owner.parent(); !a.equals(origin); a = a.parent()) {
                byte[] ac = a.canonical();
                int ai = node(ac, 0, ac.length, hash(ac, 0, ac.length));
                if (ai >= 0 && (nodeFlags[ai] & HAS_DNAME) != 0) {
                    return null;
                }
                if (ai < 0 && !byOwner.containsKey(a) && !encoded.containsKey(a)) {
                    encoded.put(a, encode(a, java.util.Map.of()));
                    flagsOf.put(a, 0);
                }
            }
            encoded.put(owner, encode(written, sets));
            flagsOf.put(owner, (sets.containsKey(RecordType.NS) ? HAS_NS : 0)
                | (sets.containsKey(RecordType.DNAME) ? HAS_DNAME : 0) | (sets.containsKey(RecordType.NSEC) ? HAS_NSEC : 0));
        }
        // Positions: each changed name replaces its node or is inserted before the first greater old name.
        int n = nodeAt.length;
        long dataEnd = data.byteSize();
        List<DnsName> inserted = new ArrayList<>();
        List<Integer> insertAt = new ArrayList<>();
        java.util.Map<Integer, byte[]> replaced = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> replacedFlags = new java.util.HashMap<>();
        long size = dataEnd;
        for (var e : encoded.entrySet()) {
            byte[] c = e.getKey().canonical();
            int index = node(c, 0, c.length, hash(c, 0, c.length));
            if (index >= 0) {
                replaced.put(index, e.getValue());
                replacedFlags.put(index, flagsOf.get(e.getKey()));
                size += e.getValue().length - (recordEnd(index) - nodeAt[index]);
            } else {
                inserted.add(e.getKey());
                insertAt.add(insertionPoint(e.getKey()));
                size += e.getValue().length;
            }
        }
        int total = n + inserted.size();
        MemorySegment next = Arena.ofAuto().allocate(Math.max(1, size), 8);
        long[] at = new long[total];
        int[] flags = new int[total];
        int[] hashes = new int[total];
        int[] oldHash = new int[n];
        for (int slot = 0; slot <= mask; slot++) {
            int v = table[slot * 2 + 1];
            if (v != 0) {
                oldHash[v - 1] = table[slot * 2];
            }
        }
        long w = 0;
        int out = 0;
        int k = 0; // next insertion
        int i = 0;
        while (i < n || k < inserted.size()) {
            if (k < inserted.size() && insertAt.get(k) <= i) {
                byte[] b = encoded.get(inserted.get(k));
                MemorySegment.copy(b, 0, next, ValueLayout.JAVA_BYTE, w, b.length);
                at[out] = w;
                flags[out] = flagsOf.get(inserted.get(k));
                byte[] c = inserted.get(k).canonical();
                hashes[out] = hash(c, 0, c.length);
                w += b.length;
                out++;
                k++;
                continue;
            }
            byte[] b = replaced.get(i);
            if (b != null) {
                MemorySegment.copy(b, 0, next, ValueLayout.JAVA_BYTE, w, b.length);
                at[out] = w;
                flags[out] = replacedFlags.get(i);
                hashes[out] = oldHash[i];
                w += b.length;
                out++;
                i++;
                continue;
            }
            // A run of unchanged nodes, up to the next replaced node or insertion: one copy.
            int j = i;
            int stop = k < inserted.size() ? insertAt.get(k) : n;
            while (j < n && j < stop && !replaced.containsKey(j)) {
                at[out + j - i] = w + (nodeAt[j] - nodeAt[i]);
                flags[out + j - i] = nodeFlags[j];
                hashes[out + j - i] = oldHash[j];
                j++;
            }
            long bytes = recordEnd(j - 1) - nodeAt[i];
            MemorySegment.copy(data, nodeAt[i], next, w, bytes);
            w += bytes;
            out += j - i;
            i = j;
        }
        int capacity = Integer.highestOneBit(Math.max(8, total * 4 / 3)) << 1;
        int[] t = new int[capacity * 2];
        for (int x = 0; x < total; x++) {
            int slot = hashes[x] & (capacity - 1);
            while (t[slot * 2 + 1] != 0) {
                slot = (slot + 1) & (capacity - 1);
            }
            t[slot * 2] = hashes[x];
            t[slot * 2 + 1] = x + 1;
        }
        return new StoredZone(this, next, at, flags, t, recordCount + recordDelta);
    }

    private long recordEnd(int index) {
        return index + 1 < nodeAt.length ? nodeAt[index + 1] : (nsec3At.length > 0 ? nsec3At[0] : data.byteSize());
    }

    /** @return how many names of this zone sort before {@code name} (RFC 4034 §6.1) */
    private int insertionPoint(DnsName name) {
        int lo = 0;
        int hi = nodeAt.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long record = nodeAt[mid];
            DnsName owner = DnsName.fromWire(data.asSlice(record + 1, ownerLength(record)).toArray(ValueLayout.JAVA_BYTE),
                0, ownerLength(record));
            if (owner.compareTo(name) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A node record (the layout of the class comment) on the heap, for a new version's changed names. */
    private static byte[] encode(DnsName owner, java.util.Map<Integer, ? extends java.util.Collection<ResourceRecord>> sets) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] o = owner.wire();
        b.write(o.length);
        b.writeBytes(o);
        b.write(sets.size() >>> 8);
        b.write(sets.size());
        b.write(0);
        b.write(0);
        for (var e : sets.entrySet()) {
            java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
            for (ResourceRecord r : e.getValue()) {
                records.write(r.rrClass() >>> 8);
                records.write(r.rrClass());
                for (int s = 24; s >= 0; s -= 8) {
                    records.write((int) (r.ttl() >>> s));
                }
                records.write(r.rdata().length >>> 8);
                records.write(r.rdata().length);
                records.writeBytes(r.rdata());
            }
            int type = e.getKey();
            int count = e.getValue().size();
            int length = records.size();
            b.write(type >>> 8);
            b.write(type);
            b.write(type >>> 8);
            b.write(type);
            b.write(count >>> 8);
            b.write(count);
            for (int s = 24; s >= 0; s -= 8) {
                b.write(length >>> s);
            }
            b.writeBytes(records.toByteArray());
        }
        return b.toByteArray();
    }

    // ---- the zone as a whole ----

    public DnsName origin() {
        return origin;
    }

    /** @return the origin's wire form as the catalog was given it (written as the owner of apex data) */
    byte[] originWire() {
        return originWire;
    }

    int originLabels() {
        return originLabels;
    }

    /** @return the SOA serial (RFC 1035 §3.3.13) */
    public long serial() {
        return serial;
    }

    /** RFC 2308 §5: min(SOA TTL, SOA MINIMUM). */
    long negativeTtl() {
        return negativeTtl;
    }

    /** @return true when the zone carries DNSSEC data (DNSKEY or RRSIG at the apex) */
    public boolean isSigned() {
        return signed;
    }

    /** @return true when the zone is signed with NSEC3 (NSEC3PARAM at the apex) */
    public boolean usesNsec3() {
        return usesNsec3;
    }

    /** @return names held (empty non-terminals included, NSEC3 owners excluded) */
    public int names() {
        return nodeAt.length;
    }

    /** @return records held, RRSIGs and NSEC3 included */
    public int records() {
        return recordCount;
    }

    /** @return octets of the record segment (the wire-format data) */
    public long dataBytes() {
        return data.byteSize();
    }

    /** @return octets held: the record segment, the node columns and the name table */
    public long bytes() {
        return data.byteSize() + 12L * nodeAt.length + 4L * table.length + nsec3Hashes.length + 8L * nsec3At.length;
    }
}
