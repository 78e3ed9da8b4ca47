package dev.isthmus.dns.engine;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dns.wire.RecordType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies the RRsets an {@link Assembler} placed from the zone store into the response, section by section,
 * compressing names (RFC 1035 §4.1.4) against the question and the names already written: every suffix written at
 * an offset a pointer can reach is remembered, and a later name ending in a known suffix (compared ignoring case)
 * points back to its first occurrence. Names inside RDATA are compressed only for the RFC 1035 types (RFC 3597 §4:
 * NS, CNAME, SOA, PTR, MX); others are copied as stored.
 *
 * <p>Truncation at RRset boundaries (RFC 2181 §9), an RRset always with its RRSIGs (RFC 4035 §3.1.1), by what
 * the {@link Assembler} says of each placement ({@link Assembler#overflow}): answer and authority data that does not
 * fit is left out with everything after it and TC set; the zone's NS in the authority of a positive answer is left
 * out with everything after it without TC; additional data is left out alone, without TC, except the in-domain glue
 * of a referral, whose loss sets TC (RFC 9471 §3). The additional section is written A records first, then the
 * rest (as NSD does), so each name server's IPv4 address goes before any IPv6 one. One instance per thread; nothing
 * is allocated.
 */
final class ResponseWriter {
    private static final ValueLayout.OfShort U16 = StoredZone.U16;
    private static final ValueLayout.OfInt U32 = StoredZone.U32;
    private static final ValueLayout.OfLong LE_WORD =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The names written in this message, for compressing the later ones. */
    private final NameCompression compression = new NameCompression();
    /** Wire length of the question name (1: the root, which is never compressed). */
    private int questionLength;
    private final byte[] rdata = new byte[65536];
    /** How many records' RDATA offsets {@link #rdataNamePointer} keeps. */
    static final int RDATA_SITES = 16;
    /** Where each record's RDATA of the last RRset with names in RDATA went (the first {@link #RDATA_SITES}). */
    private final long[] rdataAt = new long[RDATA_SITES];

    int answers;
    int authorities;
    int additionals;
    boolean truncated;
    /** Some placement was left out (truncated or skipped) by the last {@link #write}. */
    boolean omitted;

    private MemorySegment buf;
    private long message;
    private long pos;
    private long limit;
    /** Where the body started (the question's end): {@link #sum} is taken from there. */
    private long bodyStart;
    /**
     * The Internet-checksum sum (RFC 1071, unfolded) of the records {@link #nsRecord} and {@link #plainRrset} wrote
     * since the body started, taken as from an even offset at {@link #bodyStart}; the other writers do not add to it.
     */
    private long sum;

    /**
     * Writes the placed RRsets after the question.
     *
     * @param questionEnd    where the body starts (just past the question)
     * @param questionLabels label starts of the question name, relative to its start at {@code message + 12}
     * @param limit          the first offset the body may not reach
     * @return the end of the body
     */
    long write(Assembler a, MemorySegment buf, long message, long questionEnd, int[] questionLabels, int labelCount,
               long limit) {
        begin(buf, message, questionEnd, questionLabels, labelCount, limit);
        try {
            // Pass 3 writes the additional A records, pass 4 the other additional data.
            for (int pass = 1; pass <= 4; pass++) {
                int s = Math.min(pass, Assembler.ADDITIONAL);
                for (int i = 0; i < a.placed; i++) {
                    if (a.section[i] != s || pass >= 3 && (a.type[i] == RecordType.A) != (pass == 3)) {
                        continue;
                    }
                    long mark = pos;
                    int known = compression.count();
                    int records = entry(a, i);
                    if (records < 0) {
                        pos = mark;
                        compression.truncate(known);
                        omitted = true;
                        byte overflow = a.overflow[i];
                        if (overflow == Assembler.TRUNCATE || overflow == Assembler.SKIP_TRUNCATE) {
                            truncated = true;
                        }
                        if (overflow == Assembler.TRUNCATE || overflow == Assembler.OMIT_REST) {
                            return pos;
                        }
                        continue;
                    }
                    if (s == Assembler.ANSWER) {
                        answers += records;
                    } else if (s == Assembler.AUTHORITY) {
                        authorities += records;
                    } else {
                        additionals += records;
                    }
                }
            }
            return pos;
        } finally {
            this.buf = null;
        }
    }

    /**
     * Starts a body after the question, the question's suffixes known to the compression table, for a caller that
     * then writes RRsets one by one ({@link #rrset}) in the order {@link #write} would, and ends with {@link #end}.
     * {@link #write} is this with the order taken from an {@link Assembler}.
     */
    void begin(MemorySegment buf, long message, long questionEnd, int[] questionLabels, int labelCount, long limit) {
        start(buf, message, questionEnd, limit);
        questionLength = questionLabels[labelCount] + 1;
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, message + 12, compression.names(), 0, questionLength);
        compression.begin(12, questionLength, questionLabels, labelCount);
    }

    /**
     * Writes the RRset at {@code set} of {@code zone} (TTLs as stored), as {@link #write} writes a placement, owned by
     * the name {@code ownerPointer} points at (the question, or a name written before): what the compression search
     * would find for it, the search skipped.
     *
     * @return records written, or -1 when the RRset does not fit (what it wrote is then to be discarded)
     */
    int rrset(short ownerPointer, StoredZone zone, long set) {
        return set(null, 0, zone, set, -1, ownerPointer);
    }

    /**
     * An RRset whose RDATA holds no name to compress (A, AAAA: a name server's addresses) owned by the name
     * {@code owner} points at, TTLs as stored: the bytes {@link #rrset(short, StoredZone, long)} writes for it, each
     * record the pointer, TYPE and one copy from the store (CLASS, TTL, RDLENGTH, RDATA).
     *
     * @return records written, or -1 when the RRset does not fit (nothing is then written)
     */
    int plainRrset(short owner, StoredZone zone, long set) {
        final MemorySegment data = zone.data();
        final short type = (short) zone.setType(set);
        final int count = zone.recordCount(set);
        long r = set + StoredZone.SET_HEADER;
        long p = pos;
        // The set's answer sum counts each record's owner as the question pointer: the owner's difference added per
        // record, in ones' complement (adding 0xFFFF - m subtracts m, RFC 1071 §2), at the record's offset.
        final long ownerDifference = (owner & 0xFFFF) + (0xFFFF - StoredZone.QUESTION_POINTER);
        long s = InternetChecksum.placed(zone.answerSum(set), p - bodyStart);
        for (int k = 0; k < count; k++) {
            int length = data.get(U16, r + 6) & 0xFFFF;
            if (p + 12 + length > limit) {
                return -1;
            }
            buf.set(U16, p, owner);
            buf.set(U16, p + 2, type);
            MemorySegment.copy(data, r, buf, p + 4, 8 + length);
            s += InternetChecksum.placed(ownerDifference, p - bodyStart);
            p += 12 + length;
            r += 8 + length;
        }
        pos = p;
        sum += s;
        return count;
    }

    /**
     * {@link #begin} for a body whose names the caller compresses ({@link LabelCompression}): the question's suffixes
     * are not entered in the compression table, which stays empty, so only {@link #nsRecord} and RRsets owned by a
     * pointer whose RDATA holds no name to compress ({@link #rrset(short, StoredZone, long)} of A, AAAA) may follow.
     */
    void beginPlain(MemorySegment buf, long message, long questionEnd, long limit) {
        start(buf, message, questionEnd, limit);
        questionLength = 0;
        compression.truncate(0);
    }

    /** What {@link #begin} and {@link #beginPlain} share: the body starts after the question, nothing counted yet. */
    private void start(MemorySegment buf, long message, long questionEnd, long limit) {
        this.buf = buf;
        this.message = message;
        this.pos = questionEnd;
        this.limit = limit;
        this.bodyStart = questionEnd;
        this.sum = 0;
        answers = 0;
        authorities = 0;
        additionals = 0;
        truncated = false;
        omitted = false;
    }

    /** @return the message offset the next record starts at */
    int offset() {
        return (int) (pos - message);
    }

    /**
     * One NS record (RFC 1035 §3.3.11: the RDATA is the name alone) owned by the name {@code owner} points at, copied
     * from the record at {@code r} of {@code data} (CLASS and TTL as stored): the first {@code prefix} octets of its
     * name, then {@code pointer} (RFC 1035 §4.1.4), or when that is 0 those octets alone (the whole name) — as
     * {@link LabelCompression} decided it for the RDATA at {@link #offset()} + 12.
     *
     * @return the message offset of the record's RDATA, or -1 when the record does not fit (nothing is written)
     */
    int nsRecord(short owner, MemorySegment data, long r, int prefix, short pointer) {
        final int rdlength = pointer != 0 ? prefix + 2 : prefix;
        if (!room(12 + rdlength)) {
            return -1;
        }
        final long p = pos;
        final short rrClass = data.get(U16, r); // CLASS and TTL as stored
        final int ttl = data.get(U32, r + 2);
        buf.set(U16, p, owner);
        buf.set(U16, p + 2, (short) RecordType.NS);
        buf.set(U16, p + 4, rrClass);
        buf.set(U32, p + 6, ttl);
        buf.set(U16, p + 10, (short) rdlength);
        final long rdata = p + 12;
        MemorySegment.copy(data, r + 8, buf, rdata, prefix);
        // The record's words as written, from its start: owner, TYPE, CLASS, TTL, RDLENGTH, the prefix's octets as
        // stored (at offset 12: even), the pointer after them.
        long s = (owner & 0xFFFF) + RecordType.NS + (rrClass & 0xFFFF) + (ttl >>> 16) + (ttl & 0xFFFF) + rdlength
            + storedSum(data, r + 8, prefix);
        if (pointer != 0) {
            buf.set(U16, rdata + prefix, pointer);
            s += InternetChecksum.placed(pointer & 0xFFFF, prefix);
        }
        sum += InternetChecksum.placed(s, p - bodyStart);
        pos = rdata + rdlength;
        return (int) (rdata - message);
    }

    /**
     * The Internet-checksum sum (RFC 1071, unfolded) of {@code length} octets of the store at {@code at}, as from an
     * even offset (a last odd octet the high one of a zero-padded word): eight octets a load, the last load the word
     * that ends with them (RDATA has its record header before it, so that word is within the store), summed in
     * little-endian order, whose sum is the big-endian one's bytes swapped — moved back as to an odd offset
     * ({@link InternetChecksum#placed}, RFC 1071 §2(B)). For the name prefix of an NS record here and of a CNAME in
     * {@code QueryEngine.cnameAnswer}.
     */
    static long storedSum(MemorySegment data, long at, int length) {
        long s = 0;
        int k = 0;
        for (; k + 8 <= length; k += 8) {
            final long w = data.get(LE_WORD, at + k);
            s += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        final int rest = length - k;
        if (rest > 0) {
            final long w = data.get(LE_WORD, at + length - 8) >>> ((8 - rest) << 3);
            s += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        return InternetChecksum.placed(s, 1);
    }

    /** @return the sum of the records {@link #nsRecord} and {@link #plainRrset} wrote since the body started */
    long sum() {
        return sum;
    }

    /**
     * @return for record {@code k} (below {@link #RDATA_SITES}) of the last RRset written whose RDATA starts with a
     *     compressible name (NS, CNAME, PTR, SOA): the pointer a later copy of that name takes, where the
     *     compression search would point it, or 0 when there is none within reach
     */
    short rdataNamePointer(int k) {
        return pointerTo(rdataAt[k]);
    }

    /** @return the end of the body {@link #begin} started */
    long end() {
        this.buf = null;
        return pos;
    }

    /** @return records written, or -1 when the placement does not fit */
    private int entry(Assembler a, int i) {
        final byte[] pool = a.pool;
        final int owner = a.owner[i];
        if (a.sets[i] == Assembler.SYNTHESIZED) {
            int target = (int) a.setAt[i];
            int length = Names.length(pool, target);
            System.arraycopy(pool, target, rdata, 0, length);
            return record(pool, owner, RecordType.CNAME, a.rrClass[i], a.ttl[i], length) ? 1 : -1;
        }
        final StoredZone z = a.zoneOf[i];
        final long ttl = a.ttl[i];
        int records = 0;
        long set = a.setAt[i];
        for (int k = 0; k < a.sets[i]; k++) {
            int n = set(pool, owner, z, set, ttl);
            if (n < 0) {
                return -1;
            }
            records += n;
            set = z.nextSet(set);
        }
        if (a.sigAt[i] >= 0) {
            int n = set(pool, owner, z, a.sigAt[i], ttl);
            if (n < 0) {
                return -1;
            }
            records += n;
        }
        return records;
    }

    private int set(byte[] pool, int owner, StoredZone z, long set, long ttl) {
        return set(pool, owner, z, set, ttl, (short) 0);
    }

    /** @param knownOwner the owner's compression pointer when the caller knows it ({@code pool} unused), or 0 */
    private int set(byte[] pool, int owner, StoredZone z, long set, long ttl, short knownOwner) {
        final MemorySegment data = z.data();
        final int type = z.setType(set);
        final int count = z.recordCount(set);
        final boolean names = compressible(type);
        long r = set + StoredZone.SET_HEADER;
        // After the first record the owner is known to the compression table: every later record of the set points
        // where the first one's owner points (the same two octets name() would find again, without the search).
        short ownerPointer = knownOwner;
        for (int k = 0; k < count; k++) {
            int rrClass = data.get(U16, r) & 0xFFFF;
            long recordTtl = ttl >= 0 ? ttl : data.get(U32, r + 2) & 0xFFFFFFFFL;
            int length = data.get(U16, r + 6) & 0xFFFF;
            if (ownerPointer != 0) {
                if (!room(2)) {
                    return -1;
                }
                pointer(ownerPointer);
            } else {
                long at = pos;
                if (!ownerName(pool, owner)) {
                    return -1;
                }
                ownerPointer = pointerTo(at);
            }
            if (names) {
                if (k < rdataAt.length) {
                    rdataAt[k] = pos + 10;
                }
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, r + 8, rdata, 0, length);
                if (!recordData(type, rrClass, recordTtl, length)) {
                    return -1;
                }
            } else {
                if (!room(10 + length)) {
                    return -1;
                }
                header(type, rrClass, recordTtl, length);
                MemorySegment.copy(data, r + 8, buf, pos, length);
                pos += length;
            }
            r += 8 + length;
        }
        return count;
    }

    /**
     * @return the pointer a later copy of the name written at {@code at} takes: the same pointer when the name was
     *     written as one, a pointer to {@code at} when it starts there within pointer reach, else 0 (none)
     */
    private short pointerTo(long at) {
        int first = buf.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        if ((first & 0xC0) == 0xC0) {
            return buf.get(U16, at);
        }
        long offset = at - message;
        return offset <= NameCompression.MAX_POINTER && first != 0 ? (short) (0xC000 | offset) : 0;
    }

    /**
     * Writes an owner name. The pool's name at offset 0 is the question name (see {@link Assembler#resolve}), whose
     * first occurrence is the question at offset 12: a pointer there, which is what the search would find.
     */
    private boolean ownerName(byte[] pool, int owner) {
        if (owner == 0 && questionLength > 1) {
            if (!room(2)) {
                return false;
            }
            pointer((short) (0xC000 | 12));
            return true;
        }
        return name(pool, owner);
    }

    /** Writes a record whose RDATA (in {@link #rdata}) holds names to compress. */
    private boolean record(byte[] pool, int owner, int type, int rrClass, long ttl, int length) {
        return ownerName(pool, owner) && recordData(type, rrClass, ttl, length);
    }

    /** Writes the rest of a record (after its owner) whose RDATA (in {@link #rdata}) holds names to compress. */
    private boolean recordData(int type, int rrClass, long ttl, int length) {
        if (!room(10)) {
            return false;
        }
        header(type, rrClass, ttl, 0);
        long lengthAt = pos - 2;
        long start = pos;
        int p = 0;
        if (type == RecordType.MX) {
            if (!raw(0, 2)) {
                return false;
            }
            p = 2;
        }
        if (!name(rdata, p)) {
            return false;
        }
        p = Names.length(rdata, p) + p;
        if (type == RecordType.SOA) {
            if (!name(rdata, p)) {
                return false;
            }
            p += Names.length(rdata, p);
        }
        if (!raw(p, length - p)) {
            return false;
        }
        buf.set(U16, lengthAt, (short) (pos - start));
        return true;
    }

    static boolean compressible(int type) {
        return type == RecordType.NS || type == RecordType.CNAME || type == RecordType.SOA
            || type == RecordType.PTR || type == RecordType.MX;
    }

    private boolean room(int n) {
        return pos + n <= limit;
    }

    private void header(int type, int rrClass, long ttl, int length) {
        buf.set(U16, pos, (short) type);
        buf.set(U16, pos + 2, (short) rrClass);
        buf.set(U32, pos + 4, (int) ttl);
        buf.set(U16, pos + 8, (short) length);
        pos += 10;
    }

    private boolean raw(int from, int length) {
        if (!room(length)) {
            return false;
        }
        MemorySegment.copy(rdata, from, buf, ValueLayout.JAVA_BYTE, pos, length);
        pos += length;
        return true;
    }

    /** Writes the name at {@code src[offset]}, ending in a pointer to the longest suffix already written. */
    private boolean name(byte[] src, int offset) {
        // Its suffixes are remembered at the offsets they will have (a name that does not fit is discarded whole by
        // the caller).
        final int match = compression.match(src, offset, (int) (pos - message));
        if (match >= 0) {
            final int prefix = match >>> 16;
            if (!room(prefix + 2)) {
                return false;
            }
            if (prefix > 0) {
                MemorySegment.copy(src, offset, buf, ValueLayout.JAVA_BYTE, pos, prefix);
                pos += prefix;
            }
            pointer((short) (0xC000 | match & 0xFFFF));
            return true;
        }
        final int length = -match;
        if (!room(length)) {
            return false;
        }
        MemorySegment.copy(src, offset, buf, ValueLayout.JAVA_BYTE, pos, length);
        pos += length;
        return true;
    }


    /** Writes a compression pointer (room already checked). */
    private void pointer(short value) {
        buf.set(U16, pos, value);
        pos += 2;
    }

    /** @return the compression table of the last message written (for {@code ApexBodyEncoderTest}'s reference) */
    NameCompression compression() {
        return compression;
    }
}
