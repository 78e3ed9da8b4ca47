package dev.isthmus.dns.engine;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ZoneStreamReader;
import dev.isthmus.dns.zone.ZoneStreamReader.Unsupported;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Builds a {@link StoredZone} straight from a stream of records ({@link ZoneStreamReader}), with no Java object per
 * record or per name: names go into one byte arena found through an open-addressed table, records into parallel
 * primitive columns with their RDATA in a second arena; {@link #build} then groups the records by owner (a counting
 * sort), adds the empty non-terminals (RFC 4592 §2.2.2), sorts the names into DNSSEC canonical order (RFC 4034 §6.1)
 * by sorting comparable keys, checks what {@code ZoneValidator} checks, and writes the node records, name table and
 * NSEC3 arrays exactly as {@link StoredZone#of} lays them out from a parsed zone (same order of RRsets, records and
 * names, same duplicates dropped), so the two stores are identical byte for byte.
 *
 * <p>It never reports an error: a zone that breaks a rule (or that it does not handle, such as a name written in two
 * cases) ends in {@link Unsupported}, and the caller loads it through {@code ZoneFileParser}, which words the errors.
 * Single-threaded; one builder per zone.
 */
final class StoreBuilder implements ZoneStreamReader.RecordSink {
    /** Key bit of an RRSIG record: its set is keyed by the type it covers (RFC 4035 §2.2). */
    private static final int SIGNATURE = 1 << 16;

    // Per-name property bits, from the records.
    private static final int P_DATA = 1;
    private static final int P_SIG = 2;
    private static final int P_NSEC3 = 4;
    private static final int P_OTHER_DATA = 8;
    private static final int P_OTHER_SIG = 16;
    private static final int P_DNAME = 32;
    private static final int P_NS = 64;
    private static final int P_NSEC = 128;
    private static final int P_CNAME = 256;

    private final DnsName origin;
    private final byte[] originCanonical;

    // Names: [length][wire in the file's case] in nameBytes at nameAt[id]; table of (hash, id + 1) pairs.
    private byte[] nameBytes;
    private int nameEnd;
    private int[] nameAt;
    private int[] nameHash;
    private int names;
    private int[] table;
    private int lastOwner = -1;

    // Records: owner id, key (type; RRSIG: SIGNATURE | covered), TTL, RDATA at rdataAt[i] up to rdataAt[i + 1].
    private int[] recOwner;
    private int[] recKey;
    private int[] recTtl;
    private int[] rdataAt;
    private byte[] rdataBytes;
    private int records;
    private int soaCount;
    private int soaRecord = -1;
    private boolean hasDname;
    private final byte[] scratch = new byte[DnsName.MAX_WIRE_LENGTH + 1];

    /**
     * @param textLength octets of the zone text, to size the columns once (a record line is ~20 octets); the minima
     *     are small because 10 000 zones of a few records each are loaded one after another (the columns grow)
     */
    StoreBuilder(DnsName origin, int textLength) {
        this.origin = origin;
        this.originCanonical = origin.canonical();
        int records = Math.max(16, textLength / 20);
        recOwner = new int[records];
        recKey = new int[records];
        recTtl = new int[records];
        rdataAt = new int[records + 1];
        rdataBytes = new byte[Math.max(256, textLength / 2)];
        int names = Math.max(16, textLength / 40);
        nameAt = new int[names];
        nameHash = new int[names];
        nameBytes = new byte[Math.max(256, textLength / 2)];
        table = new int[Integer.highestOneBit(names) * 4 * 2];
    }

    /** Reads zone text into a new store with a segment of its own. */
    static StoredZone load(DnsName origin, byte[] text) throws Unsupported {
        return load(origin, text, SegmentSlab.OWN);
    }

    /** Reads zone text into a new store whose segment comes from {@code segments}. */
    static StoredZone load(DnsName origin, byte[] text, SegmentSlab segments) throws Unsupported {
        StoreBuilder b = new StoreBuilder(origin, text.length);
        ZoneStreamReader.read(text, origin, b);
        return b.build(segments);
    }

