package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Writes the bodies {@link ApexAnswers} keeps for one zone version: for a question that is the apex name, the
 * octets {@link ResponseWriter} writes after the {@link Assembler}'s walk placed, with minimal responses and without
 * DO, either the authority of a negative answer (the apex SOA with the negative TTL, RFC 2308 §3) or an apex RRset
 * whose RDATA holds names (SOA, MX, PTR; NS, followed by the A and then the AAAA RRsets of its in-zone targets,
 * RFC 1034 §3.6.2, as {@link Assembler#apexNsTargets} found them). Those are the only shapes, so this writes them
 * directly, with the writer's rules: owners and RDATA names (RFC 1035 types only, RFC 3597 §4) compressed against
 * the first occurrence of each suffix written, compared ignoring case; an owner of a later record of an RRset where
 * the first one's points; an RRset placed once per owner. Loading 10 000 zones then neither walks the general
 * path nor has the JIT compile the general writer for it. {@code ApexBodyEncoderTest} compares every body with the
 * general writer's.
 *
 * <p>One instance per thread that builds stores.
 */
final class ApexBodyEncoder {
    private static final int QUESTION = Header.LENGTH;

    /** The message: a question that is the apex name at {@link #QUESTION}, then the body being written. */
    private final byte[] message = new byte[QUESTION + 255 + 4 + ApexAnswers.MAX_BODY];
    private int questionEnd;
    private int apexLength;
    private int originLabels;
    private int pos;
    private int limit;

    /** The compression table, the general writer's own. */
    private final NameCompression compression = new NameCompression();
    /** The apex's label starts ({@link #originLabels} of them): its suffixes are known from each body's start. */
    private final int[] apexStarts = new int[128];
    private boolean negative;

    /** The RDATA of the record being written, and the names of the apex NS targets whose addresses go along. */
    private final byte[] rdata = new byte[65536];
    private final byte[] targets = new byte[65536];
    private int[] targetAt = new int[16];
    private long[] targetRecord = new long[16];

    // The bodies written so far.
    private byte[] bytes = new byte[4096];
    private int used;
    private int count;
    private final int[] types = new int[8];
    private final int[] starts = new int[9];
    private final int[] counts = new int[24];
    private int[] pointers = new int[2 * ApexAnswers.MAX_POINTERS];
    private final int[] pointerStarts = new int[9];
    private int pointerWords;
    private int bodyPointers;
    private byte[] near = new byte[64];
    private int nearUsed;

    /** @return the bodies of {@code zone}, or {@link ApexAnswers#NONE} when it has no apex SOA or a CNAME there */
    ApexAnswers encode(StoredZone zone) {
        int apex = zone.apex();
        if (apex < 0) {
            return ApexAnswers.NONE;
        }
        long record = zone.nodeRecord(apex);
        long soa = zone.rrset(record, RecordType.SOA);
        if (soa < 0 || zone.rrset(record, RecordType.CNAME) >= 0) {
            return ApexAnswers.NONE;
        }
        byte[] origin = zone.originWire();
        System.arraycopy(origin, 0, message, QUESTION, origin.length);
        apexLength = origin.length;
        originLabels = Names.labelStarts(origin, 0, apexStarts);
        questionEnd = QUESTION + origin.length + 4;
        limit = questionEnd + ApexAnswers.MAX_BODY;
        used = 0;
        count = 0;
        pointerWords = 0;
        nearUsed = 0;
        body(zone, ApexAnswers.NEGATIVE, soa);
        long set = zone.firstSet(record);
        for (int i = 0, n = zone.setCount(record); i < n; i++, set = zone.nextSet(set)) {
            int type = zone.setType(set);
            if (ResponseWriter.compressible(type) && type != RecordType.CNAME) {
                body(zone, type, set);
            }
        }
        return ApexAnswers.pack(count, apexLength, types, bytes, starts, counts, pointers, pointerStarts, near,
            nearUsed);
    }

    /** Writes the body of {@code qtype} (the apex RRset {@code set}); keeps it when it is whole and small enough. */
    private void body(StoredZone zone, int qtype, long set) {
        begin(qtype == ApexAnswers.NEGATIVE);
        final int mark = nearUsed;
        final byte[] origin = zone.originWire();
        int answers = 0;
        int authorities = 0;
        int additionals = 0;
        if (qtype == ApexAnswers.NEGATIVE) {
            authorities = rrset(origin, 0, zone, set, zone.negativeTtl());
        } else {
            answers = rrset(origin, 0, zone, set, -1);
            if (answers >= 0 && qtype == RecordType.NS) {
                additionals = nsAddresses(zone, set);
            }
        }
        if (answers < 0 || authorities < 0 || additionals < 0 || bodyPointers > ApexAnswers.MAX_POINTERS) {
            nearUsed = mark;
            pointerWords = pointerStarts[count];
            return; // too long: the general path answers it
        }
        int length = pos - questionEnd;
        if (used + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
        }
        System.arraycopy(message, questionEnd, bytes, used, length);
        types[count] = qtype;
        starts[count] = used;
        counts[3 * count] = answers;
        counts[3 * count + 1] = authorities;
        counts[3 * count + 2] = additionals;
        used += length;
        count++;
        starts[count] = used;
        pointerStarts[count] = pointerWords;
    }

    /** Starts a body after the question, the question's suffixes known (as {@link ResponseWriter#begin}). */
    private void begin(boolean negativeBody) {
        negative = negativeBody;
        pos = questionEnd;
        bodyPointers = 0;
        pointerStarts[count] = pointerWords;
        System.arraycopy(message, QUESTION, compression.names(), 0, apexLength);
        compression.begin(QUESTION, apexLength, apexStarts, originLabels);
    }

    /**
     * The A RRsets, then the AAAA RRsets, of the apex NS targets in the zone, each target once (the walk places an
     * RRset once per owner, compared ignoring case; the writer writes additional A records first).
     *
     * @return records written, or -1 when they do not fit
     */
    private int nsAddresses(StoredZone zone, long ns) {
        long[] found = zone.apexNsTargets();
        final MemorySegment data = zone.data();
        int n = 0;
        int end = 0;
        long r = ns + StoredZone.SET_HEADER;
        for (int i = 0; i < found.length; i++) {
            int rdlength = data.get(StoredZone.U16, r + 6) & 0xFFFF;
            if (found[i] >= 0) {
                int length = copyName(data, r + 8, targets, end);
                boolean seen = false;
                for (int k = 0; k < n && !seen; k++) {
                    seen = Names.equalsIgnoreCase(targets, targetAt[k], targets, end);
                }
                if (!seen) {
                    if (n == targetAt.length) {
                        targetAt = Arrays.copyOf(targetAt, n * 2);
                        targetRecord = Arrays.copyOf(targetRecord, n * 2);
                    }
                    targetAt[n] = end;
                    targetRecord[n++] = found[i];
                    end += length;
                    if (end + 256 > targets.length) {
                        return -1; // far past a body's room
                    }
                }
            }
            r += 8 + rdlength;
        }
        int a = addresses(zone, n, RecordType.A);
        int aaaa = a < 0 ? -1 : addresses(zone, n, RecordType.AAAA);
        return aaaa < 0 ? -1 : a + aaaa;
    }

    /** @return records of {@code type} written for the first {@code n} targets, or -1 when they do not fit */
    private int addresses(StoredZone zone, int n, int type) {
        int records = 0;
        for (int k = 0; k < n; k++) {
            long set = zone.rrset(targetRecord[k], type);
            if (set >= 0) {
                int written = rrset(targets, targetAt[k], zone, set, -1);
                if (written < 0) {
                    return -1;
                }
                records += written;
            }
        }
        return records;
    }

    private static int copyName(MemorySegment data, long at, byte[] to, int offset) {
        int p = offset;
        while (true) {
            int len = data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            to[p++] = (byte) len;
            if (len == 0) {
                return p - offset;
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at + 1, to, p, len);
            p += len;
            at += 1 + len;
        }
    }

    /**
     * Writes the RRset at {@code set} owned by the name at {@code owner[ownerAt]}, TTLs as stored or {@code ttl}.
     *
     * @return records written, or -1 when it does not fit
     */
    private int rrset(byte[] owner, int ownerAt, StoredZone zone, long set, long ttl) {
        final MemorySegment data = zone.data();
        final int type = zone.setType(set);
        final int n = zone.recordCount(set);
        final boolean compress = ResponseWriter.compressible(type);
        long r = set + StoredZone.SET_HEADER;
        int ownerPointer = 0;
        for (int k = 0; k < n; k++) {
            int rrClass = data.get(StoredZone.U16, r) & 0xFFFF;
            long recordTtl = ttl >= 0 ? ttl : data.get(StoredZone.U32, r + 2) & 0xFFFFFFFFL;
            int length = data.get(StoredZone.U16, r + 6) & 0xFFFF;
            if (ownerPointer != 0) {
                if (pos + 2 > limit) {
                    return -1;
                }
                pointer(ownerPointer);
            } else {
                int at = pos;
                if (!name(owner, ownerAt)) {
                    return -1;
                }
                ownerPointer = pointerTo(at);
            }
            if (pos + 10 > limit) {
                return -1;
            }
            header(type, rrClass, recordTtl);
            int start = pos;
            if (compress) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, r + 8, rdata, 0, length);
                if (!recordData(type, length)) {
                    return -1;
                }
            } else {
                if (pos + length > limit) {
                    return -1;
                }
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, r + 8, message, pos, length);
                pos += length;
            }
            int rdlength = pos - start;
            message[start - 2] = (byte) (rdlength >>> 8);
            message[start - 1] = (byte) rdlength;
            r += 8 + length;
        }
        return n;
    }

    /** TYPE, CLASS, TTL; RDLENGTH is set once the RDATA is written. */
    private void header(int type, int rrClass, long ttl) {
        final byte[] m = message;
        int p = pos;
        m[p] = (byte) (type >>> 8);
        m[p + 1] = (byte) type;
        m[p + 2] = (byte) (rrClass >>> 8);
        m[p + 3] = (byte) rrClass;
        m[p + 4] = (byte) (ttl >>> 24);
        m[p + 5] = (byte) (ttl >>> 16);
        m[p + 6] = (byte) (ttl >>> 8);
        m[p + 7] = (byte) ttl;
        pos = p + 10;
    }

    /** The RDATA in {@link #rdata}: MX's preference, the names (SOA: two), the rest as stored. */
    private boolean recordData(int type, int length) {
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
        p += Names.length(rdata, p);
        if (type == RecordType.SOA) {
            if (!name(rdata, p)) {
                return false;
            }
            p += Names.length(rdata, p);
        }
        return raw(p, length - p);
    }

    private boolean raw(int from, int length) {
        if (pos + length > limit) {
            return false;
        }
        System.arraycopy(rdata, from, message, pos, length);
        pos += length;
        return true;
    }

    /**
     * @return the pointer a later copy of the name written at {@code at} takes: the same pointer when the name was
     *     written as one, a pointer to {@code at} when it starts there within pointer reach, else 0 (none)
     */
    private int pointerTo(int at) {
        int first = message[at] & 0xFF;
        if ((first & 0xC0) == 0xC0) {
            return (first << 8) | (message[at + 1] & 0xFF);
        }
        return at <= NameCompression.MAX_POINTER && first != 0 ? 0xC000 | at : 0;
    }

    /** Writes the name at {@code src[offset]}, ending in a pointer to the longest suffix already written. */
    private boolean name(byte[] src, int offset) {
        final int known = compression.count();
        final int match = compression.match(src, offset, pos);
        if (negative) {
            near(known);
        }
        if (match >= 0) {
            int prefix = match >>> 16;
            if (pos + prefix + 2 > limit) {
                return false;
            }
            System.arraycopy(src, offset, message, pos, prefix);
            pos += prefix;
            pointer(0xC000 | match & 0xFFFF);
            return true;
        }
        final int length = -match;
        if (pos + length > limit) {
            return false;
        }
        System.arraycopy(src, offset, message, pos, length);
        pos += length;
        return true;
    }

    /**
     * Keeps, of the suffixes the table remembered from the {@code from}th on, each name one label below the apex
     * written in full in the negative body: a question equal to it would have been its compression target (see
     * {@link ApexAnswers}).
     */
    private void near(int from) {
        final byte[] names = compression.names();
        for (int i = from, n = compression.count(); i < n; i++) {
            if (compression.at(i) >= questionEnd && compression.labels(i) == originLabels + 1) {
                int source = compression.source(i);
                int len = names[source] & 0xFF;
                if (nearUsed + 1 + len > near.length) {
                    near = Arrays.copyOf(near, Math.max(near.length * 2, nearUsed + 1 + len));
                }
                near[nearUsed] = (byte) len;
                for (int k = 1; k <= len; k++) {
                    near[nearUsed + k] = StoredZone.LOWER[names[source + k] & 0xFF];
                }
                nearUsed += 1 + len;
            }
        }
    }

    /** Writes a compression pointer (room checked), noting it to be moved per query. */
    private void pointer(int value) {
        message[pos] = (byte) (value >>> 8);
        message[pos + 1] = (byte) value;
        if (bodyPointers < ApexAnswers.MAX_POINTERS) {
            // What it points at, as an offset from the apex's start with the body following the apex name directly.
            int target = value & 0x3FFF;
            if (pointerWords + 2 > pointers.length) {
                pointers = Arrays.copyOf(pointers, pointers.length * 2);
            }
            pointers[pointerWords++] = pos - questionEnd;
            pointers[pointerWords++] = target < questionEnd ? target - QUESTION : target - questionEnd + apexLength;
        }
        bodyPointers++;
        pos += 2;
    }
}
