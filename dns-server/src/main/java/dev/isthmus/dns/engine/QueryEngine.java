package dev.isthmus.dns.engine;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Answers one DNS query in place: the buffer holding the query becomes the response.
 *
 * <p>One instance per thread (it keeps scratch state); all instances share a {@link ZoneCatalog}. The common path —
 * parse the header and question, one or two hash lookups, copy an RRset from the store or a zone's precomputed body
 * ({@link ApexAnswers}) and move a few pointers — allocates nothing and takes no lock. The steps follow NSD's {@code query_process}: each guard returns its outcome.
 *
 * <p>Usage from a transport: receive a datagram into {@code buf} at {@code offset}, call
 * {@link #answer(MemorySegment, long, int, int, int)}, send {@code result} bytes from {@code offset} when the
 * result is positive, send nothing when it is {@link #DROP}.
 */
public final class QueryEngine {
    /** Returned when the packet gets no response (too short to be DNS, or itself a response). */
    public static final int DROP = -1;
    /**
     * Returned by {@link #answer(MemorySegment, long, int, int, int, boolean)} asked to answer only a query it reads
     * whole, for one it does not: nothing written, the message as received.
     */
    public static final int UNREAD = -2;
    /** {@code transportLimit} for stream transports (TCP, RFC 7766): no datagram size rules apply. */
    public static final int STREAM = 65535;
    /**
     * The UDP payload size we advertise and never exceed (RFC 6891 §6.2.5); 1232 avoids fragmentation on the
     * IPv6 minimum MTU, the value NSD, Knot and the 2020 DNS flag day chose.
     */
    public static final int EDNS_UDP_SIZE = 1232;
    /** RFC 1035 §4.2.1: without EDNS a UDP response carries at most 512 octets. */
    public static final int CLASSIC_UDP_SIZE = 512;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LE_WORD =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int OPT_LENGTH = 11;
    /** The first eight octets of our OPT record with extended RCODE 0: root owner, TYPE 41, CLASS 1232. */
    private static final long OPT_HEAD = (long) RecordType.OPT << 40 | (long) EDNS_UDP_SIZE << 24;
    /** {@link #lastSum()} when the engine did not take the response's sum (the caller sums the response). */
    public static final int NO_SUM = -1;
    /** RFC 8914 §2: option code 15, length 2, INFO-CODE 20 "Not Authoritative". */
    private static final int EDE_NOT_AUTHORITATIVE_LENGTH = 6;

    /** Eight octets of a byte array as one long (any order: lower-casing works octet by octet, RFC 4343 §3). */
    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ZoneCatalog catalog;

    // Scratch for the query being answered; owned by the calling thread.
    /** Room for whole words past the longest name: the question is lower-cased eight octets at a time. */
    private final byte[] qname = new byte[DnsName.MAX_WIRE_LENGTH + 8];
    /** Scratch for the wildcard name a direct answer looks up. */
    private final byte[] wildcard = new byte[DnsName.MAX_WIRE_LENGTH + 8];
    private final int[] labelStarts = new int[128];
    /** Scratch for the CNAME target a direct answer follows (room for whole-word compares past it) and its labels. */
    private final byte[] target = new byte[DnsName.MAX_WIRE_LENGTH + 8];
    private final int[] targetStarts = new int[128];
    /** {@link #cnameTargetByName}'s compression of the target: octets written in full, then the pointer (0: none). */
    private int targetPrefix;
    private short targetPointer;
    private int qnameLength;
    /**
     * The Internet-checksum sum (RFC 1071, unfolded) of the question as it stands in the message — name in the
     * client's case, QTYPE, QCLASS — from offset 12, taken as the name is read.
     */
    private long questionSum;
    /** {@link #optSum} of a direct answer's OPT record (extended RCODE 0, the query's DO), once per query. */
    private long optWords;
    /**
     * The Internet-checksum sum (RFC 1071, unfolded) of the query's OPT record as it stands in the message, taken as
     * it is parsed; 0 without one.
     */
    private long queryOptSum;
    /** {@link #lastQuerySum()}: the last query's sum after its ID, or {@link #NO_SUM}. */
    private int lastQuerySum;
    /** The current call answers only a query whose parse reads every octet ({@link #UNREAD} otherwise). */
    private boolean wholeOnly;
    /** {@link #lastSum()}: the last response's sum after its ID, or {@link #NO_SUM}. */
    private int lastSum;
    /** {@link StoredZone#hash} of {@link #qname}, computed as it is read. */
    private int qnameHash;
    private int labelCount;
    private int qtype;
    private int qclass;
    private boolean edns;
    private boolean dnssecOk;
    private int ednsVersion;
    private int ednsPayload;
    private boolean tsig;
    private int lastRcode;
    /** REFUSED because no served zone holds the name: carries Extended DNS Error 20 with EDNS. */
    private boolean notAuthoritative;
    /** The serial of an IXFR query's SOA (RFC 1995 §3). */
    private long ixfrSerial;
    /** Set TC whatever fits: an IXFR over UDP the client must repeat over TCP. */
    private boolean forceTruncated;
    /** RFC 2136 §2.2: NOTAUTH, not authoritative for the zone named. */
    private static final int NOTAUTH = 9;
    private final Assembler assembler = new Assembler();
    /** The zone {@link #directAnswer} found for the question in this snapshot, or {@link Assembler#UNKNOWN_ZONE}. */
    private int foundZone;
    /** The question's node {@link #directAnswer} found in {@link #foundZone} (-1: none), or
     * {@link Assembler#UNKNOWN_NODE}. */
    private int foundNode;
    /** Whether {@link #directAnswer} may answer; off only in tests, which compare its bytes with the general path's. */
    boolean directAnswers = true;
    /** Answers given by {@link #directAnswer} (for tests). */
    long directAnswered;
    /** Of those, referrals (for tests). */
    long directReferrals;
    /** Name servers of referrals whose node came from the cut's link (for tests). */
    long linkedGlue;
    /** The cut {@link #cutBetween} found. */
    private int cutNode;
    /** The name's parent, when {@link #cutBetween} found no cut: the last ancestor it looked up. */
    private int cutParent;
    /** More name servers than this in a referral: the general path answers it. */
    private static final int MAX_REFERRAL_TARGETS = ResponseWriter.RDATA_SITES;
    /** How a referral's name servers' names are compressed. */
    private final LabelCompression nsCompression = new LabelCompression();
    /** Per name server inside the zone (a referral's) or of the apex NS (a full answer): its node record. */
    private final long[] targetRecords = new long[MAX_REFERRAL_TARGETS];
    /** Per name server: the pointer to its name in the NS RDATA, which owns its addresses. */
    private final short[] targetPointers = new short[MAX_REFERRAL_TARGETS];
    /** Of those, CNAME answers (for tests). */
    long directCnames;
    /** Of those, the ones whose target came from the zone version's link (for tests). */
    long linkedCnames;
    /** Questions whose wildcard (RFC 4592 §3.3.1) came from its parent's link in the zone version (for tests). */
    long linkedWildcards;
    private final ResponseWriter writer = new ResponseWriter();
    /** The zone index {@link #directAnswer} found last, and {@link CatalogSnapshot#number} of its snapshot. */
    private int zoneHint = -1;
    private long hintSnapshot;
    /** The catalog slot of {@link #zoneHint} and its generation in that snapshot (what a direct answer reports). */
    private int hintSlot;
    private long hintGeneration;
    /** The catalog slot and its generation the last answer was made from (for the packet cache). */
    private int lastSlot;
    private long lastGeneration;

    /** An engine giving minimal responses (the default of the appliance and of {@code ./isthmus dns}). */
    public QueryEngine(ZoneCatalog catalog) {
        this(catalog, true);
    }

    /**
     * @param minimalResponses true: authority and additional data only where an answer needs them (referrals with
     *     glue, negative answers with the SOA, addresses of NS targets), as Knot and NSD with
     *     {@code minimal-responses: yes}; false: also the zone's NS RRset in the authority of positive answers and the
     *     addresses of NS, MX and SRV targets in additional, as NSD by default. Fixed for the engine's life: a packet
     *     cache filled from it never holds answers of the other kind.
     */
    public QueryEngine(ZoneCatalog catalog, boolean minimalResponses) {
        this.catalog = catalog;
        this.assembler.minimalResponses = minimalResponses;
    }

    /**
     * Answers the query in {@code buf[offset, offset + queryLength)}, writing the response over it.
     *
     * @param capacity bytes available from {@code offset} for the response (at least {@code queryLength})
     * @param transportLimit for datagram transports the largest UDP payload the path can send (the engine further
     *     applies 512 or the client's EDNS size and {@link #EDNS_UDP_SIZE}); {@link #STREAM} for TCP
     * @return the response length, or {@link #DROP}
     */
    public int answer(MemorySegment buf, long offset, int queryLength, int capacity, int transportLimit) {
        return answer(buf, offset, queryLength, capacity, transportLimit, false);
    }

    /**
     * As {@link #answer(MemorySegment, long, int, int, int)}; with {@code wholeOnly}, only a query whose parse reads
     * every octet of the message (header, one question, at most an OPT record, nothing after it) is answered, and
     * {@link #lastQuerySum()} then gives the sum of the octets read: for a datagram transport that verifies the
     * query's UDP checksum (RFC 768) from the parse instead of a pass of its own, after the answer (the response
     * is written over the query). Any other query — malformed, another opcode, answer or authority records, TSIG,
     * octets after the last record — returns {@link #UNREAD} with nothing written, before anything is, so that the
     * caller can sum the query itself and call again.
     */
    public int answer(MemorySegment buf, long offset, int queryLength, int capacity, int transportLimit,
                      boolean wholeOnly) {
        lastRcode = -1;
        lastSum = NO_SUM;
        lastQuerySum = NO_SUM;
        this.wholeOnly = wholeOnly;
        if (queryLength < Header.LENGTH) {
            return DROP; // not even a header: nothing to answer to
        }
        final int flags = u16(buf, offset + Header.FLAGS_OFFSET);
        if ((flags & Header.FLAG_QR) != 0) {
            return DROP; // a response; answering it could start a loop between servers
        }
        final int keptFlags = flags & (Header.OPCODE_MASK | Header.FLAG_RD);
        if ((flags & Header.OPCODE_MASK) != Header.OPCODE_QUERY << Header.OPCODE_SHIFT) {
            return error(buf, offset, keptFlags, Rcode.NOTIMP); // RFC 1035 §4.1.1: only QUERY is implemented
        }
        // RFC 1035 §4.1.2: one question; NSD and Knot answer FORMERR to anything else, and to records in answer or
        // authority of a query. (TC in a query is ignored, as NSD 4.6 does.)
        // QDCOUNT, ANCOUNT, NSCOUNT and ARCOUNT in one load.
        final long counts = buf.get(U64, offset + Header.QDCOUNT_OFFSET);
        final int nscount = (int) (counts >>> 16) & 0xFFFF;
        if ((counts >>> 32) != 1L << 16 || nscount > 1) { // QDCOUNT 1, ANCOUNT 0
            return error(buf, offset, keptFlags, Rcode.FORMERR);
        }
        final long end = offset + queryLength;
        final long questionEnd = parseQuestion(buf, offset + Header.LENGTH, end, Math.max(end, offset + capacity));
        if (questionEnd < 0 || (nscount == 1 && qtype != RecordType.IXFR)) {
            return error(buf, offset, keptFlags, Rcode.FORMERR); // only IXFR carries an authority record
        }
        // RFC 1995 §3: an IXFR query carries the client's SOA in the authority section.
        final long authorityEnd = nscount == 1 ? parseClientSoa(buf, offset, questionEnd, end) : questionEnd;
        final int arcount = (int) counts & 0xFFFF;
        final long additionalEnd = authorityEnd < 0 ? -1 : parseAdditional(buf, offset, authorityEnd, end, arcount);
        if (additionalEnd < 0) {
            return error(buf, offset, keptFlags, Rcode.FORMERR);
        }
        if (additionalEnd == end && nscount == 0 && !tsig) {
            // Every octet read: after the ID, FLAGS, the counts (QDCOUNT 1, ANCOUNT 0, NSCOUNT 0), the question and
            // the OPT record if any.
            lastQuerySum = InternetChecksum.fold(flags + 1 + arcount + questionSum + queryOptSum);
        } else if (wholeOnly) {
            return UNREAD;
        }
        if (tsig) {
            return error(buf, offset, keptFlags, Rcode.REFUSED); // RFC 8945: we hold no TSIG keys
        }
        if (edns && ednsVersion > 0) {
            return badVersion(buf, offset, questionEnd, keptFlags); // RFC 6891 §6.1.3
        }
        if (qtype == RecordType.OPT) {
            return error(buf, offset, keptFlags, Rcode.FORMERR); // RFC 6891 §6.1.1: OPT is never a QTYPE
        }
        final CatalogSnapshot snapshot = catalog.snapshot();
        foundZone = Assembler.UNKNOWN_ZONE;
        foundNode = Assembler.UNKNOWN_NODE;
        notAuthoritative = false;
        forceTruncated = false;
        if (qclass == DnsClass.CH) {
            // No id.server / version.bind (RFC 4892): refused with the question, as NSD with hide-* set.
            assembler.reset(Rcode.REFUSED);
        } else if (qclass != DnsClass.IN && qclass != DnsClass.ANY) {
            return error(buf, offset, keptFlags, Rcode.REFUSED); // only class IN is served (NSD's form)
        } else if (qtype == RecordType.IXFR && nscount == 1 && transportLimit < STREAM) {
            ixfrOverUdp(snapshot);
        } else if (qtype == RecordType.AXFR || qtype == RecordType.IXFR) {
            // RFC 5936 §4.2: AXFR only over TCP, where the transport's TransferResponder (if offered) takes it before
            // the engine; transfers reaching the engine are not offered.
            assembler.reset(Rcode.REFUSED);
        } else {
            if (qclass == DnsClass.IN && directAnswers) {
                int n = directAnswer(snapshot, buf, offset, questionEnd, keptFlags, capacity, transportLimit);
                if (n > 0) {
                    return n;
                }
            }
            // RFC 1035 §3.2.5: QCLASS * matches any class, and class IN is all we serve, so * gets the class IN
            // answer, question echoed, as Knot answers it (NSD answers it apart, without AA).
            lookup(snapshot, false);
        }
        lastSlot = assembler.slot;
        lastGeneration = snapshot.generation(lastSlot);
        int n = write(buf, offset, questionEnd, keptFlags, capacity, transportLimit);
        assembler.release();
        return n;
    }

    /**
     * The common answers without the general walk, for a question name that is its zone's apex or one label below it
     * (so no cut or DNAME can lie between), or deeper with its parent existing and no cut or DNAME between (one
     * lookup per label between, none where the zone version rules them out: {@link StoredZone#mayHoldCutUnder}), no
     * DNSSEC data wanted — the name itself, or when it does not exist its parent's wildcard (RFC 4592 §3.3.1: the
     * parent is the closest encloser; its link, {@link StoredZone#wildcardChild}). With minimal responses:
     * <ul>
     *   <li>a name that is no delegation and holds an RRset of QTYPE whose RDATA has no name to compress: that RRset
     *       is the whole answer (RFC 1034 §4.3.2 step 3a), its records copied from the store behind a pointer to the
     *       question (offset 12) — the bytes the general path writes;</li>
     *   <li>at the apex, an RRset whose RDATA holds names (SOA, NS with its targets' addresses, MX): the zone's
     *       precomputed body ({@link ApexAnswers}), its pointers moved;</li>
     *   <li>NODATA (RFC 2308 §2.2) at such a name and NXDOMAIN (§2.1) when the parent has no wildcard (and no DNAME
     *       at the apex): the zone's negative body, the SOA in authority;</li>
     *   <li>a CNAME at such a name whose one step stays in the zone and ends in an RRset of the first kind
     *       ({@link #cnameAnswer});</li>
     *   <li>a referral from a cut at or above such a name ({@link #referral}).</li>
     * </ul>
     * With full responses the negative answers and the referrals, which are the same bytes in both modes (the zone's
     * NS and their addresses go with positive answers only). Anything else (names whose parent does not exist, which
     * need the closest encloser search; other CNAMEs, DNSSEC, a name an {@link ApexAnswers} body would compress
     * against, an answer that does not fit) returns 0 and takes the general path.
     *
     * @return the response length, or 0 when the question is not of this kind
     */
    private int directAnswer(CatalogSnapshot snapshot, MemorySegment buf, long offset, long questionEnd, int keptFlags,
                             int capacity, int transportLimit) {
        final int type = qtype;
        if (type == RecordType.ANY || type == RecordType.RRSIG || type == RecordType.NSEC3 || type == RecordType.DS) {
            return 0;
        }
        // The last question's zone is tried first (bench dns's mix, and most servers' traffic, is mostly one zone's):
        // its origin compared a word at a time instead of a suffix hashed and probed.
        final long number = snapshot.number();
        int zoneIndex = snapshot.find(qname, labelStarts, labelCount, qnameLength,
            number == hintSnapshot ? zoneHint : -1);
        foundZone = zoneIndex;
        if (zoneIndex >= 0 && (zoneIndex != zoneHint || number != hintSnapshot)) {
            hintSnapshot = number;
            zoneHint = zoneIndex;
            hintSlot = snapshot.slot(zoneIndex);
            hintGeneration = snapshot.generation(hintSlot);
        }
        if (zoneIndex < 0 || snapshot.expired(zoneIndex)) {
            return 0;
        }
        StoredZone zone = snapshot.zone(zoneIndex);
        final int originLabels = zone.originLabels();
        if (dnssecOk && zone.isSigned()) {
            return 0;
        }
        final boolean atApex = labelCount == originLabels;
        final boolean oneBelow = labelCount == originLabels + 1;
        // A deeper name's parent when known (cutBetween looks it up last), else -1.
        int parent = -1;
        if (!atApex && !oneBelow && zone.mayHoldCutUnder(qname, labelStarts[labelCount - originLabels - 1])) {
            // A deeper name: direct only when its ancestors exist with no DNAME above it; the highest cut among them
            // makes a referral (RFC 1034 §4.3.2 step 3b). Where the zone version knows no cut or DNAME can lie
            // between, the ancestors are not looked up: they exist when the name does, or its parent (below).
            int cutLabel = cutBetween(zone, qname, labelStarts, labelCount, qnameLength);
            if (cutLabel < 0) {
                return 0;
            }
            if (cutLabel > 0) {
                return referral(snapshot, zoneIndex, zone, cutNode, cutLabel, buf, offset, questionEnd, keptFlags,
                    capacity, transportLimit);
            }
            parent = cutParent;
        }
        final ApexAnswers bodies = zone.apexAnswers();
        boolean viaWildcard = false;
        int node = atApex ? zone.apex() : zone.node(qname, 0, qnameLength, qnameHash);
        foundNode = node; // the general path need not look it up again
        // The label just below the apex: a question under a name the negative body writes in full is compressed
        // against by the general writer (see ApexAnswers).
        final int belowApex = atApex ? 0 : labelStarts[labelCount - originLabels - 1];
        if (node < 0) {
            // RFC 1034 §4.3.2 step 3c, RFC 4592 §3.3.1: the parent exists, so it is the closest encloser; its
            // wildcard is the source of synthesis, else the name does not exist. (A DNAME at the apex: general path.)
            if (oneBelow && zone.has(zone.apex(), StoredZone.HAS_DNAME)) {
                return 0;
            }
            // One label below the apex the parent is the apex, whose wildcard the zone version has looked up;
            // deeper, the parent links to its wildcard child.
            if (oneBelow) {
                node = zone.apexWildcard();
            } else if ((node = wildcardBelow(zone, parent)) == NO_ENCLOSER) {
                return 0; // the closest encloser lies higher up: the general path searches for it
            }
            viaWildcard = true;
            if (node < 0) {
                if (bodies.near(qname, belowApex)) {
                    return 0;
                }
                return body(snapshot, zoneIndex, bodies, bodies.negative(), Rcode.NXDOMAIN, buf, offset, questionEnd,
                    keptFlags, capacity, transportLimit);
            }
        } else if (!atApex && zone.has(node, StoredZone.HAS_NS)) {
            return referral(snapshot, zoneIndex, zone, node, 0, buf, offset, questionEnd, keptFlags, capacity,
                transportLimit); // the question name is the cut
        }
        long record = zone.nodeRecord(node);
        long set = zone.rrset(record, type);
        if (set < 0) {
            long cname = zone.rrset(record, RecordType.CNAME);
            if (cname >= 0) {
                if (!assembler.minimalResponses) {
                    return 0; // a positive answer: full responses add the zone's NS and their addresses
                }
                return cnameAnswer(snapshot, zoneIndex, zone, node, viaWildcard, cname, buf, offset, questionEnd,
                    keptFlags, capacity, transportLimit);
            }
            if (!atApex && bodies.near(qname, belowApex)) {
                return 0; // a name the negative body's compression would point at
            }
            return body(snapshot, zoneIndex, bodies, bodies.negative(), Rcode.NOERROR, buf, offset, questionEnd,
                keptFlags, capacity, transportLimit);
        }
        if (type == RecordType.CNAME || type == RecordType.DNAME) {
            return 0;
        }
        if (ResponseWriter.compressible(type)) {
            if (!atApex || !assembler.minimalResponses) {
                return 0;
            }
            return body(snapshot, zoneIndex, bodies, bodies.forType(type), Rcode.NOERROR, buf, offset, questionEnd,
                keptFlags, capacity, transportLimit);
        }
        if (!assembler.minimalResponses) {
            return fullAnswer(snapshot, zoneIndex, zone, record, set, viaWildcard, buf, offset, questionEnd, keptFlags,
                capacity, transportLimit);
        }
        int optLength = edns ? OPT_LENGTH : 0;
        long limit = offset + responseLimit(capacity, transportLimit) - optLength;
        final MemorySegment data = zone.data();
        final int count = zone.recordCount(set);
        long p = questionEnd;
        long r = set + StoredZone.SET_HEADER;
        for (int k = 0; k < count; k++) {
            int length = data.get(U16, r + 6) & 0xFFFF;
            if (p + 12 + length > limit) {
                return 0; // does not fit: the general path truncates (RFC 2181 §9)
            }
            buf.set(U16, p, (short) (0xC000 | Header.LENGTH)); // the owner: the question name
            buf.set(U16, p + 2, (short) type);
            MemorySegment.copy(data, r, buf, p + 4, 8 + length); // CLASS, TTL, RDLENGTH, RDATA as stored
            p += 12 + length;
            r += 8 + length;
        }
        // The records as written are the set's answer sum: owned by the question pointer, stored bytes after TYPE.
        return finishDirect(snapshot, zoneIndex, buf, offset, p, zone.answerSum(set), keptFlags, Rcode.NOERROR, count,
            0, 0);
    }

    /**
     * A positive answer with full responses (NSD's default): the RRset (no names in its RDATA) behind a pointer to the
     * question, the zone's NS RRset in authority behind a pointer to the question's apex suffix, then the A and after
     * them the AAAA RRsets of the name servers the zone version found for its apex NS
     * ({@link StoredZone#apexNsTargets}), each owned by the pointer to where its name went in the NS RDATA — the
     * placements and order of the general walk ({@code Assembler.authorityNs}), written by {@link ResponseWriter}. An
     * address RRset that is the answer itself is not repeated (the general walk places an RRset once). SRV (its
     * targets' addresses go in additional too), DNSKEY (no NS with it), an answer from a wildcard whose node also holds
     * a name server's addresses, and anything that does not fit whole (the general path omits the NS and what follows,
     * or truncates) take the general path.
     *
     * @param record the node record holding the answer (the question's, or the wildcard's that matched it)
     * @param wildcard whether {@code record} is a wildcard's (RFC 4592 §3.3.1)
     * @return the response length, or 0
     */
    private int fullAnswer(CatalogSnapshot snapshot, int zoneIndex, StoredZone zone, long record, long set,
                           boolean wildcard, MemorySegment buf, long offset, long questionEnd, int keptFlags,
                           int capacity, int transportLimit) {
        final int type = qtype;
        if (type == RecordType.SRV || type == RecordType.DNSKEY) {
            return 0;
        }
        final long ns = zone.rrset(zone.nodeRecord(zone.apex()), RecordType.NS);
        final long[] servers = zone.apexNsTargets();
        if (ns < 0 || servers.length > ResponseWriter.RDATA_SITES) {
            return 0;
        }
        if (wildcard) {
            for (long server : servers) {
                if (server == record) {
                    return 0;
                }
            }
        }
        int optLength = edns ? OPT_LENGTH : 0;
        long limit = offset + responseLimit(capacity, transportLimit) - optLength;
        final ResponseWriter w = writer;
        w.begin(buf, offset, questionEnd, labelStarts, labelCount, limit);
        final int answers = w.rrset((short) (0xC000 | Header.LENGTH), zone, set);
        final int apex = Header.LENGTH + labelStarts[labelCount - zone.originLabels()];
        final int authorities = answers < 0 ? -1 : w.rrset((short) (0xC000 | apex), zone, ns);
        boolean fits = authorities >= 0;
        for (int k = 0; k < servers.length && fits; k++) {
            targetPointers[k] = w.rdataNamePointer(k);
            fits = servers[k] < 0 || targetPointers[k] != 0;
        }
        // Every pointer is set, so no server's name is needed from an array.
        final int additionals = fits ? addresses(w, zone, servers, servers.length, set) : -1;
        long p = w.end();
        if (additionals < 0) {
            return 0;
        }
        return finishDirect(snapshot, zoneIndex, buf, offset, p, NO_SUM, keptFlags, Rcode.NOERROR, answers,
            authorities, additionals);
    }

    /**
     * For a name two or more labels below its zone's apex (the question, or a CNAME's target): the highest name
     * strictly between the apex and it that has NS (a cut, RFC 1034 §4.3.2 step 3b, as the general walk finds it),
     * its node left in {@link #cutNode}. One lookup per label between; the callers ask only where the zone version's
     * set of labels with cuts under them ({@link StoredZone#mayHoldCutUnder}) leaves it open.
     *
     * @param starts the name's label starts, {@code labels} of them
     * @return the cut's index in {@code starts}; 0 when there is none; -1 when an ancestor does not exist (the
     *     closest encloser search is the general path's) or a DNAME (RFC 6672 §2.2) lies above the name, not at or
     *     above a cut
     */
    private int cutBetween(StoredZone zone, byte[] name, int[] starts, int labels, int nameLength) {
        for (int l = labels - zone.originLabels() - 1; l > 0; l--) {
            int start = starts[l];
            int length = nameLength - start;
            int n = zone.node(name, start, length, StoredZone.hash(name, start, length));
            if (n < 0) {
                return -1;
            }
            int flags = zone.flags(n);
            if ((flags & StoredZone.HAS_NS) != 0) {
                cutNode = n; // the general walk looks for cuts before DNAMEs: a cut with a DNAME too is a cut
                return l;
            }
            if ((flags & StoredZone.HAS_DNAME) != 0) {
                return -1; // no name exists below a DNAME (RFC 6672 §2.3, refused by the zone checks): a safeguard
            }
            cutParent = n;
        }
        return 0;
    }

    /**
     * A referral (RFC 1034 §4.3.2 step 3b) without the general walk: the cut's NS RRset in authority, owned by a
     * pointer to the question's suffix that is the cut, then the addresses of the name servers inside the zone
     * (glue below a cut, RFC 9471 §3, or authoritative data), A records first, then AAAA — the placements and the
     * order the general walk makes, and its compression's bytes: the name servers' names compressed by label counts
     * ({@link LabelCompression}, the same pointers as {@link ResponseWriter}'s table search), the addresses written by
     * {@link ResponseWriter} owned by pointers to those names. Not authoritative (AA clear). A name server inside the zone whose name does not exist (a wildcard or DNAME may answer for it), more
     * name servers than {@link #MAX_REFERRAL_TARGETS}, or a referral that does not whole fit (the general path leaves
     * glue out or sets TC) returns 0 for the general path.
     *
     * @param cutLabel the index in {@link #labelStarts} of the cut's name within the question
     * @return the response length, or 0
     */
    private int referral(CatalogSnapshot snapshot, int zoneIndex, StoredZone zone, int cut, int cutLabel,
                         MemorySegment buf, long offset, long questionEnd, int keptFlags, int capacity,
                         int transportLimit) {
        final long ns = zone.rrset(zone.nodeRecord(cut), RecordType.NS);
        final int count = zone.recordCount(ns);
        if (count > MAX_REFERRAL_TARGETS) {
            return 0;
        }
        int optLength = edns ? OPT_LENGTH : 0;
        long limit = offset + responseLimit(capacity, transportLimit) - optLength;
        final ResponseWriter w = writer;
        w.beginPlain(buf, offset, questionEnd, limit);
        final int targets = referralNs(zone, cut, ns, count,
            (short) (0xC000 | (Header.LENGTH + labelStarts[cutLabel])));
        final int additionals = targets >= 0 ? addresses(w, zone, targetRecords, targets, -1) : -1;
        long p = w.end();
        if (additionals < 0) {
            return 0;
        }
        directReferrals++;
        // The records' sum as the writer took it: the NS records' words as written, the addresses' stored sums.
        return finishDirect(snapshot, zoneIndex, buf, offset, p, w.sum(), keptFlags, 0, Rcode.NOERROR, 0,
            count, additionals);
    }

    /**
     * Writes a referral's NS RRset ({@code count} records at {@code ns}) after the question, owned by {@code owner}
     * (the pointer to the cut's name within the question), each name server's name compressed against the question
     * and the names before it ({@link LabelCompression}), and finds the name servers inside the zone — those whose
     * suffix equal to the question's covers the zone's origin, so that no other compare is needed — with their node
     * records ({@link #targetRecords}) and the pointers to their names ({@link #targetPointers}).
     *
     * @return how many name servers are inside the zone, or -1 when the set does not fit, a name server inside the
     *     zone does not exist or is named twice (the general path answers)
     */
    private int referralNs(StoredZone zone, int cut, long ns, int count, short owner) {
        final ResponseWriter w = writer;
        final LabelCompression c = nsCompression;
        final MemorySegment data = zone.data();
        c.begin(qname, labelStarts, labelCount, data);
        final int originLabels = zone.originLabels();
        int targets = 0;
        long r = ns + StoredZone.SET_HEADER;
        for (int k = 0; k < count; k++) {
            final int length = data.get(U16, r + 6) & 0xFFFF; // NS RDATA: the name alone, stored uncompressed
            final long rdataAt = r + 8;
            if (length > DnsName.MAX_WIRE_LENGTH || !c.add(rdataAt, rdataAt + length, w.offset() + 12) || c.length() != length) {
                return -1;
            }
            final int rdata = w.nsRecord(owner, data, r, c.prefix(), c.pointer());
            if (rdata < 0) {
                return -1;
            }
            if (length > 1 && c.questionCommon() >= originLabels) {
                // The first inside the zone: the cut's link to this server's node when the version holds it
                // (StoredZone.glueLink), instead of hashing the name and looking it up.
                int n = targets == 0 ? zone.glueLink(cut) : -1;
                if (n >= 0 && zone.nodeRecord(n) >= 0) {
                    linkedGlue++;
                } else {
                    n = zone.nodeOfStored(rdataAt, length);
                    if (n < 0) {
                        return -1;
                    }
                }
                long nodeRecord = zone.nodeRecord(n);
                for (int j = 0; j < targets; j++) {
                    if (targetRecords[j] == nodeRecord) {
                        return -1; // one name twice: the general walk places its addresses once
                    }
                }
                targetRecords[targets] = nodeRecord;
                // Its addresses are owned by where its name went: the pointer it was written as, or its first octet
                // (the message is far below the pointers' reach, see LabelCompression).
                targetPointers[targets++] = c.prefix() == 0 ? c.pointer() : (short) (0xC000 | rdata);
            }
            r += 8 + length;
        }
        return targets;
    }

    /**
     * The name servers' addresses in additional, as the general walk places them: the A RRsets of all, then the AAAA
     * RRsets, each owned by {@link #targetPointers}{@code [i]} (set for every name server with a node record) and
     * written by {@link ResponseWriter#plainRrset}.
     *
     * @param nodeRecords the name servers' node records (-1: a name server without one), {@code count} of them
     * @param answer an RRset already written as the answer, not repeated (-1: none)
     * @return the records written, or -1 when they do not fit
     */
    private int addresses(ResponseWriter w, StoredZone zone, long[] nodeRecords, int count, long answer) {
        int written = 0;
        for (int pass = 0; pass < 2; pass++) {
            final int type = pass == 0 ? RecordType.A : RecordType.AAAA;
            for (int i = 0; i < count; i++) {
                long set = nodeRecords[i] < 0 ? -1 : zone.rrset(nodeRecords[i], type);
                if (set >= 0 && set != answer) {
                    int n = w.plainRrset(targetPointers[i], zone, set);
                    if (n < 0) {
                        return -1;
                    }
                    written += n;
                }
            }
        }
        return written;
    }

    /**
     * A CNAME answer (RFC 1034 §4.3.2 step 3a) whose one step stays direct: the question's CNAME (one record) points
     * to an existing name of the same zone (the catalog's closest zone for it) with no cut at or above it and no DNAME
     * above it below the apex, holding an RRset of QTYPE without names to compress. Written as the general path
     * writes it: the CNAME owned by a pointer to the question, its target compressed against the question's longest
     * equal suffix (RFC 1035 §4.1.4; the only names written before it), then the target's RRset owned by a pointer to
     * the target's first occurrence. A chain of more, a loop, a target elsewhere, missing, delegated or without the
     * RRset (NXDOMAIN, NODATA, wildcard) returns 0 for the general path.
     *
     * <p>The target is taken from the link the zone version keeps ({@link StoredZone#cnameTarget}) when there is one
     * and the zone is innermost in the catalog (no served zone below it can hold the target): no copy, walk, hash or
     * lookup of the target, and the compression decided by its one label; else it is found by name
     * ({@link #cnameTargetByName}).
     *
     * @param node the node holding {@code cname}
     * @param viaWildcard whether that node is the wildcard that matched the question (RFC 4592 §3.3.1): the question
     *     is then not the CNAME's owner, and the target is found by name
     * @param cname the CNAME RRset of the question's node (or of the wildcard that matched it)
     * @return the response length, or 0
     */
    private int cnameAnswer(CatalogSnapshot snapshot, int zoneIndex, StoredZone zone, int node, boolean viaWildcard,
                            long cname, MemorySegment buf, long offset, long questionEnd, int keptFlags, int capacity,
                            int transportLimit) {
        if (zone.recordCount(cname) != 1) {
            return 0;
        }
        final MemorySegment data = zone.data();
        final long r = cname + StoredZone.SET_HEADER;
        final int length = data.get(U16, r + 6) & 0xFFFF;
        final int type = qtype;
        if (length < 2 || length > DnsName.MAX_WIRE_LENGTH || ResponseWriter.compressible(type)) {
            return 0; // the root (never compressed, no pointer to it) or not a name; or an RRset with names
        }
        final int linked = viaWildcard ? -1 : zone.cnameTarget(node);
        final long linkedRecord = linked >= 0 ? zone.nodeRecord(linked) : -1;
        final long set;
        final int prefix;
        final short pointer;
        final boolean viaLink = linkedRecord >= 0 && snapshot.innermost(zoneIndex);
        if (viaLink) {
            // The target is the apex or one label below it (what a link is made for), so no cut lies above it; the
            // question is the CNAME's owner, in the same zone: both end in the origin, which the question holds at
            // its apex suffix. The longest equal suffix is the whole target when its one label is the question's
            // label above that suffix, else the origin.
            final boolean apex = linked == zone.apex();
            if (!apex && zone.has(linked, StoredZone.HAS_NS)) {
                return 0; // the target is a cut: the general path refers
            }
            set = zone.rrset(linkedRecord, type);
            if (set < 0) {
                return 0;
            }
            final int originLabels = zone.originLabels();
            final int apexSuffix = labelStarts[labelCount - originLabels];
            final int label = apex ? 0 : 1 + (data.get(ValueLayout.JAVA_BYTE, r + 8) & 0xFF);
            final int above = labelCount > originLabels ? labelStarts[labelCount - originLabels - 1] : -1;
            if (!apex && above >= 0 && apexSuffix - above == label && zone.octetsEqual(r + 8, qname, above, label)) {
                prefix = 0;
                pointer = (short) (0xC000 | (Header.LENGTH + above));
            } else {
                prefix = label;
                pointer = (short) (0xC000 | (Header.LENGTH + apexSuffix));
            }
        } else {
            set = cnameTargetByName(snapshot, zoneIndex, zone, data, r + 8, length);
            if (set < 0) {
                return 0;
            }
            prefix = targetPrefix;
            pointer = targetPointer;
        }
        final int rdlength = pointer != 0 ? prefix + 2 : length;
        int optLength = edns ? OPT_LENGTH : 0;
        long limit = offset + responseLimit(capacity, transportLimit) - optLength;
        long p = questionEnd;
        if (p + 12 + rdlength > limit) {
            return 0;
        }
        buf.set(U16, p, (short) (0xC000 | Header.LENGTH));
        buf.set(U16, p + 2, (short) RecordType.CNAME);
        MemorySegment.copy(data, r, buf, p + 4, 6); // CLASS, TTL as stored
        buf.set(U16, p + 10, (short) rdlength);
        long rdata = p + 12;
        MemorySegment.copy(data, r + 8, buf, rdata, prefix);
        // The sum of what follows the question, from its end: the CNAME record's words as written (its target's
        // prefix octets as stored), then the target's records.
        long sum = StoredZone.QUESTION_POINTER + RecordType.CNAME + (data.get(U16, r) & 0xFFFF)
            + (data.get(U16, r + 2) & 0xFFFF) + (data.get(U16, r + 4) & 0xFFFF) + rdlength;
        sum += ResponseWriter.storedSum(data, r + 8, prefix);
        if (pointer != 0) {
            buf.set(U16, rdata + prefix, pointer);
            sum += InternetChecksum.placed(pointer & 0xFFFF, 12 + prefix);
        }
        p = rdata + rdlength;
        // The target's owner: the pointer it was written as, or a pointer to where it was written in full.
        final short owner = prefix == 0 ? pointer : (short) (0xC000 | (rdata - offset));
        // The set's answer sum counts each record's owner as the question pointer: the difference per record, in
        // ones' complement (adding 0xFFFF - m subtracts m, RFC 1071 §2), at the record's offset.
        final long ownerDifference = (owner & 0xFFFF) + (0xFFFF - StoredZone.QUESTION_POINTER);
        sum += InternetChecksum.placed(zone.answerSum(set), p - questionEnd);
        final int count = zone.recordCount(set);
        long s = set + StoredZone.SET_HEADER;
        for (int k = 0; k < count; k++) {
            int rl = data.get(U16, s + 6) & 0xFFFF;
            if (p + 12 + rl > limit) {
                return 0; // does not fit: the general path truncates (RFC 2181 §9)
            }
            buf.set(U16, p, owner);
            buf.set(U16, p + 2, (short) type);
            MemorySegment.copy(data, s, buf, p + 4, 8 + rl);
            sum += InternetChecksum.placed(ownerDifference, p - questionEnd);
            p += 12 + rl;
            s += 8 + rl;
        }
        directCnames++;
        linkedCnames += viaLink ? 1 : 0;
        return finishDirect(snapshot, zoneIndex, buf, offset, p, sum, keptFlags, Rcode.NOERROR, 1 + count, 0, 0);
    }

    /**
     * {@link #cnameAnswer}'s target found by name: copied from the store, its zone asked of the catalog, looked up,
     * checked for cuts, and its longest suffix equal to one of the question's found ({@link #targetPrefix},
     * {@link #targetPointer}).
     *
     * @param at where the target's {@code length} octets are in {@code data}
     * @return the target's RRset of QTYPE, or -1 when the answer is not direct
     */
    private long cnameTargetByName(CatalogSnapshot snapshot, int zoneIndex, StoredZone zone, MemorySegment data,
                                   long at, int length) {
        final byte[] t = target;
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, t, 0, length);
        int labels = 0;
        for (int o = 0; o < length && t[o] != 0; o += 1 + (t[o] & 0xFF)) {
            targetStarts[labels++] = o;
        }
        targetStarts[labels] = length - 1;
        if (snapshot.find(t, targetStarts, labels, length, zoneIndex) != zoneIndex) {
            return -1; // the target is served by another zone (or none): the general path follows it there
        }
        final int node = zone.node(t, 0, length, StoredZone.hash(t, 0, length));
        final boolean apex = labels == zone.originLabels();
        if (node < 0 || !apex && zone.has(node, StoredZone.HAS_NS)
            || labels > zone.originLabels() + 1
                && zone.mayHoldCutUnder(t, targetStarts[labels - zone.originLabels() - 1])
                && cutBetween(zone, t, targetStarts, labels, length) != 0) {
            return -1;
        }
        final long set = zone.rrset(zone.nodeRecord(node), qtype);
        if (set < 0) {
            return -1;
        }
        // The first of the target's suffixes equal to the question's suffix of as many labels (root excluded, as
        // the general writer never points at it) becomes a pointer: prefix octets of the target are written in full.
        int prefix = length;
        short pointer = 0;
        for (int j = 0; j < labels; j++) {
            int suffixLabels = labels - j;
            if (suffixLabels <= labelCount) {
                int q = labelStarts[labelCount - suffixLabels];
                int o = targetStarts[j];
                if (qnameLength - q == length - o && Names.sameIgnoringCase(t, o, qname, q, length - o)) {
                    prefix = o;
                    pointer = (short) (0xC000 | (Header.LENGTH + q));
                    break;
                }
            }
        }
        targetPrefix = prefix;
        targetPointer = pointer;
        return set;
    }

    /** {@link #wildcardBelow}: the question name's parent does not exist. */
    private static final int NO_ENCLOSER = -2;

    /**
     * For a question name two or more labels below the apex that does not exist (with no cut or DNAME between):
     * its parent's wildcard child by the parent's link ({@link StoredZone#wildcardChild}), or by name where the zone
     * version keeps none. (A method of its own: in {@link #directAnswer} it made that method slower to compile well.)
     *
     * @param parent the parent's node when known, else -1 (looked up here)
     * @return the wildcard's node, -1 when the parent has no wildcard child, or {@link #NO_ENCLOSER}
     */
    private int wildcardBelow(StoredZone zone, int parent) {
        if (parent < 0) {
            final int at = labelStarts[1];
            parent = zone.node(qname, at, qnameLength - at, StoredZone.hash(qname, at, qnameLength - at));
            if (parent < 0) {
                return NO_ENCLOSER;
            }
        }
        final int node = zone.wildcardChild(parent);
        if (node == StoredZone.WILDCARD_BY_NAME) {
            return wildcardBelowParent(zone);
        }
        linkedWildcards += node >= 0 ? 1 : 0;
        return node;
    }

    /**
     * @return the node of {@code *.<parent of the question name>} (RFC 4592 §2.1.1), or -1: by name, for a parent the
     *     zone version does not link to its wildcard child ({@link StoredZone#wildcardChild})
     */
    private int wildcardBelowParent(StoredZone zone) {
        final int parent = labelStarts[1];
        final int length = qnameLength - parent + 2;
        if (length > DnsName.MAX_WIRE_LENGTH) {
            return -1;
        }
        final byte[] w = wildcard;
        w[0] = 1;
        w[1] = '*';
        System.arraycopy(qname, parent, w, 2, length - 2);
        return zone.node(w, 0, length, StoredZone.hash(w, 0, length));
    }

    /** Writes {@link ApexAnswers} body {@code body} after the question; 0 when there is none or it does not fit. */
    private int body(CatalogSnapshot snapshot, int zoneIndex, ApexAnswers bodies, int body, int rcode,
                     MemorySegment buf, long offset, long questionEnd, int keptFlags, int capacity, int transportLimit) {
        if (body < 0) {
            return 0;
        }
        int optLength = edns ? OPT_LENGTH : 0;
        long limit = offset + responseLimit(capacity, transportLimit) - optLength;
        if (questionEnd + bodies.length(body) > limit) {
            return 0; // the general path leaves out what does not fit (RFC 2181 §9)
        }
        int apexOffset = Header.LENGTH + labelStarts[labelCount - snapshot.zone(zoneIndex).originLabels()];
        long sum = bodies.write(body, buf, offset, questionEnd, apexOffset);
        return finishDirect(snapshot, zoneIndex, buf, offset, questionEnd + bodies.length(body), sum, keptFlags, rcode,
            bodies.answers(body), bodies.authorities(body), bodies.additionals(body));
    }

    /** The OPT record and the header of a direct answer (authoritative, no TC) ending at {@code p}. */
    private int finishDirect(CatalogSnapshot snapshot, int zoneIndex, MemorySegment buf, long offset, long p,
                             long records, int keptFlags, int rcode, int answers, int authorities, int additionals) {
        return finishDirect(snapshot, zoneIndex, buf, offset, p, records, keptFlags, Header.FLAG_AA, rcode, answers,
            authorities, additionals);
    }

    /**
     * @param records the Internet-checksum sum (unfolded) of the octets from the question's end to {@code p}, taken
     *     as from an even offset; {@link #NO_SUM} when not taken (the caller then sums the response)
     * @param aa {@link Header#FLAG_AA}, or 0 for a referral
     */
    private int finishDirect(CatalogSnapshot snapshot, int zoneIndex, MemorySegment buf, long offset, long p,
                             long records, int keptFlags, int aa, int rcode, int answers, int authorities,
                             int additionals) {
        long opt = 0;
        if (edns) {
            writeOpt(buf, p, 0);
            opt = InternetChecksum.placed(optWords, p - offset);
            p += OPT_LENGTH;
            additionals++;
        }
        // FLAGS, QDCOUNT (1, as asked), ANCOUNT and NSCOUNT in one store, ARCOUNT in another.
        final long head = (long) (Header.FLAG_QR | keptFlags | aa | rcode) << 48 | 1L << 32 | (long) answers << 16
            | authorities;
        buf.set(U64, offset + Header.FLAGS_OFFSET, head);
        buf.set(U16, offset + Header.ARCOUNT_OFFSET, (short) additionals);
        if (records != NO_SUM) {
            // The response's sum after the ID (RFC 1071): header words, the question as read, the records from the
            // question's end (odd when the question is: its sum moved), the OPT record.
            // (The header's 32-bit halves: their sum folds as its 16-bit words' does, RFC 1071 §2(C).)
            lastSum = InternetChecksum.fold((head >>> 32) + (head & 0xFFFF_FFFFL) + additionals + questionSum
                + InternetChecksum.placed(records, Header.LENGTH + qnameLength + 4) + opt);
        }
        lastRcode = rcode;
        directAnswered++;
        // Every direct answer comes from the zone directAnswer found, which is the hint's.
        lastSlot = hintSlot;
        lastGeneration = hintGeneration;
        return (int) (p - offset);
    }

    /** RFC 6891 §6.2.3 and §6.2.5: the client's size, at least 512, at most ours; a stream has no datagram limit. */
    private int responseLimit(int capacity, int transportLimit) {
        int max;
        if (transportLimit >= STREAM) {
            max = STREAM;
        } else {
            int udp = edns ? Math.min(Math.max(ednsPayload, CLASSIC_UDP_SIZE), EDNS_UDP_SIZE) : CLASSIC_UDP_SIZE;
            max = Math.min(udp, transportLimit);
        }
        return Math.min(max, capacity);
    }

    /**
     * IXFR over UDP (RFC 1995 §2): the zone's current SOA alone — all the client needs when it is up to date; when it
     * is not, the same SOA with TC set, so it retries over TCP, where the transfer is served (the UDP reply never
     * carries differences). The name must be a zone's apex (else NOTAUTH, RFC 1995 has no other answer for it).
     */
    private void ixfrOverUdp(CatalogSnapshot snapshot) {
        final Assembler a = assembler;
        if (!a.resolve(snapshot, qname, qnameLength, RecordType.SOA, dnssecOk, false)) {
            a.reset(Rcode.REFUSED);
            notAuthoritative = true;
            return;
        }
        if (a.placed == 0 || a.section[0] != Assembler.ANSWER || a.type[0] != RecordType.SOA) {
            int slot = a.slot;
            a.release();
            a.reset(NOTAUTH);
            a.slot = slot;
            return;
        }
        for (int i = 1; i < a.placed; i++) {
            a.zoneOf[i] = null;
        }
        a.placed = 1; // the SOA alone: no NS in authority, no glue
        forceTruncated = !serialAtLeast(ixfrSerial, a.zoneOf[0].serial());
    }

    /** RFC 1982 §3.2: {@code s1} equals {@code s2} or lies less than 2^31 ahead of it (mod 2^32). */
    private static boolean serialAtLeast(long s1, long s2) {
        long d = (s1 - s2) & 0xFFFF_FFFFL;
        return d < (1L << 31);
    }

    /**
     * Reads the authority section's one record, which must be an SOA (RFC 1995 §3), keeping its serial.
     *
     * @return the offset past it, or -1 when malformed
     */
    private long parseClientSoa(MemorySegment buf, long message, long p, long end) {
        p = skipName(buf, message, p, end);
        if (p < 0 || p + 10 > end || u16(buf, p) != RecordType.SOA) {
            return -1;
        }
        long rdata = p + 10;
        long rdataEnd = rdata + u16(buf, p + 8);
        if (rdataEnd > end) {
            return -1;
        }
        long q = skipName(buf, message, rdata, rdataEnd);
        q = q < 0 ? -1 : skipName(buf, message, q, rdataEnd);
        if (q < 0 || q + 20 != rdataEnd) {
            return -1;
        }
        ixfrSerial = buf.get(U32, q) & 0xFFFF_FFFFL;
        return rdataEnd;
    }

    /** @return the catalog slot the last answer depends on (see {@link CatalogSnapshot#generation}) */
    public int lastZoneSlot() {
        return lastSlot;
    }

    /** @return the generation of {@link #lastZoneSlot()} in the catalog snapshot the last answer was made from */
    public long lastZoneGeneration() {
        return lastGeneration;
    }

    /**
     * @return the Internet-checksum sum (RFC 1071), folded, of the last response's octets after its ID — taken from
     *     the parts the engine wrote and the sums kept with the zone's RRsets and bodies, not from a pass over the
     *     response — or {@link #NO_SUM} where the engine did not take it (the general path: answers of the general
     *     walk, referrals it writes, CNAME chains, DNSSEC, TC; full responses' positive answers; a dropped query).
     *     A datagram transport adds it to the pseudo-header's, the UDP header's and the ID's for the UDP checksum
     *     (RFC 768).
     */
    public int lastSum() {
        return lastSum;
    }

    /**
     * @return the Internet-checksum sum (RFC 1071), folded, of the last query's octets after its ID, taken as it was
     *     parsed, when the parse read every octet of the message; else {@link #NO_SUM}. A datagram transport adds it
     *     to the pseudo-header's, the UDP header's and the ID's to verify the query's UDP checksum (RFC 768).
     */
    public int lastQuerySum() {
        return lastQuerySum;
    }

    /** @return the RCODE of the last answer (-1 when dropped), for per-thread counters */
    public int lastRcode() {
        return lastRcode;
    }

    /** @return the QTYPE of the last query parsed */
    public int lastQtype() {
        return qtype;
    }

    /** Runs the answering algorithm over the store; a name in no served zone is REFUSED (RFC 1034 §4.3.2 step 2). */
    private void lookup(CatalogSnapshot snapshot, boolean classAny) {
        if (!assembler.resolve(snapshot, qname, qnameLength, qtype, dnssecOk, classAny, foundZone, foundNode)) {
            assembler.reset(Rcode.REFUSED);
            notAuthoritative = true;
        }
    }

    /**
     * Reads the question name (lower-casing it into {@link #qname}), QTYPE and QCLASS.
     *
     * @param readable the end of the caller's buffer ({@code end} or past it): octets after the message up to there
     *     may be read as part of a word, and are masked off
     * @return the offset past the question, or -1 when malformed
     */
    private long parseQuestion(MemorySegment buf, long p, long end, long readable) {
        // The label lengths first (one read per label), then the name copied whole and lower-cased eight octets at a
        // time: a length octet is below 64, so folding A-Z leaves it as it is.
        final long start = p;
        // Each length octet must lie within the message and leave room for the root's within 255 octets
        // (RFC 1035 §3.1): one bound for both.
        final long limit = Math.min(end, start + DnsName.MAX_WIRE_LENGTH);
        if (p >= limit) {
            return -1;
        }
        int labels = 0;
        while (true) {
            int len = buf.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            if (len == 0) {
                break;
            }
            // A compression pointer in the first name of a message can only point into the header.
            if (len > DnsName.MAX_LABEL_LENGTH) {
                return -1;
            }
            labelStarts[labels++] = (int) (p - start);
            p += 1 + len;
            if (p >= limit) {
                return -1; // a label past the end, or a name of more than 255 octets
            }
        }
        labelStarts[labels] = (int) (p - start);
        p++;
        final int o = (int) (p - start);
        if (p + 4 > end) {
            return -1;
        }
        // Read eight octets at a time from the message while whole words lie within it (QTYPE and QCLASS follow the
        // name), the last word's octets past the name cleared; each word lower-cased, stored and hashed.
        // The words as read (the client's case) are summed for the response's UDP checksum as well: little-endian
        // words from an even offset, so their 32-bit halves add up to the byte-swapped sum (RFC 1071 §2(B)).
        final byte[] name = qname;
        long h = StoredZone.hashStart(o);
        long sum = 0;
        int i = 0;
        for (; i + 8 <= o; i += 8) {
            long raw = buf.get(LE_WORD, start + i);
            sum += (raw >>> 32) + (raw & 0xFFFF_FFFFL);
            long w = StoredZone.lowerWord(raw);
            WORDS.set(name, i, w);
            h = StoredZone.hashStep(h, w);
        }
        if (i < o) {
            // The last word reaches past QTYPE and QCLASS when the name ends one to three octets after a whole word:
            // the buffer goes on past the message (a query's buffer takes its response), so it is still one load.
            long w;
            if (start + i + 8 <= readable) {
                w = buf.get(LE_WORD, start + i);
            } else {
                w = 0;
                for (int k = 0; k < o - i; k++) {
                    w |= (buf.get(ValueLayout.JAVA_BYTE, start + i + k) & 0xFFL) << (k << 3);
                }
            }
            final long raw = w & (-1L >>> ((8 - (o - i)) << 3));
            sum += (raw >>> 32) + (raw & 0xFFFF_FFFFL);
            w = StoredZone.lowerWord(raw);
            WORDS.set(name, i, w);
            h = StoredZone.hashStep(h, w);
        }
        qnameHash = StoredZone.hashEnd(h);
        qnameLength = o;
        labelCount = labels;
        final int types = buf.get(U32, p);
        qtype = types >>> 16;
        qclass = types & 0xFFFF;
        // The little-endian sum swapped as a piece at an odd offset is (x 2^8, no fold first); QTYPE and QCLASS at
        // the name's length from an even offset: swapped when that is odd.
        questionSum = InternetChecksum.placed(sum, 1) + InternetChecksum.placed(qtype + qclass, o);
        return p + 4;
    }

    /**
     * Reads the additional section: at most one OPT (RFC 6891 §6.1.1) and possibly TSIG; anything else is FORMERR.
     * The OPT record is summed as it lies in the message ({@link #queryOptSum}).
     *
     * @return the offset past the section, or -1 when malformed
     */
    private long parseAdditional(MemorySegment buf, long message, long p, long end, int count) {
        edns = false;
        dnssecOk = false;
        ednsVersion = 0;
        ednsPayload = 0;
        tsig = false;
        queryOptSum = 0;
        for (int i = 0; i < count; i++) {
            long nameStart = p;
            p = skipName(buf, message, p, end);
            if (p < 0 || p + 10 > end) {
                return -1;
            }
            int type = u16(buf, p);
            int rrClass = u16(buf, p + 2);
            int ttl = buf.get(U32, p + 4);
            int rdlength = u16(buf, p + 8);
            long rdata = p + 10;
            if (rdata + rdlength > end) {
                return -1;
            }
            if (type == RecordType.OPT) {
                if (edns || p - nameStart != 1) {
                    return -1; // a second OPT, or an OPT not owned by the root
                }
                if (!optionsWellFormed(buf, rdata, rdata + rdlength)) {
                    return -1;
                }
                edns = true;
                ednsPayload = rrClass;
                ednsVersion = (ttl >>> 16) & 0xFF;
                dnssecOk = (ttl & 0x8000) != 0; // RFC 3225 §3
                optWords = optSum(0);
                // The root owner is a zero octet; TYPE to RDLENGTH and the options (RDATA, summed whole) follow it
                // from one offset, an odd one when the record starts at an even one: placed there (RFC 1071 §2(B)).
                final long fields = type + rrClass + (ttl >>> 16) + (ttl & 0xFFFF) + rdlength;
                queryOptSum = InternetChecksum.placed(
                    rdlength == 0 ? fields : InternetChecksum.sum(buf, rdata, rdlength, fields), p - message);
            } else if (type == RecordType.TSIG && i == count - 1) {
                tsig = true; // RFC 8945 §5.1: TSIG is the last record
            } else {
                return -1;
            }
            p = rdata + rdlength;
        }
        return p;
    }

    /** RFC 6891 §6.1.2: options are code, length, data; they must exactly fill RDATA. */
    private static boolean optionsWellFormed(MemorySegment buf, long p, long end) {
        while (p < end) {
            if (p + 4 > end) {
                return false;
            }
            p += 4 + u16(buf, p + 2);
        }
        return p == end;
    }

    /** Skips a possibly compressed name; pointers must point backwards into the message. -1 when malformed. */
    private static long skipName(MemorySegment buf, long message, long p, long end) {
        for (int guard = 0; guard < 128; guard++) {
            if (p >= end) {
                return -1;
            }
            int len = buf.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            if (len == 0) {
                return p + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                if (p + 2 > end) {
                    return -1;
                }
                int target = ((len & 0x3F) << 8) | (buf.get(ValueLayout.JAVA_BYTE, p + 1) & 0xFF);
                return message + target < p ? p + 2 : -1;
            }
            if ((len & 0xC0) != 0) {
                return -1;
            }
            p += 1 + len;
        }
        return -1;
    }

    private int write(MemorySegment buf, long offset, long questionEnd, int keptFlags, int capacity,
                      int transportLimit) {
        int max = responseLimit(capacity, transportLimit);
        int head = (int) (questionEnd - offset);
        boolean ede = notAuthoritative;
        int optLength = edns ? OPT_LENGTH + (ede ? EDE_NOT_AUTHORITATIVE_LENGTH : 0) : 0;
        int room = max - head - optLength;
        if (room < 0) {
            return DROP; // the caller's buffer cannot even hold the question back
        }
        final Assembler a = assembler;
        final ResponseWriter w = writer;
        long p = w.write(a, buf, offset, questionEnd, labelStarts, labelCount, questionEnd + room);
        int additional = w.additionals;
        if (edns) {
            writeOpt(buf, p, 0);
            p += OPT_LENGTH;
            if (ede) {
                buf.set(U16, p - 2, (short) EDE_NOT_AUTHORITATIVE_LENGTH);
                buf.set(U16, p, (short) 15);
                buf.set(U16, p + 2, (short) 2);
                buf.set(U16, p + 4, (short) 20);
                p += EDE_NOT_AUTHORITATIVE_LENGTH;
            }
            additional++;
        }
        final int answerFlags = (a.authoritative ? Header.FLAG_AA : 0) | (a.rcode & Header.RCODE_MASK);
        int flags = Header.FLAG_QR | keptFlags | answerFlags | (w.truncated || forceTruncated ? Header.FLAG_TC : 0);
        buf.set(U16, offset + Header.FLAGS_OFFSET, (short) flags);
        buf.set(U16, offset + Header.ANCOUNT_OFFSET, (short) w.answers);
        buf.set(U16, offset + Header.NSCOUNT_OFFSET, (short) w.authorities);
        buf.set(U16, offset + Header.ARCOUNT_OFFSET, (short) additional);
        lastRcode = a.rcode & Header.RCODE_MASK;
        return (int) (p - offset);
    }

    /** RFC 6891 §6.1.2: root owner, TYPE 41, CLASS = our UDP size, TTL = extended RCODE, version 0, DO; no options. */
    private void writeOpt(MemorySegment buf, long p, int extendedRcode) {
        // Owner, TYPE, CLASS and the TTL's first octet (the extended RCODE) in one store; the rest of the TTL
        // (version 0, DO copied back, RFC 3225 §3) and RDLENGTH 0 in another.
        buf.set(U64, p, OPT_HEAD | (long) extendedRcode << 16);
        buf.set(U32, p + 7, dnssecOk ? 0x8000_0000 : 0);
    }

    /**
     * The Internet-checksum sum of {@link #writeOpt}'s eleven octets taken as from an even offset: the 16-bit words
     * of its first eight, of which the second store replaces the eighth octet (version 0, then the DO octet: 0x80
     * with DO), then three zeros.
     */
    private long optSum(int extendedRcode) {
        final long head = OPT_HEAD | (long) extendedRcode << 16;
        return (head >>> 48) + (head >>> 32 & 0xFFFF) + (head >>> 16 & 0xFFFF) + (head & 0xFF00)
            + (dnssecOk ? 0x80 : 0);
    }

    /**
     * NSD's error form: the header alone, question dropped, QR and RCODE set, opcode and RD kept. For a query not
     * read whole, {@link #UNREAD} instead when the caller asked for that.
     */
    private int error(MemorySegment buf, long offset, int keptFlags, int rcode) {
        if (wholeOnly && lastQuerySum == NO_SUM) {
            return UNREAD;
        }
        final int flags = Header.FLAG_QR | keptFlags | rcode;
        buf.set(U16, offset + Header.FLAGS_OFFSET, (short) flags);
        buf.set(U32, offset + Header.QDCOUNT_OFFSET, 0);
        buf.set(U32, offset + Header.NSCOUNT_OFFSET, 0);
        lastRcode = rcode;
        lastSum = flags; // the header's only word that is not zero after the ID
        return Header.LENGTH;
    }

    /**
     * RFC 6891 §6.1.3: BADVERS (16) is extended RCODE 1 with header RCODE 0, in an OPT of version 0; the question
     * is echoed (as NSD does), nothing else.
     */
    private int badVersion(MemorySegment buf, long offset, long questionEnd, int keptFlags) {
        final int flags = Header.FLAG_QR | keptFlags;
        buf.set(U16, offset + Header.FLAGS_OFFSET, (short) flags);
        buf.set(U32, offset + Header.ANCOUNT_OFFSET, 0);
        buf.set(U16, offset + Header.ARCOUNT_OFFSET, (short) 1);
        writeOpt(buf, questionEnd, Rcode.BADVERS >>> 4);
        // FLAGS, QDCOUNT 1 (the query's, kept), ARCOUNT 1, the question, the OPT after it.
        lastSum = InternetChecksum.fold(flags + 1 + 1 + questionSum
            + InternetChecksum.placed(optSum(Rcode.BADVERS >>> 4), questionEnd - offset));
        lastRcode = Rcode.BADVERS;
        return (int) (questionEnd - offset) + OPT_LENGTH;
    }

    private static int u16(MemorySegment buf, long at) {
        return buf.get(U16, at) & 0xFFFF;
    }
}