    @Override
    public void record(byte[] owner, int ownerLength, boolean sameOwner, int type, long ttl, byte[] rdata,
                       int rdataLength) throws Unsupported {
        int id = sameOwner && lastOwner >= 0 ? lastOwner : intern(owner, ownerLength, true);
        lastOwner = id;
        if (type == RecordType.SOA) {
            if (nameLength(id) != originCanonical.length || ++soaCount > 1) {
                throw new Unsupported("SOA not at the apex, or more than one");
            }
            soaRecord = records;
        }
        if (type == RecordType.RRSIG && rdataLength < 2) {
            throw new Unsupported("short RRSIG");
        }
        hasDname |= type == RecordType.DNAME;
        if (records == recOwner.length) {
            int n = records * 2;
            recOwner = Arrays.copyOf(recOwner, n);
            recKey = Arrays.copyOf(recKey, n);
            recTtl = Arrays.copyOf(recTtl, n);
            rdataAt = Arrays.copyOf(rdataAt, n + 1);
        }
        int at = rdataAt[records];
        if ((long) at + rdataLength > Integer.MAX_VALUE - 16) {
            throw new Unsupported("more than 2 GiB of RDATA");
        }
        if (at + rdataLength > rdataBytes.length) {
            rdataBytes = Arrays.copyOf(rdataBytes, (int) Math.min(Integer.MAX_VALUE - 16,
                Math.max((long) rdataBytes.length * 2, at + rdataLength)));
        }
        System.arraycopy(rdata, 0, rdataBytes, at, rdataLength);
        recOwner[records] = id;
        recKey[records] = type == RecordType.RRSIG ? SIGNATURE | ((rdata[0] & 0xFF) << 8) | (rdata[1] & 0xFF) : type;
        recTtl[records] = (int) ttl;
        rdataAt[records + 1] = at + rdataLength;
        records++;
    }

    // ---- names ----

    private int nameLength(int id) {
        return nameBytes[nameAt[id]] & 0xFF;
    }

    private int nameStart(int id) {
        return nameAt[id] + 1;
    }

