package dev.isthmus.dns.engine;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.Nsec3Chain;
import dev.isthmus.dns.zone.RRset;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneParseException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One version of a zone as the engine serves it: every name with its RRsets in wire format in an off-heap segment,
 * found by an open-addressed hash table straight from lower-cased query bytes, kept in DNSSEC canonical order
 * (RFC 4034 §6.1) so the NSEC that covers a name is a binary search away; the NSEC3 owners (RFC 5155) by hash in a
 * sorted array. Memory is the zone's wire size plus about 28 octets per name; no Java object per name or record,
 * and the segment is addressed by {@code long}, so no 2 GiB ceiling. Immutable once published, read by any number
 * of threads, freed by the garbage collector with the last reader.
 *
 * <p>Versions share what a change leaves alone (see {@link StoreChange}). Each name has a node id; the columns by
 * id (record offset, flags), the name table and the canonical order are arrays of pages under a small top-level
 * array, so a new version copies the top-level arrays and the few pages it changes. Node records are appended to
 * the end of the segment, which the versions share ({@link Heap}): a version never reads past what it was built
 * with, so a newer version's appends are invisible to an older one's readers.
 *
 * <p>A node record, at {@link #nodeRecord} in {@link #data()} (big-endian):
 * <pre>
 *   u8 owner length L | owner [L] (the zone file's case) | u16 RRsets S | u16 signature sets G
 *   S x RRset (load order), then G x RRSIG set (one per covered type):
 *     u16 TYPE | u16 answer sum (RRSIG set: type covered) | u16 record count | u32 octets of the records
 *     records: u16 CLASS | u32 TTL | u16 RDLENGTH | RDATA (uncompressed, RFC 1035 §3.2.1)
 * </pre>
 *
 * <p>A data RRset's answer sum ({@link #answerSum}) is the Internet-checksum sum (RFC 1071) of its records as a direct
 * answer writes them, so that the engine gives the response's sum without a pass over it (the UDP checksum, RFC
 * 768). It takes the header's word that an RRSIG set needs for its covered type and a data set would repeat its TYPE
 * in: no octet more per RRset.
 */
public final class StoredZone {
    /** Node flags, kept beside the records so the walk down a name's ancestors reads no record. */
    static final int HAS_NS = 1;
    static final int HAS_DNAME = 2;
    static final int HAS_NSEC = 4;
    static final int HAS_SIGNATURES = 8;
    static final int HAS_CNAME = 16;
    /**
     * The flag bits; above them a CNAME node's word holds its linked target ({@link #cnameTarget}), any other node's
     * its wildcard child ({@link #wildcardChild}): 1 + a node id, 0 for none, or {@link #LINK_UNKNOWN}.
     */
    static final int FLAG_MASK = 31;
    static final int TARGET_SHIFT = 5;
    /** The link field's largest value: the wildcard child is not linked (its id does not fit): look it up by name. */
    static final int LINK_UNKNOWN = -1 >>> TARGET_SHIFT;
    /** {@link #wildcardChild}: the node's wildcard child has to be looked up by name. */
    static final int WILDCARD_BY_NAME = -2;

    /** Octets of an RRset header. */
    static final int SET_HEADER = 10;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The name hash's starting value (FNV's offset basis; any odd constant would do). */
    private static final long NAME_HASH_BASIS = 0x811C9DC5L;

    /** Node ids per page of the id columns. */
    static final int ID_BITS = 12;
    static final int ID_MASK = (1 << ID_BITS) - 1;
    /** Slots per page of the name table (two ints a slot: the name's hash, 1 + its node id; 0 empty). */
    static final int SLOT_BITS = 11;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** A name table slot whose name was removed: probes go on past it, an insertion may reuse it. */
    static final int REMOVED = -1;
    /** Node ids per page of the canonical order when built; a page that grows past twice this splits. */
    static final int ORDER_PAGE = 128;

    /** ASCII lower-casing by table (RFC 4343 §3: only A-Z fold). */
    static final byte[] LOWER = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = DnsName.toLower((byte) i);
        }
    }

    /**
     * The segment that a zone's versions share, written only at its end: {@link #take} hands out octets no
     * published version refers to. When it is full a change copies it into a larger one (same offsets).
     */
    static final class Heap {
        final MemorySegment segment;
        private long end;

        Heap(MemorySegment segment, long end) {
            this.segment = segment;
            this.end = end;
        }

        /** @return the offset of {@code bytes} octets no version refers to, or -1 when the segment is full */
        synchronized long take(long bytes) {
            if (end + bytes > segment.byteSize()) {
                return -1;
            }
            long at = end;
            end += bytes;
            return at;
        }

        synchronized long end() {
            return end;
        }

        /**
         * @return a segment's spare room after {@code used} octets: appends until the next copy. An eighth, so the
         *     copies of a growing zone stay amortised; no fixed minimum, which 10 000 small zones would each pay
         *     (64 KiB each was 640 MB) while most are never changed — the first change of a small zone copies its
         *     few hundred octets instead.
         */
        static long reserve(long used) {
            return used / 8 + 64;
        }
    }

    /** The parts of a version that are not columns: from the apex, and the NSEC3 chain. */
    record Head(DnsName origin, long serial, long negativeTtl, boolean signed, boolean usesNsec3, int recordCount) {
    }

    /** The NSEC3 chain (RFC 5155 §7.2): SHA-1 hashes side by side, ascending, and each owner's node record. */
    record Chain(boolean present, int iterations, byte[] salt, byte[] hashes, long[] at) {
        static final Chain NONE = new Chain(false, 0, new byte[0], new byte[0], new long[0]);
    }

    private final Head head;
    private final DnsName origin;
    private final byte[] originWire;
    private final int originLabels;
    private final long serial;
    private final long negativeTtl;
    private final boolean signed;
    private final boolean usesNsec3;
    private final Heap heap;
    private final MemorySegment data;
    /** By node id, in pages: the node record's offset (-1 for an id no longer used) and its flags. */
    private final long[][] nodeAt;
    private final int[][] nodeFlags;
    private final int ids;
    /**
     * The name table in pages of {@code 1 << SLOT_BITS} slots, or, while it has fewer slots than a page, one page of
     * just its slots (a small zone's table is a few hundred octets, not a 16 KiB page).
     */
    private final int[][] table;
    private final int mask;
    /** Slots not empty: names and {@link #REMOVED} marks. */
    private final int tableUsed;
    /** Node ids in canonical order, in pages of 1 to {@code 2 * ORDER_PAGE}. */
    private final int[][] order;
    private final int names;
    private final int apex;
    /** Octets of {@link #heap} this version does not refer to (older versions' records): reclaimed by a copy. */
    private final long garbage;
    private final Chain chain;
    private final int nsec3Iterations;
    private final byte[] nsec3Salt;
    private final byte[] nsec3Hashes;
    private final long[] nsec3At;
    private final int recordCount;
    /** Per apex NS record, the node whose addresses positive answers carry (see {@link Assembler#apexNsTargets}). */
    private final long[] apexNsTargets;
    /** The answer bodies that depend on this version alone (apex answers, negative authority), copied per query. */
    private final ApexAnswers apexAnswers;
    /** The node of {@code *.<origin>} (RFC 4592 §2.1.1) in this version, or -1: looked up per version, not query. */
    private final int apexWildcard;
    /**
     * A 64-bit set over the labels one below the apex ({@link #cutLabelBit}): the bit of each such label at or under
     * which a name other than the apex holds NS or DNAME is set, so a clear bit means no cut and no DNAME lies between
     * the apex and any name under that label. Other bits may be set too (labels sharing a bit; a version made by a
     * change keeps the bits of cuts it removed until the zone is next built whole or compacted).
     */
    private final long cutLabels;
    /**
     * By node id, in pages as {@link #nodeFlags} (a page null where no node of it links): for a cut (not the apex),
     * 1 + the node of the name of its first NS record that lies inside the zone, when the version that wrote the cut
     * held that name; else 0 ({@link #glueLink}). Made when a version is built whole, and by a change for each node
     * it writes that is a cut; a later version keeps the links of the cuts it does not write (see {@link #glueLink}),
     * and a node that stops being a cut keeps a link nothing reads until it is a cut again, and written.
     */
    private int[][] glueLinks = NO_LINKS;
    private static final int[][] NO_LINKS = new int[0][];

    StoredZone(Head head, Chain chain, Heap heap, long[][] nodeAt, int[][] nodeFlags, int ids, int[][] table,
               int tableUsed, int[][] order, int names, int apex, long garbage, long cutLabels) {
        this.head = head;
        this.origin = head.origin();
        this.originWire = origin.wire();
        this.originLabels = origin.labelCount();
        this.serial = head.serial();
        this.negativeTtl = head.negativeTtl();
        this.signed = head.signed();
        this.usesNsec3 = head.usesNsec3();
        this.recordCount = head.recordCount();
        this.heap = heap;
        this.data = heap.segment;
        this.nodeAt = nodeAt;
        this.nodeFlags = nodeFlags;
        this.ids = ids;
        this.table = table;
        this.mask = capacity(table) - 1;
        this.tableUsed = tableUsed;
        this.order = order;
        this.names = names;
        this.apex = apex;
        this.garbage = garbage;
        this.chain = chain;
        this.nsec3Iterations = chain.iterations();
        this.nsec3Salt = chain.salt();
        this.nsec3Hashes = chain.hashes();
        this.nsec3At = chain.at();
        this.apexNsTargets = Assembler.apexNsTargets(this);
        this.apexAnswers = ApexAnswers.build(this);
        this.apexWildcard = wildcardOf(originWire);
        this.cutLabels = cutLabels;
    }

    /** Builds the store of a validated zone. */
    public static StoredZone of(Zone zone) {
        List<Node> nodes = new ArrayList<>(zone.nodes());
        Nsec3Chain nsec3 = zone.nsec3Chain();
        List<Map.Entry<byte[], Node>> sha1 = new ArrayList<>();
        if (nsec3 != null) {
            for (var e : nsec3.entries()) {
                if (e.getKey().length == Sha1.LENGTH) {
                    sha1.add(e); // RFC 5155 §11: SHA-1 owners only; no other hash can match or cover
                }
            }
        }
        long size = 0;
        for (Node n : nodes) {
            size += recordSize(n);
        }
        for (var e : sha1) {
            size += recordSize(e.getValue());
        }
        MemorySegment data = Arena.ofAuto().allocate(size + Heap.reserve(size), 8);
        long[] at = new long[nodes.size()];
        int[] flags = new int[nodes.size()];
        int[] hashes = new int[nodes.size()];
        long w = 0;
        int records = 0;
        int apexIndex = -1;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            at[i] = w;
            w = write(data, n, w);
            flags[i] = (n.has(RecordType.NS) ? HAS_NS : 0) | (n.has(RecordType.DNAME) ? HAS_DNAME : 0)
                | (n.has(RecordType.NSEC) ? HAS_NSEC : 0) | (n.has(RecordType.RRSIG) ? HAS_SIGNATURES : 0)
                | (n.has(RecordType.CNAME) ? HAS_CNAME : 0);
            byte[] name = n.name().canonical();
            hashes[i] = hash(name, 0, name.length);
            for (RRset s : n.rrsets()) {
                records += s.records().size();
            }
            for (RRset s : n.allSignatures()) {
                records += s.records().size();
            }
            if (n.name().equals(zone.origin())) {
                apexIndex = i;
            }
        }
        byte[] chainHashes = new byte[sha1.size() * Sha1.LENGTH];
        long[] chainAt = new long[sha1.size()];
        for (int i = 0; i < sha1.size(); i++) {
            for (RRset s : sha1.get(i).getValue().rrsets()) {
                records += s.records().size();
            }
            for (RRset s : sha1.get(i).getValue().allSignatures()) {
                records += s.records().size();
            }
            System.arraycopy(sha1.get(i).getKey(), 0, chainHashes, i * Sha1.LENGTH, Sha1.LENGTH);
            chainAt[i] = w;
            w = write(data, sha1.get(i).getValue(), w);
        }
        Chain chain = nsec3 == null ? Chain.NONE
            : new Chain(true, nsec3.iterations(), nsec3.salt(), chainHashes, chainAt);
        Head head = new Head(zone.origin(), zone.serial(), zone.negativeTtl(), zone.isSigned(), zone.usesNsec3(),
            records);
        return fromColumns(head, chain, new Heap(data, w), at, flags, hashes, apexIndex);
    }

    /**
     * A base version from flat columns: node {@code i} (in canonical order) at {@code nodeAt[i]} of the heap's
     * segment, with {@code flags[i]} (the bits above {@link #FLAG_MASK} ignored: the links are made here) and the hash
     * of its lower-cased name {@code hashes[i]}; the garbage is 0.
     */
    static StoredZone fromColumns(Head head, Chain chain, Heap heap, long[] nodeAt, int[] flags, int[] hashes,
                                  int apex) {
        int n = nodeAt.length;
        long[][] at = new long[Math.max(1, (n + ID_MASK) >>> ID_BITS)][];
        int[][] fl = new int[at.length][];
        for (int p = 0; p < at.length; p++) {
            int from = p << ID_BITS;
            int count = Math.max(0, Math.min(1 << ID_BITS, n - from));
            // the last page holds just its ids: a new id past it grows it (StoreChange.newId)
            at[p] = java.util.Arrays.copyOfRange(nodeAt, from, from + Math.max(1, count));
            fl[p] = java.util.Arrays.copyOfRange(flags, from, from + Math.max(1, count));
            for (int k = 0; k < fl[p].length; k++) {
                fl[p][k] &= FLAG_MASK; // a compaction passes the old version's links, made for the old ids
            }
            if (count == 0) {
                at[p][0] = -1;
            }
        }
        final int originLabels = head.origin().labelCount();
        long cutLabels = 0;
        for (int i = 0; i < n; i++) {
            if ((flags[i] & (HAS_NS | HAS_DNAME)) != 0 && i != apex) {
                cutLabels |= cutLabelBit(heap.segment, nodeAt[i] + 1, originLabels);
            }
        }
        // at most three quarters full (so a probe always meets an empty slot): 8 slots for a 5-name zone
        int[][] table = newTable(Integer.highestOneBit(Math.max(4, n * 4 / 3)) << 1);
        int capacity = capacity(table);
        for (int i = 0; i < n; i++) {
            int slot = hashes[i] & (capacity - 1);
            while (table[slot >>> SLOT_BITS][((slot & SLOT_MASK) << 1) + 1] != 0) {
                slot = (slot + 1) & (capacity - 1);
            }
            table[slot >>> SLOT_BITS][(slot & SLOT_MASK) << 1] = hashes[i];
            table[slot >>> SLOT_BITS][((slot & SLOT_MASK) << 1) + 1] = i + 1;
        }
        int[][] order;
        if (n <= ORDER_PAGE) {
            order = IDENTITY_ORDER[n];
        } else {
            order = new int[(n + ORDER_PAGE - 1) / ORDER_PAGE][];
            for (int p = 0; p < order.length; p++) {
                order[p] = new int[Math.min(ORDER_PAGE, n - p * ORDER_PAGE)];
                for (int k = 0; k < order[p].length; k++) {
                    order[p][k] = p * ORDER_PAGE + k;
                }
            }
        }
        StoredZone zone = new StoredZone(head, chain, heap, at, fl, n, table, n, order, n, apex, 0, cutLabels);
        final MemorySegment data = heap.segment;
        for (int i = 0; i < n; i++) {
            // The pages are this version's own: not yet published.
            if ((flags[i] & HAS_CNAME) != 0) {
                zone.linkCname(i);
            }
            long owner = nodeAt[i] + 1;
            int length = data.get(ValueLayout.JAVA_BYTE, owner - 1) & 0xFF;
            if (length > 2 && data.get(ValueLayout.JAVA_BYTE, owner) == 1
                    && data.get(ValueLayout.JAVA_BYTE, owner + 1) == '*') {
                // A wildcard (RFC 4592 §2.1.1): its parent, which holds it, links to it.
                int parent = zone.nodeOfStored(owner + 2, length - 2);
                if (parent >= 0 && (flags[parent] & HAS_CNAME) == 0) {
                    zone.setLink(parent, i);
                }
            }
        }
        zone.linkGlue(NO_LINKS, IntStream.range(0, n).filter(i -> (flags[i] & HAS_NS) != 0).toArray());
        return zone;
    }

    /**
     * @return the bit of {@link #cutLabels} for the label one below the apex of the wire name at {@code name[at]},
     *     which lies below the apex of a zone whose origin has {@code originLabels} labels (control side)
     */
    static long cutLabelBit(MemorySegment name, long at, int originLabels) {
        int labels = 0;
        for (long p = at; name.get(ValueLayout.JAVA_BYTE, p) != 0;
                p += 1 + (name.get(ValueLayout.JAVA_BYTE, p) & 0xFF)) {
            labels++;
        }
        long p = at;
        for (int l = labels - originLabels - 1; l > 0; l--) {
            p += 1 + (name.get(ValueLayout.JAVA_BYTE, p) & 0xFF);
        }
        int n = Math.min(8, 1 + (name.get(ValueLayout.JAVA_BYTE, p) & 0xFF));
        long word = 0;
        for (int k = 0; k < n; k++) {
            word |= (name.get(ValueLayout.JAVA_BYTE, p + k) & 0xFFL) << (k << 3);
        }
        return 1L << cutLabelIndex(lowerWord(word));
    }

    /**
     * @return the bit index in {@link #cutLabels} of a label given as its first eight octets (its length octet, then
     *     the label's first seven or fewer, lower-cased, zero past the label) as a little-endian word
     */
    private static int cutLabelIndex(long labelWord) {
        return (int) ((labelWord * WORD_MULTIPLIER) >>> 58);
    }

    /**
     * @return whether a cut or a DNAME may lie at or below the label at {@code name[start]} (any case), the label one
     *     below the apex of a name in this zone: false means none does, so every name strictly between the apex and a
     *     name under that label is neither a cut nor a DNAME owner ({@link #cutLabels}). The array holds a word of
     *     room past the label's first octets.
     */
    boolean mayHoldCutUnder(byte[] name, int start) {
        final int n = Math.min(8, 1 + (name[start] & 0xFF));
        final long word = lowerWord((long) WORDS.get(name, start)) & (-1L >>> ((8 - n) << 3));
        return (cutLabels >>> cutLabelIndex(word) & 1) != 0;
    }

    long cutLabels() {
        return cutLabels;
    }

    /**
     * @return the node of the wildcard child {@code *.<node>} (RFC 4592 §2.1.1) in this version, -1 when it holds
     *     none, or {@link #WILDCARD_BY_NAME} when the version does not link it (the node is a CNAME's, whose word
     *     links the target, or the wildcard's id is past the word's room): kept exact by every version — a load,
     *     a compaction and each change ({@link StoreChange}) link the parents whose wildcard children they add,
     *     remove or renumber.
     */
    int wildcardChild(int node) {
        final int word = nodeFlags[node >>> ID_BITS][node & ID_MASK];
        final int link = word >>> TARGET_SHIFT;
        return (word & HAS_CNAME) != 0 || link == LINK_UNKNOWN ? WILDCARD_BY_NAME : link - 1;
    }

    /** @return {@code flags} with its link field set to {@code child}, a node id or -1 (see {@link #FLAG_MASK}) */
    static int withLink(int flags, int child) {
        int link = child < 0 ? 0 : child < LINK_UNKNOWN - 1 ? child + 1 : LINK_UNKNOWN;
        return (flags & FLAG_MASK) | link << TARGET_SHIFT;
    }

    /** Sets the link field of a node of a version being built (see {@link #linkCname}) to {@code child}. */
    private void setLink(int node, int child) {
        int[] page = nodeFlags[node >>> ID_BITS];
        page[node & ID_MASK] = withLink(page[node & ID_MASK], child);
    }

    /**
     * Makes this version's glue links ({@link #glueLink}): those of {@code base} (another version's pages, shared,
     * never written), and for each of {@code nodes} (nodes held by this version) its link in this version — none for
     * a node that is no cut — on pages copied for it (control side; allocates). Only for a version not yet published.
     */
    void linkGlue(int[][] base, int[] nodes) {
        int[][] links = base;
        java.util.BitSet copied = new java.util.BitSet();
        for (int node : nodes) {
            // A node that is no cut (any more) keeps no link.
            int target = node != apex && (flags(node) & (HAS_NS | HAS_CNAME)) == HAS_NS ? glueTargetOf(node) : -1;
            int p = node >>> ID_BITS;
            int index = node & ID_MASK;
            if (target < 0 && (p >= links.length || links[p] == null || index >= links[p].length)) {
                continue; // no link made, none to clear
            }
            if (p >= links.length) {
                links = java.util.Arrays.copyOf(links, nodeAt.length);
            } else if (links == base) {
                links = links.clone();
            }
            if (!copied.get(p)) {
                int length = Math.max(index + 1, nodeAt[p].length);
                links[p] = links[p] == null ? new int[length] : java.util.Arrays.copyOf(links[p],
                    Math.max(length, links[p].length));
                copied.set(p);
            }
            links[p][index] = target + 1;
        }
        glueLinks = links;
    }

    /** @return the pages of this version's glue links, for a version made from it ({@link #linkGlue}) */
    int[][] glueLinkPages() {
        return glueLinks;
    }

    /**
     * @return the node of the name of the first NS record at cut {@code node} that lies inside the zone and is held by
     *     this version, or -1 (control side; allocates)
     */
    private int glueTargetOf(int node) {
        long set = rrset(nodeRecord(node), RecordType.NS);
        if (set < 0) {
            return -1;
        }
        long r = set + SET_HEADER;
        for (int k = 0, n = recordCount(set); k < n; k++) {
            int length = u16(r + 6);
            if (length > 1 && length <= DnsName.MAX_WIRE_LENGTH) {
                byte[] name = data.asSlice(r + 8, length).toArray(ValueLayout.JAVA_BYTE);
                int labels = Names.labelCount(name, 0);
                if (labels >= originLabels) {
                    int suffix = Names.suffix(name, 0, labels, originLabels);
                    if (name.length - suffix == originWire.length
                        && Names.sameIgnoringCase(name, suffix, originWire, 0, originWire.length)) {
                        return node(name, 0, length, hash(name, 0, length));
                    }
                }
            }
            r += 8 + length;
        }
        return -1;
    }

    /**
     * @return for cut {@code node}, the node of the name of its first NS record inside the zone as linked when the
     *     cut was last written ({@link #glueLinks}), or -1 when there is no link. The cut's NS RRset is the one linked
     *     (a change that alters it writes the cut, and links it again), and ids are never reused until a compaction,
     *     which links anew: so the link names that server, and the reader need only check that this version still
     *     holds the node ({@link #nodeRecord} not -1; a name removed since, or added after the cut was written, is
     *     found by name)
     */
    int glueLink(int node) {
        final int[][] links = glueLinks;
        final int p = node >>> ID_BITS;
        final int index = node & ID_MASK;
        if (p >= links.length) {
            return -1;
        }
        final int[] page = links[p];
        return page == null || index >= page.length ? -1 : page[index] - 1;
    }

    /**
     * Links the CNAME at node {@code node} to its target ({@link #cnameTarget}), in place: only for a version being
     * built, whose flag page holding {@code node} no other version shares (control side; allocates).
     */
    void linkCname(int node) {
        int[] page = nodeFlags[node >>> ID_BITS];
        int index = node & ID_MASK;
        page[index] = (page[index] & FLAG_MASK) | (cnameTargetOf(node) + 1) << TARGET_SHIFT;
    }

    /**
     * @return the node of the name the CNAME at {@code node} points to when that name is held by this version and is
     *     the apex or one label below it (so no cut or DNAME can lie between them), else -1; also -1 in a zone at the
     *     root (no suffix to point at) and for an id past the word's room
     */
    private int cnameTargetOf(int node) {
        long record = nodeRecord(node);
        long set = rrset(record, RecordType.CNAME);
        if (set < 0 || recordCount(set) != 1 || originLabels == 0) {
            return -1;
        }
        long r = set + SET_HEADER;
        int length = u16(r + 6);
        if (length < 2 || length > DnsName.MAX_WIRE_LENGTH) {
            return -1;
        }
        byte[] target = data.asSlice(r + 8, length).toArray(ValueLayout.JAVA_BYTE);
        int labels = Names.labelCount(target, 0);
        if (labels < originLabels || labels > originLabels + 1) {
            return -1;
        }
        int suffix = Names.suffix(target, 0, labels, originLabels);
        if (target.length - suffix != originWire.length
            || !Names.sameIgnoringCase(target, suffix, originWire, 0, originWire.length)) {
            return -1;
        }
        int id = node(target, 0, length, hash(target, 0, length));
        return id < (-1 >>> TARGET_SHIFT) - 1 ? id : -1;
    }

    /**
     * @return the node id the CNAME at {@code node} was linked to when this version was built ({@link #linkCname}),
     *     or -1: the target's name held at the apex or one label below it. A later version keeps the link while the
     *     CNAME's node is unchanged, so it stays right only as far as ids are never reused (a removed name's id has
     *     {@link #nodeRecord} -1) and the target's own state is checked by the reader (a cut there, its RRsets).
     */
    int cnameTarget(int node) {
        return (nodeFlags[node >>> ID_BITS][node & ID_MASK] >>> TARGET_SHIFT) - 1;
    }

    /**
     * The canonical order of a base version of {@code n <= ORDER_PAGE} names, {@code {{0, 1, .., n - 1}}}: one page
     * whose ids are in order, the same arrays for every such zone (10 000 small zones would otherwise hold 10 000
     * copies); pages are never written — a change copies the pages it changes ({@link StoreChange}).
     */
    private static final int[][][] IDENTITY_ORDER = new int[ORDER_PAGE + 1][][];

    static {
        IDENTITY_ORDER[0] = new int[0][];
        for (int n = 1; n <= ORDER_PAGE; n++) {
            int[] page = new int[n];
            for (int k = 0; k < n; k++) {
                page[k] = k;
            }
            IDENTITY_ORDER[n] = new int[][] {page};
        }
    }

    /** @return an empty name table of {@code capacity} slots (a power of two): whole pages, or one short page */
    static int[][] newTable(int capacity) {
        return capacity < 1 << SLOT_BITS ? new int[][] {new int[2 * capacity]}
            : new int[capacity >>> SLOT_BITS][2 << SLOT_BITS];
    }

    /** @return the slots of a name table made by {@link #newTable} */
    static int capacity(int[][] table) {
        return table.length == 1 ? table[0].length >>> 1 : table.length << SLOT_BITS;
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
            size += 8 + r.rdata().length; // CLASS, TTL, RDLENGTH, RDATA
        }
        return size;
    }

    private static long write(MemorySegment data, Node n, long at) {
        byte[] owner = n.name().wire();
        data.set(ValueLayout.JAVA_BYTE, at, (byte) owner.length);
        MemorySegment.copy(owner, 0, data, ValueLayout.JAVA_BYTE, at + 1, owner.length);
        at += 1 + owner.length;
        data.set(U16, at, (short) n.rrsets().size());
        data.set(U16, at + 2, (short) n.allSignatures().size());
        at += 4;
        for (RRset s : n.rrsets()) {
            at = writeSet(data, s.records(), s.type(), s.type(), at);
        }
        for (RRset s : n.allSignatures()) {
            at = writeSet(data, s.records(), RecordType.RRSIG, s.records().get(0).coveredType(), at);
        }
        return at;
    }

    static long writeSet(MemorySegment data, java.util.Collection<ResourceRecord> records, int type, int covered,
                         long at) {
        long start = at;
        at += SET_HEADER;
        for (ResourceRecord r : records) {
            data.set(U16, at, (short) r.rrClass());
            data.set(U32, at + 2, (int) r.ttl());
            data.set(U16, at + 6, (short) r.rdata().length);
            MemorySegment.copy(r.rdata(), 0, data, ValueLayout.JAVA_BYTE, at + 8, r.rdata().length);
            at += 8 + r.rdata().length;
        }
        data.set(U16, start, (short) type);
        data.set(U16, start + 2, (short) (type == RecordType.RRSIG ? covered : answerSum(type, records)));
        data.set(U16, start + 4, (short) records.size());
        data.set(U32, start + 6, (int) (at - start - SET_HEADER));
        return at;
    }

    /** The pointer a direct answer owns its records by: the question name, at offset 12 (RFC 1035 §4.1.4). */
    static final int QUESTION_POINTER = 0xC000 | 12;

    /**
     * The Internet-checksum sum (RFC 1071), unfolded, of one record as a direct answer writes it from an even offset:
     * owner {@link #QUESTION_POINTER}, TYPE, CLASS, TTL, RDLENGTH, then the RDATA at {@code rdata[from, from + length)}.
     */
    static long answerRecordSum(int type, int rrClass, long ttl, byte[] rdata, int from, int length) {
        return InternetChecksum.sum(rdata, from, length,
            QUESTION_POINTER + type + rrClass + (ttl >>> 16 & 0xFFFF) + (ttl & 0xFFFF) + length);
    }

    /**
     * The answer sum of a data RRset (see the class comment): its records one after another, each after the owner
     * pointer and TYPE a direct answer puts before the stored CLASS, TTL, RDLENGTH and RDATA, summed as from an even
     * offset and folded. A record after an odd total of RDATA octets starts at an odd offset, its sum swapped
     * ({@link InternetChecksum#placed}).
     */
    static int answerSum(int type, java.util.Collection<ResourceRecord> records) {
        long sum = 0;
        long at = 0;
        for (ResourceRecord r : records) {
            byte[] rdata = r.rdata();
            sum += InternetChecksum.placed(answerRecordSum(type, r.rrClass(), r.ttl(), rdata, 0, rdata.length), at);
            at += 12 + rdata.length;
        }
        return InternetChecksum.fold(sum);
    }

    /** @return the answer sum of the data RRset at {@code set} (see the class comment) */
    int answerSum(long set) {
        return u16(set + 2);
    }

    // ---- reading (every method below is allocation-free) ----

    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Eight octets of the store in {@link #WORDS}' order, for compares against a name in a byte array. */
    private static final ValueLayout.OfLong NATIVE_WORD =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The 64-bit golden-ratio multiplier: one multiply per eight octets spreads every bit upwards. */
    private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;

    /**
     * The hash of a wire name, ignoring ASCII case: eight octets at a time (lower-cased eight at a time too), one
     * multiply each, so a typical name costs two or three dependent multiplies rather than one per octet.
     */
    static int hash(byte[] name, int offset, int length) {
        long h = hashStart(length);
        int i = offset;
        final int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = hashStep(h, lowerWord((long) WORDS.get(name, i)));
        }
        if (i < end) {
            long tail;
            if (i + 8 <= name.length) {
                // The last octets as one word, what lies past them masked off (little-endian: the first octets are
                // the low ones); the engine's name arrays keep a word of room past the longest name for this.
                tail = (long) WORDS.get(name, i) & (-1L >>> ((8 - (end - i)) << 3));
            } else {
                tail = 0;
                for (int shift = 0; i < end; i++, shift += 8) {
                    tail |= (name[i] & 0xFFL) << shift;
                }
            }
            h = hashStep(h, lowerWord(tail));
        }
        return hashEnd(h);
    }

    /**
     * {@link #hash} in steps, for a caller that reads the name's words anyway (the question, as it is lower-cased):
     * start with the wire length, one step per lower-cased little-endian word (the last one zero past the name's
     * end), then the end.
     */
    static long hashStart(int length) {
        return NAME_HASH_BASIS ^ length;
    }

    static long hashStep(long h, long lowerWord) {
        return (h ^ lowerWord) * WORD_MULTIPLIER;
    }

    static int hashEnd(long h) {
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

    /** @return the node id of the wire name at {@code name[offset]} (any case), or -1 */
    int node(byte[] name, int offset, int length, int hash) {
        final int[][] t = table;
        int slot = hash & mask;
        while (true) {
            int[] page = t[slot >>> SLOT_BITS];
            int i = (slot & SLOT_MASK) << 1;
            int v = page[i + 1];
            if (v == 0) {
                return -1;
            }
            if (page[i] == hash && v > 0 && ownerEquals(nodeRecord(v - 1), name, offset, length)) {
                return v - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean ownerEquals(long record, byte[] name, int offset, int length) {
        return (data.get(ValueLayout.JAVA_BYTE, record) & 0xFF) == length
            && octetsEqual(record + 1, name, offset, length);
    }

    /**
     * @return whether the {@code length} octets of the store at {@code at} are those of {@code name[offset]}, ignoring
     *     ASCII case (RFC 4343 §3): a name or a label with its length octet (below 64: never folded)
     */
    boolean octetsEqual(long at, byte[] name, int offset, int length) {
        final MemorySegment d = data;
        // Eight octets a compare, both sides folded to lower case.
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (lowerWord(d.get(NATIVE_WORD, at + i)) != lowerWord((long) WORDS.get(name, offset + i))) {
                return false;
            }
        }
        int rest = length - i;
        if (rest == 0) {
            return true;
        }
        if (at + i + 8 <= d.byteSize() && offset + i + 8 <= name.length) {
            // The last octets as one word each, what lies past them masked off (the store goes on after a name).
            long mask = (1L << (rest << 3)) - 1;
            long x = lowerWord(d.get(NATIVE_WORD, at + i));
            return ((x ^ lowerWord((long) WORDS.get(name, offset + i))) & mask) == 0;
        }
        final byte[] lower = LOWER;
        for (; i < length; i++) {
            if (lower[d.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF] != lower[name[offset + i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #node} for a name stored in this zone's data at {@code at} (an RDATA: a name server's name), read where
     * it is rather than from a copy — {@link #hash} of it taken here, from the store's words.
     *
     * @return the node id of the name (any case), or -1
     */
    int nodeOfStored(long at, int length) {
        final MemorySegment d = data;
        // The words past the name's end are masked off; the last is read octet by octet at the data's very end.
        long h = hashStart(length);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = hashStep(h, lowerWord(d.get(NATIVE_WORD, at + i)));
        }
        if (i < length) {
            h = hashStep(h, lowerWord(storedTail(d, at + i, length - i)));
        }
        final int hash = hashEnd(h);
        final int[][] t = table;
        int slot = hash & mask;
        while (true) {
            int[] page = t[slot >>> SLOT_BITS];
            int j = (slot & SLOT_MASK) << 1;
            int v = page[j + 1];
            if (v == 0) {
                return -1;
            }
            if (page[j] == hash && v > 0 && ownerEqualsStored(nodeRecord(v - 1), at, length)) {
                return v - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** @return the {@code n} (1 to 7) octets at {@code at} as the low octets of a little-endian word */
    private static long storedTail(MemorySegment d, long at, int n) {
        if (at + 8 <= d.byteSize()) {
            return d.get(NATIVE_WORD, at) & (-1L >>> ((8 - n) << 3));
        }
        long w = 0;
        for (int k = 0; k < n; k++) {
            w |= (d.get(ValueLayout.JAVA_BYTE, at + k) & 0xFFL) << (k << 3);
        }
        return w;
    }

    /** {@link #ownerEquals} against a name in this zone's data. */
    private boolean ownerEqualsStored(long record, long at, int length) {
        final MemorySegment d = data;
        if ((d.get(ValueLayout.JAVA_BYTE, record) & 0xFF) != length) {
            return false;
        }
        final long owner = record + 1;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (lowerWord(d.get(NATIVE_WORD, owner + i)) != lowerWord(d.get(NATIVE_WORD, at + i))) {
                return false;
            }
        }
        return i == length || lowerWord(storedTail(d, owner + i, length - i))
            == lowerWord(storedTail(d, at + i, length - i));
    }

    MemorySegment data() {
        return data;
    }

    long[] apexNsTargets() {
        return apexNsTargets;
    }

    ApexAnswers apexAnswers() {
        return apexAnswers;
    }

    /** @return the node of the wildcard one label below the apex ({@code *.<origin>}), or -1 */
    int apexWildcard() {
        return apexWildcard;
    }

    /** @return the node of {@code *.<name>} for the wire name {@code name}, or -1 (control side; allocates) */
    private int wildcardOf(byte[] name) {
        if (name.length + 2 > DnsName.MAX_WIRE_LENGTH) {
            return -1;
        }
        byte[] wildcard = new byte[name.length + 2];
        wildcard[0] = 1;
        wildcard[1] = '*';
        System.arraycopy(name, 0, wildcard, 2, name.length);
        return node(wildcard, 0, wildcard.length, hash(wildcard, 0, wildcard.length));
    }

    /** @return the node ids in canonical order (RFC 4034 §6.1), in pages of at least one id; never changed */
    int[][] order() {
        return order;
    }

    /** @return the node id of the apex */
    int apex() {
        return apex;
    }

    long nodeRecord(int node) {
        return nodeAt[node >>> ID_BITS][node & ID_MASK];
    }

    boolean has(int node, int flag) {
        return (nodeFlags[node >>> ID_BITS][node & ID_MASK] & flag) != 0;
    }

    int flags(int node) {
        return nodeFlags[node >>> ID_BITS][node & ID_MASK];
    }

    // ---- what a new version starts from (see StoreChange) ----

    Head head() {
        return head;
    }

    Chain chain() {
        return chain;
    }

    Heap heap() {
        return heap;
    }

    long[][] nodeAtPages() {
        return nodeAt;
    }

    int[][] flagPages() {
        return nodeFlags;
    }

    int ids() {
        return ids;
    }

    int[][] tablePages() {
        return table;
    }

    int tableUsed() {
        return tableUsed;
    }

    long garbage() {
        return garbage;
    }

    /** @return the owner name of the node record at {@code record} (allocates: control side) */
    DnsName owner(long record) {
        int length = ownerLength(record);
        return DnsName.fromWire(data.asSlice(record + 1, length).toArray(ValueLayout.JAVA_BYTE), 0, length);
    }

    /** @return the octets of the node record at {@code record} */
    long recordBytes(long record) {
        long at = firstSet(record);
        for (int i = 0, n = setCount(record) + signatureSetCount(record); i < n; i++) {
            at = nextSet(at);
        }
        return at - record;
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
        final long counts = record + 1 + ownerLength(record); // the owner's length read once
        long at = counts + 4;
        for (int i = 0, n = u16(counts); i < n; i++) {
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
        return chain.present();
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
        for (int[] page : order) {
            for (int id : page) {
                addRecords(nodeRecord(id), out);
            }
        }
        for (long record : nsec3At) {
            addRecords(record, out);
        }
        return out;
    }

    /**
     * @return the records of {@code owner} (data and signatures; those of an NSEC3 owner too), empty when the name
     *     holds none (allocates: control side, e.g. a REST patch reading the names it changes)
     */
    public List<ResourceRecord> records(DnsName owner) {
        List<ResourceRecord> out = new ArrayList<>();
        byte[] c = owner.canonical();
        int id = node(c, 0, c.length, hash(c, 0, c.length));
        if (id >= 0) {
            addRecords(nodeRecord(id), out);
        } else if (chain.present() && !owner.equals(origin) && owner.parent().equals(origin)) {
            byte[] hashed = Nsec3Chain.base32HexDecode(owner.firstLabel());
            int i = hashed == null || hashed.length != Sha1.LENGTH ? -1 : nsec3(hashed, true);
            if (i >= 0) {
                addRecords(nsec3At[i], out);
            }
        }
        return out;
    }

    /** @return the records at the apex, SOA among them (allocates) */
    public List<ResourceRecord> apexRecordList() {
        List<ResourceRecord> out = new ArrayList<>();
        addRecords(nodeRecord(apex), out);
        return out;
    }

    void addRecords(long record, List<ResourceRecord> out) {
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

    /**
     * The path of {@link ZoneCatalog#apply}: a new version of this zone with {@code deletions} removed and
     * {@code additions} added, sharing every page the change leaves alone (see {@link StoreChange}).
     *
     * @return the new version, or null when the change needs the zone rebuilt whole (NSEC3PARAM, an NSEC3 owner
     *     joining or leaving the name space: see {@link StoreChange})
     * @throws ZoneParseException naming each problem ({@code change:N}); nothing changes then
     */
    StoredZone withChanges(List<ResourceRecord> deletions, List<ResourceRecord> additions)
            throws ZoneParseException {
        return new StoreChange(this).apply(deletions, additions);
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
        return names;
    }

    /** @return records held, RRSIGs and NSEC3 included */
    public int records() {
        return recordCount;
    }

    /** @return octets of the record segment (the wire-format data) */
    public long dataBytes() {
        return data.byteSize();
    }

    /**
     * @return octets held: the record segment (shared with this zone's other versions, its spare room and older
     *     versions' records included), the node columns and the name table
     */
    public long bytes() {
        long columns = 0;
        for (long[] page : nodeAt) {
            columns += 12L * page.length;
        }
        return data.byteSize() + columns + 8L * capacity(table)
            + 4L * names + nsec3Hashes.length + 8L * nsec3At.length;
    }
}