    /**
     * @return the id of the name {@code wire[0, length)}, added if new (then checked to be in the zone when
     *     {@code checkInZone})
     */
    private int intern(byte[] wire, int length, boolean checkInZone) throws Unsupported {
        int h = StoredZone.hash(wire, 0, length);
        int mask = table.length / 2 - 1;
        int slot = h & mask;
        while (true) {
            int v = table[slot * 2 + 1];
            if (v == 0) {
                break;
            }
            if (table[slot * 2] == h && equalsIgnoreCase(v - 1, wire, length)) {
                if (!Arrays.equals(nameBytes, nameStart(v - 1), nameStart(v - 1) + length, wire, 0, length)) {
                    // The slow path keeps the case of the first record (or the first name below) per name.
                    throw new Unsupported("a name written in two cases");
                }
                return v - 1;
            }
            slot = (slot + 1) & mask;
        }
        if (checkInZone && !inZone(wire, length)) {
            throw new Unsupported("name outside the zone");
        }
        if (names == nameAt.length) {
            nameAt = Arrays.copyOf(nameAt, names * 2);
            nameHash = Arrays.copyOf(nameHash, names * 2);
        }
        if (nameEnd + 1 + length > nameBytes.length) {
            nameBytes = Arrays.copyOf(nameBytes, Math.max(nameBytes.length * 2, nameEnd + 1 + length));
        }
        int id = names++;
        nameAt[id] = nameEnd;
        nameHash[id] = h;
        nameBytes[nameEnd] = (byte) length;
        System.arraycopy(wire, 0, nameBytes, nameEnd + 1, length);
        nameEnd += 1 + length;
        table[slot * 2] = h;
        table[slot * 2 + 1] = id + 1;
        if (names * 2 > mask + 1) {
            rehash((mask + 1) * 2);
        }
        return id;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity * 2];
        for (int id = 0; id < names; id++) {
            int slot = nameHash[id] & (capacity - 1);
            while (t[slot * 2 + 1] != 0) {
                slot = (slot + 1) & (capacity - 1);
            }
            t[slot * 2] = nameHash[id];
            t[slot * 2 + 1] = id + 1;
        }
        table = t;
    }

    /** @return the id of a name already held (any case), or -1 */
    private int find(byte[] wire, int offset, int length) {
        int h = StoredZone.hash(wire, offset, length);
        int mask = table.length / 2 - 1;
        int slot = h & mask;
        while (true) {
            int v = table[slot * 2 + 1];
            if (v == 0) {
                return -1;
            }
            if (table[slot * 2] == h && nameLength(v - 1) == length
                && Names.equalsIgnoreCase(nameBytes, nameStart(v - 1), wire, offset)) {
                return v - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean equalsIgnoreCase(int id, byte[] wire, int length) {
        return nameLength(id) == length && Names.equalsIgnoreCase(nameBytes, nameStart(id), wire, 0);
    }

    /** RFC 1034 §4.2.1: the name is the origin or below it (at a label boundary, case-insensitive). */
    private boolean inZone(byte[] wire, int length) {
        int d = length - originCanonical.length;
        if (d < 0) {
            return false;
        }
        int p = 0;
        while (p < d) {
            p += 1 + (wire[p] & 0xFF);
        }
        if (p != d) {
            return false;
        }
        for (int i = 0; i < originCanonical.length; i++) {
            if (StoredZone.LOWER[wire[d + i] & 0xFF] != originCanonical[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- the store ----

    StoredZone build(SegmentSlab segments) throws Unsupported {
        if (records == 0 || soaCount != 1) {
            throw new Unsupported("no SOA");
        }
        int apexName = find(originCanonical, 0, originCanonical.length);
        int[] props = new int[Math.max(16, names * 2)];
        for (int r = 0; r < records; r++) {
            props[recOwner[r]] |= properties(recKey[r]);
        }
        if (apexName < 0 || (props[apexName] & P_NS) == 0) {
            throw new Unsupported("no NS at the apex");
        }
        int owners = names;
        addEmptyNonTerminals(owners);
        if (names > props.length) {
            props = Arrays.copyOf(props, names);
        }
        if (hasDname) {
            checkNothingBelowDname(owners, props);
        }
        // Records by owner, in file order within each owner (a stable counting sort).
        int[] firstRecord = new int[names + 1];
        int[] byOwner = groupByOwner(firstRecord);
        return build(segments, apexName, props, firstRecord, byOwner);
    }

    /*
     * build() is in parts of a few hundred bytecodes each, compiled one by one: as one method, C2 compiled it with
     * everything it calls inlined, a compilation whose memory (20 MB of compiler arena for this method alone) the
     * JVM keeps pooled for up to five seconds after a bulk load of small zones (perf/RESULTS.md, issue 12).
     */

    /**
     * RFC 4592 §2.2.2: every ancestor of a name, up to the apex, exists; those without data are empty non-terminals.
     * The slow path gives them the case of the name below; a clash of cases is Unsupported.
     */
    private void addEmptyNonTerminals(int owners) throws Unsupported {
        for (int id = 0; id < owners; id++) {
            int length = nameLength(id);
            System.arraycopy(nameBytes, nameStart(id), scratch, 0, length);
            int p = 0;
            while (length - p > originCanonical.length) {
                p += 1 + (scratch[p] & 0xFF);
                int found = find(scratch, p, length - p);
                if (found >= 0) {
                    if (!Arrays.equals(nameBytes, nameStart(found), nameStart(found) + length - p, scratch, p, length)) {
                        throw new Unsupported("a name written in two cases");
                    }
                    break;
                }
                byte[] suffix = Arrays.copyOfRange(scratch, p, length); // once per empty non-terminal: rare
                intern(suffix, suffix.length, false);
            }
        }
    }

    /** RFC 6672 §2.3: nothing below a DNAME. */
    private void checkNothingBelowDname(int owners, int[] props) throws Unsupported {
        for (int id = 0; id < owners; id++) {
            int length = nameLength(id);
            int s = nameStart(id);
            int p = 0;
            while (length - p > originCanonical.length) {
                p += 1 + (nameBytes[s + p] & 0xFF);
                int a = find(nameBytes, s + p, length - p);
                if (a >= 0 && (props[a] & P_DNAME) != 0) {
                    throw new Unsupported("a name below a DNAME");
                }
            }
        }
    }

    /**
     * @param firstRecord filled: each name's first index in the result, and (last entry) the record count
     * @return record indexes grouped by owner, in file order within each owner (a stable counting sort)
     */
    private int[] groupByOwner(int[] firstRecord) {
        for (int r = 0; r < records; r++) {
            firstRecord[recOwner[r] + 1]++;
        }
        for (int id = 0; id < names; id++) {
            firstRecord[id + 1] += firstRecord[id];
        }
        int[] byOwner = new int[records];
        int[] fill = Arrays.copyOf(firstRecord, names);
        for (int r = 0; r < records; r++) {
            byOwner[fill[recOwner[r]]++] = r;
        }
        return byOwner;
    }

    /** The store from the grouped records: nodes in canonical order, the NSEC3 chain, zone-wide facts. */
    private StoredZone build(SegmentSlab segments, int apexName, int[] props, int[] firstRecord, int[] byOwner)
            throws Unsupported {
        // RFC 5155 §7.2: names holding only NSEC3 (and its signatures) are not names of the zone.
        int nodeCount = 0;
        int chainCandidates = 0;
        for (int id = 0; id < names; id++) {
            if (onlyNsec3(props[id])) {
                chainCandidates++;
            } else {
                nodeCount++;
            }
        }
        int[] nodes = new int[nodeCount];
        int[] chain = new int[chainCandidates];
        nodeCount = 0;
        chainCandidates = 0;
        for (int id = 0; id < names; id++) {
            if (onlyNsec3(props[id])) {
                chain[chainCandidates++] = id;
            } else {
                nodes[nodeCount++] = id;
            }
        }
        sortCanonically(nodes);
        // Zone-wide facts from the apex and its SOA.
        byte[] soa = rdata(soaRecord);
        int serialAt = RdataLayout.nameEnd(soa, RdataLayout.nameEnd(soa, 0));
        long serial = u32(soa, serialAt);
        long negativeTtl = Math.min(recTtl[soaRecord] & 0xFFFFFFFFL, u32(soa, soa.length - 4));
        boolean apexDnskey = false;
        int nsec3param = -1;
        for (int k = firstRecord[apexName]; k < firstRecord[apexName + 1]; k++) {
            int r = byOwner[k];
            apexDnskey |= recKey[r] == RecordType.DNSKEY;
            if (recKey[r] == RecordType.NSEC3PARAM && nsec3param < 0) {
                nsec3param = r;
            }
        }
        boolean signed = apexDnskey || (props[apexName] & P_SIG) != 0;
        boolean usesNsec3 = nsec3param >= 0;
        // The NSEC3 chain (as Nsec3Chain.of): SHA-1 parameters at the apex, owners one label below it.
        byte[] param = nsec3param >= 0 ? rdata(nsec3param) : null;
        boolean hasChain = param != null && (param[0] & 0xFF) == 1;
        int iterations = hasChain ? ((param[2] & 0xFF) << 8) | (param[3] & 0xFF) : 0;
        byte[] salt = hasChain ? Arrays.copyOfRange(param, 5, 5 + (param[4] & 0xFF)) : new byte[0];
        ChainOrder chainOrder = hasChain ? chainOrder(chain, chainCandidates) : ChainOrder.NONE;
        return write(segments, apexName, props, firstRecord, byOwner, nodes, chainOrder.names(),
            hasChain ? new StoredZone.Chain(true, iterations, salt, chainOrder.hashes(), null) : StoredZone.Chain.NONE,
            new StoredZone.Head(origin, serial, negativeTtl, signed, usesNsec3, 0));
    }

    /** The NSEC3 owners kept (as {@code Nsec3Chain.of}) in hash order, and their hashes side by side. */
    private record ChainOrder(int[] names, byte[] hashes) {
        static final ChainOrder NONE = new ChainOrder(new int[0], new byte[0]);
    }

    /** RFC 5155 §7.2: the owners one label below the apex whose label is a base32hex SHA-1 hash, by hash. */
    private ChainOrder chainOrder(int[] chain, int chainCandidates) throws Unsupported {
        byte[] all = new byte[chainCandidates * Sha1.LENGTH];
        int[] kept = new int[chainCandidates];
        int n = 0;
        for (int c = 0; c < chainCandidates; c++) {
            int id = chain[c];
            int s = nameStart(id);
            int labelLength = nameBytes[s] & 0xFF;
            if (nameLength(id) - 1 - labelLength == originCanonical.length
                && base32HexSha1(nameBytes, s + 1, labelLength, all, n * Sha1.LENGTH)) {
                kept[n++] = id;
            }
        }
        Integer[] order = new Integer[n]; // one per NSEC3 owner: a signed zone's chain, sorted once
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final byte[] h = all;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(h, a * Sha1.LENGTH, (a + 1) * Sha1.LENGTH, h,
            b * Sha1.LENGTH, (b + 1) * Sha1.LENGTH));
        int[] chainNames = new int[n];
        byte[] hashes = new byte[n * Sha1.LENGTH];
        for (int i = 0; i < n; i++) {
            chainNames[i] = kept[order[i]];
            System.arraycopy(all, order[i] * Sha1.LENGTH, hashes, i * Sha1.LENGTH, Sha1.LENGTH);
            if (i > 0 && Arrays.equals(hashes, (i - 1) * Sha1.LENGTH, i * Sha1.LENGTH, hashes, i * Sha1.LENGTH,
                (i + 1) * Sha1.LENGTH)) {
                throw new Unsupported("two NSEC3 owners with one hash");
            }
        }
        return new ChainOrder(chainNames, hashes);
    }

    /**
     * Writes the node records, in canonical order, then the chain's, into a segment from {@code segments}.
     *
     * @param chain the chain's parameters and hashes, its offsets still to come
     * @param head  the zone-wide facts, its record count still to come
     */
    private StoredZone write(SegmentSlab segments, int apexName, int[] props, int[] firstRecord, int[] byOwner,
                             int[] nodes, int[] chainNames, StoredZone.Chain chain, StoredZone.Head head)
            throws Unsupported {
        int nodeCount = nodes.length;
        // Node records, in canonical order, then the chain's.
        // At most: every record in a set of its own, every name a node (duplicates make it less).
        Writer w = new Writer(Math.max(64, rdataAt[records] + 18L * records + nameEnd + 4L * names));
        long[] nodeAt = new long[nodeCount];
        int[] nodeFlags = new int[nodeCount];
        int recordCount = 0;
        int apex = -1;
        for (int i = 0; i < nodeCount; i++) {
            int id = nodes[i];
            nodeAt[i] = w.at;
            recordCount += w.node(id, byOwner, firstRecord[id], firstRecord[id + 1]);
            int p = props[id];
            nodeFlags[i] = ((p & P_NS) != 0 ? StoredZone.HAS_NS : 0) | ((p & P_DNAME) != 0 ? StoredZone.HAS_DNAME : 0)
                | ((p & P_NSEC) != 0 ? StoredZone.HAS_NSEC : 0) | ((p & P_SIG) != 0 ? StoredZone.HAS_SIGNATURES : 0)
                | ((p & P_CNAME) != 0 ? StoredZone.HAS_CNAME : 0);
            if (id == apexName) {
                apex = i;
            }
        }
        long[] nsec3At = new long[chainNames.length];
        for (int i = 0; i < chainNames.length; i++) {
            int id = chainNames[i];
            nsec3At[i] = w.at;
            recordCount += w.node(id, byOwner, firstRecord[id], firstRecord[id + 1]); // counted, as StoredZone.of does
        }
        // Spare room after the records: the zone's later versions append their changed nodes there (StoredZone.Heap);
        // none in a shared slab, whose zones are mostly never changed (the first change copies the zone out of it).
        MemorySegment data = segments.allocate(w.at + (segments.shared() ? 0 : StoredZone.Heap.reserve(w.at)));
        MemorySegment.copy(w.out, 0, data, ValueLayout.JAVA_BYTE, 0, (int) w.at);
        int[] nodeHashes = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            nodeHashes[i] = nameHash[nodes[i]];
        }
        StoredZone.Chain nsec3Chain = chain.present()
            ? new StoredZone.Chain(true, chain.iterations(), chain.salt(), chain.hashes(), nsec3At)
            : StoredZone.Chain.NONE;
        StoredZone.Head counted = new StoredZone.Head(head.origin(), head.serial(), head.negativeTtl(), head.signed(),
            head.usesNsec3(), recordCount);
        return StoredZone.fromColumns(counted, nsec3Chain, new StoredZone.Heap(data, w.at), nodeAt, nodeFlags,
            nodeHashes, apex);
    }

    private static int properties(int key) {
        if ((key & SIGNATURE) != 0) {
            return P_SIG | ((key & 0xFFFF) == RecordType.NSEC3 ? 0 : P_OTHER_SIG);
        }
        return P_DATA | switch (key) {
            case RecordType.NSEC3 -> P_NSEC3;
            case RecordType.DNAME -> P_DNAME | P_OTHER_DATA;
            case RecordType.NS -> P_NS | P_OTHER_DATA;
            case RecordType.NSEC -> P_NSEC | P_OTHER_DATA;
            case RecordType.CNAME -> P_CNAME | P_OTHER_DATA;
            default -> P_OTHER_DATA;
        };
    }

    /** As {@code Node.isOnlyNsec3}: an NSEC3 RRset and nothing else but signatures over NSEC3. */
    private static boolean onlyNsec3(int p) {
        return (p & P_NSEC3) != 0 && (p & (P_OTHER_DATA | P_OTHER_SIG)) == 0;
    }

    private byte[] rdata(int r) {
        return Arrays.copyOfRange(rdataBytes, rdataAt[r], rdataAt[r + 1]);
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    /** As {@code Nsec3Chain.base32HexDecode}, keeping only labels that decode to exactly a SHA-1 hash. */
    private static boolean base32HexSha1(byte[] label, int offset, int length, byte[] out, int at) {
        if (length * 5 / 8 != Sha1.LENGTH) {
            return false;
        }
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = offset; i < offset + length; i++) {
            int c = Character.toLowerCase((char) (label[i] & 0xFF));
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'v' ? c - 'a' + 10 : -1;
            if (v < 0) {
                return false;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[at + o++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return o == Sha1.LENGTH;
    }

    // ---- canonical order (RFC 4034 §6.1) ----

    /**
     * Sorts name ids into canonical order. Each name gets a key of its lower-cased labels from the root, each label
     * followed by a zero octet: comparing keys as unsigned octet strings is then the canonical comparison (a label
     * that is a prefix of another sorts first, so does a name that is an ancestor). A label holding a zero octet
     * would break that: Unsupported (such zones take the slow path).
     */
    private void sortCanonically(int[] ids) throws Unsupported {
        int n = ids.length;
        int[] keyAt = new int[names + 1];
        long total = 0;
        for (int id = 0; id < names; id++) {
            total += nameLength(id);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new Unsupported("names too large to sort");
        }
        byte[] keys = new byte[(int) total];
        int[] labelAt = new int[128];
        int k = 0;
        for (int id = 0; id < names; id++) {
            keyAt[id] = k;
            int s = nameStart(id);
            int labels = 0;
            for (int p = s; nameBytes[p] != 0; p += 1 + (nameBytes[p] & 0xFF)) {
                labelAt[labels++] = p;
            }
            for (int l = labels - 1; l >= 0; l--) {
                int p = labelAt[l];
                int length = nameBytes[p] & 0xFF;
                for (int i = 1; i <= length; i++) {
                    byte b = StoredZone.LOWER[nameBytes[p + i] & 0xFF];
                    if (b == 0) {
                        throw new Unsupported("a zero octet in a label");
                    }
                    keys[k++] = b;
                }
                keys[k++] = 0;
            }
        }
        keyAt[names] = k;
        int[] tmp = new int[n];
        mergeSort(ids, tmp, 0, n, keys, keyAt);
    }

    private static void mergeSort(int[] a, int[] tmp, int from, int to, byte[] keys, int[] keyAt) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && compareKeys(a[j], v, keys, keyAt) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, keys, keyAt);
        mergeSort(a, tmp, mid, to, keys, keyAt);
        if (compareKeys(a[mid - 1], a[mid], keys, keyAt) <= 0) {
            return; // already in order: zone files are often written sorted
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int o = from; o < to; o++) {
            if (j >= to || i < mid && compareKeys(tmp[i], tmp[j], keys, keyAt) <= 0) {
                a[o] = tmp[i++];
            } else {
                a[o] = tmp[j++];
            }
        }
    }

    private static int compareKeys(int x, int y, byte[] keys, int[] keyAt) {
        return Arrays.compareUnsigned(keys, keyAt[x], keyAt[x + 1], keys, keyAt[y], keyAt[y + 1]);
    }

    // ---- node records (the layout of StoredZone's class comment) ----

    /** Writes node records into a growing heap buffer, copied once into the zone's segment. */
    private final class Writer {
        byte[] out;
        long at;
        private int[] setKeys = new int[16];
        private int[] keep = new int[64];

        Writer(long estimate) {
            out = new byte[(int) Math.min(Integer.MAX_VALUE - 16, estimate)];
        }

        private void ensure(long more) throws Unsupported {
            if (at + more > Integer.MAX_VALUE - 16) {
                throw new Unsupported("a store above 2 GiB"); // the slow path's store has no such limit
            }
            if (at + more > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(out.length * 2L, at + more)));
            }
        }

        private void u16(int v) {
            out[(int) at] = (byte) (v >>> 8);
            out[(int) at + 1] = (byte) v;
            at += 2;
        }

        private void u32(int v) {
            out[(int) at] = (byte) (v >>> 24);
            out[(int) at + 1] = (byte) (v >>> 16);
            out[(int) at + 2] = (byte) (v >>> 8);
            out[(int) at + 3] = (byte) v;
            at += 4;
        }

        /**
         * One node: owner, then its data RRsets in the order their types first appear, then its signature sets in
         * the order their covered types first appear; records in file order, duplicates (same RDATA, RFC 2181 §5)
         * after the first dropped.
         *
         * @return records written
         */
        int node(int id, int[] byOwner, int from, int to) throws Unsupported {
            int length = nameLength(id);
            ensure(1 + length + 4);
            out[(int) at] = (byte) length;
            System.arraycopy(nameBytes, nameStart(id), out, (int) at + 1, length);
            at += 1 + length;
            long counts = at;
            at += 4;
            int sets = 0;
            for (int k = from; k < to; k++) {
                int key = recKey[byOwner[k]];
                boolean seen = false;
                for (int s = 0; s < sets && !seen; s++) {
                    seen = setKeys[s] == key;
                }
                if (!seen) {
                    if (sets == setKeys.length) {
                        setKeys = Arrays.copyOf(setKeys, sets * 2);
                    }
                    setKeys[sets++] = key;
                }
            }
            int dataSets = 0;
            int written = 0;
            boolean cname = false;
            boolean otherThanCname = false;
            for (int pass = 0; pass < 2; pass++) { // data sets first, then signature sets
                for (int s = 0; s < sets; s++) {
                    int key = setKeys[s];
                    if (((key & SIGNATURE) != 0) != (pass == 1)) {
                        continue;
                    }
                    int n = distinct(key, byOwner, from, to);
                    if (pass == 0) {
                        dataSets++;
                        if (key == RecordType.CNAME) {
                            cname = true;
                            if (n > 1) {
                                throw new Unsupported("more than one CNAME");
                            }
                        } else if (key != RecordType.NSEC) {
                            otherThanCname = true;
                        }
                        if (key == RecordType.DNAME && n > 1) {
                            throw new Unsupported("more than one DNAME");
                        }
                    }
                    written += n;
                    set(key, n);
                }
            }
            if (cname && otherThanCname) {
                throw new Unsupported("CNAME and other data");
            }
            out[(int) counts] = (byte) (dataSets >>> 8);
            out[(int) counts + 1] = (byte) dataSets;
            out[(int) counts + 2] = (byte) ((sets - dataSets) >>> 8);
            out[(int) counts + 3] = (byte) (sets - dataSets);
            return written;
        }

        /** Fills {@link #keep} with the records of set {@code key} that are not duplicates; @return how many */
        private int distinct(int key, int[] byOwner, int from, int to) {
            int n = 0;
            // Beyond a few dozen records at one name, pairwise compares would be quadratic: hash the RDATA instead
            // (a buffer per record of such a set, dropped after it).
            java.util.Set<java.nio.ByteBuffer> seen = to - from > 64 ? new java.util.HashSet<>() : null;
            for (int k = from; k < to; k++) {
                int r = byOwner[k];
                if (recKey[r] != key) {
                    continue;
                }
                boolean duplicate = false;
                int length = rdataAt[r + 1] - rdataAt[r];
                if (seen != null) {
                    duplicate = !seen.add(java.nio.ByteBuffer.wrap(rdataBytes, rdataAt[r], length));
                }
                for (int j = 0; seen == null && j < n && !duplicate; j++) {
                    int q = keep[j];
                    duplicate = rdataAt[q + 1] - rdataAt[q] == length && Arrays.equals(rdataBytes, rdataAt[q],
                        rdataAt[q + 1], rdataBytes, rdataAt[r], rdataAt[r + 1]);
                }
                if (!duplicate) {
                    if (n == keep.length) {
                        keep = Arrays.copyOf(keep, n * 2);
                    }
                    keep[n++] = r;
                }
            }
            return n;
        }

        /** Writes the set of {@code key} from the {@code n} records in {@link #keep}. */
        private void set(int key, int n) throws Unsupported {
            boolean signature = (key & SIGNATURE) != 0;
            long size = StoredZone.SET_HEADER;
            for (int j = 0; j < n; j++) {
                size += 8 + rdataAt[keep[j] + 1] - rdataAt[keep[j]];
            }
            ensure(size);
            u16(signature ? RecordType.RRSIG : key);
            // An RRSIG set's covered type; a data set's answer sum (StoredZone's class comment).
            u16(signature ? key & 0xFFFF : answerSum(key, n));
            u16(n);
            u32((int) (size - StoredZone.SET_HEADER));
            for (int j = 0; j < n; j++) {
                int r = keep[j];
                int length = rdataAt[r + 1] - rdataAt[r];
                u16(dev.isthmus.dns.wire.DnsClass.IN);
                u32(recTtl[r]);
                u16(length);
                System.arraycopy(rdataBytes, rdataAt[r], out, (int) at, length);
                at += length;
            }
        }

        /** {@link StoredZone#answerSum} of the data set of {@code type} from the {@code n} records in {@link #keep}. */
        private int answerSum(int type, int n) {
            long sum = 0;
            long offset = 0;
            for (int j = 0; j < n; j++) {
                int r = keep[j];
                int length = rdataAt[r + 1] - rdataAt[r];
                sum += InternetChecksum.placed(StoredZone.answerRecordSum(type,
                    dev.isthmus.dns.wire.DnsClass.IN, recTtl[r] & 0xFFFF_FFFFL, rdataBytes, rdataAt[r], length),
                    offset);
                offset += 12 + length;
            }
            return InternetChecksum.fold(sum);
        }
    }
}
