package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The answer bodies of one zone version that depend on nothing but the zone, written once when the version is built
 * (load, change, transfer) so that {@link QueryEngine} copies them instead of running the general walk and the
 * compression search per query: the minimal response to each apex RRset whose RDATA holds names to compress (SOA,
 * NS with the addresses of its targets, MX, PTR: RFC 1035 §4.1.4), and the authority section of a negative answer
 * (the SOA with the negative TTL, RFC 2308 §2-3), which NXDOMAIN and NODATA at the apex and one label below it share.
 * A handful of bodies per zone, whatever its name count — not an answer per name (the store keeps those as RRsets).
 *
 * <p>Each body is the bytes {@link ResponseWriter} writes for that outcome after a question that is the apex name:
 * its compression pointers point into that apex name or into the body itself. Per query the body is copied after the
 * real question and its pointers are moved — into the question's apex suffix (the apex is a suffix of every name of
 * the zone, and the writer compresses against the question's suffixes first), or by the body's new place. The bytes
 * are then the general path's, with one exception the engine checks before using a body below the apex: the question
 * name itself is a suffix the writer would have pointed at had a name of the body equalled it, so a question whose
 * first label is that of a name one label below the apex written in the body (the SOA's MNAME {@code ns1.<apex>},
 * RNAME {@code hostmaster.<apex>}, or a longer name through them) takes the general path. {@code DirectAnswerTest}
 * compares the bytes with the general path's for every name and type of the test zones.
 *
 * <p>Bodies larger than {@link #MAX_BODY} octets are not kept (the general path answers those).
 */
final class ApexAnswers {
    /** No bodies: the engine takes the general path for everything this class would answer. */
    static final ApexAnswers NONE = new ApexAnswers(new byte[0], new int[0], new int[1], new int[0], new int[0],
        new int[0], new int[1], new int[0], new byte[0], 0);

    /** Larger bodies are left to the general path (it also keeps every pointer within reach, RFC 1035 §4.1.4). */
    static final int MAX_BODY = 2048;
    private static final int MAX_POINTERS = 256;
    private static final int NEGATIVE = 0;

    /** The bodies, one after another. */
    private final byte[] bytes;
    /** Per body: its QTYPE at the apex, or {@link #NEGATIVE} for the negative answers' authority. */
    private final int[] types;
    /** Per body: where it starts in {@link #bytes}; one more entry, the end of the last. */
    private final int[] starts;
    private final int[] answers;
    private final int[] authorities;
    private final int[] additionals;
    /** Per body: its first pointer in {@link #pointerAt}; one more entry, the end. */
    private final int[] pointersFrom;
    /** Per pointer: its offset in the body, and (next int) what it points at, relative to the question's apex. */
    private final int[] pointerAt;
    /** Lower-cased labels (length octet, then the label), of the names one label below the apex in the SOA body. */
    private final byte[] nearLabels;
    /** Wire length of the apex name. */
    private final int apexLength;

    private ApexAnswers(byte[] bytes, int[] types, int[] starts, int[] answers, int[] authorities, int[] additionals,
                        int[] pointersFrom, int[] pointerAt, byte[] nearLabels, int apexLength) {
        this.bytes = bytes;
        this.types = types;
        this.starts = starts;
        this.answers = answers;
        this.authorities = authorities;
        this.additionals = additionals;
        this.pointersFrom = pointersFrom;
        this.pointerAt = pointerAt;
        this.nearLabels = nearLabels;
        this.apexLength = apexLength;
    }

    /** @return the body answering {@code qtype} at the apex, or -1 */
    int forType(int qtype) {
        final int[] t = types;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == qtype) {
                return i;
            }
        }
        return -1;
    }

    /** @return the body of negative answers (the SOA in authority), or -1 */
    int negative() {
        return forType(NEGATIVE);
    }

    /**
     * @return whether the label at {@code qname[at]} (lower-cased wire, the question's label just below the apex) is
     *     that of a name one label below the apex written in full in the negative body (the question's own name, or
     *     a suffix of it, would then be where the general writer points that name)
     */
    boolean near(byte[] qname, int at) {
        final byte[] near = nearLabels;
        final int length = qname[at];
        for (int p = 0; p < near.length; p += 1 + near[p]) {
            if (near[p] == length && Arrays.equals(near, p + 1, p + 1 + length, qname, at + 1, at + 1 + length)) {
                return true;
            }
        }
        return false;
    }

    int length(int body) {
        return starts[body + 1] - starts[body];
    }

    int answers(int body) {
        return answers[body];
    }

    int authorities(int body) {
        return authorities[body];
    }

    int additionals(int body) {
        return additionals[body];
    }

    /**
     * Copies a body to {@code at} and moves its pointers.
     *
     * @param message    where the DNS message starts
     * @param apexOffset the message offset of the question's apex suffix
     * @return the end of the body
     */
    long write(int body, MemorySegment buf, long message, long at, int apexOffset) {
        final int start = starts[body];
        final int length = starts[body + 1] - start;
        MemorySegment.copy(bytes, start, buf, ValueLayout.JAVA_BYTE, at, length);
        // A pointer's target relative to the apex: below apexLength it lies in the apex name, else in the body.
        final int bodyOffset = (int) (at - message);
        final int[] p = pointerAt;
        for (int i = pointersFrom[body], end = pointersFrom[body + 1]; i < end; i += 2) {
            int target = p[i + 1];
            int offset = target < apexLength ? apexOffset + target : bodyOffset + target - apexLength;
            buf.set(StoredZone.U16, at + p[i], (short) (0xC000 | offset));
        }
        return at + length;
    }

    /** Same bodies, pointers and checks (two builds of one zone are equal: {@code ZoneLoaderTest} compares stores). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ApexAnswers other && Arrays.equals(bytes, other.bytes) && Arrays.equals(types, other.types)
            && Arrays.equals(starts, other.starts) && Arrays.equals(answers, other.answers)
            && Arrays.equals(authorities, other.authorities) && Arrays.equals(additionals, other.additionals)
            && Arrays.equals(pointersFrom, other.pointersFrom) && Arrays.equals(pointerAt, other.pointerAt)
            && Arrays.equals(nearLabels, other.nearLabels) && apexLength == other.apexLength;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Arrays.hashCode(pointerAt);
    }

    /** @return the bodies of {@code zone}, or {@link #NONE} when it has no apex SOA (a version being validated) */
    static ApexAnswers build(StoredZone zone) {
        int apex = zone.apex();
        if (apex < 0) {
            return NONE;
        }
        long record = zone.nodeRecord(apex);
        if (zone.rrset(record, RecordType.SOA) < 0 || zone.rrset(record, RecordType.CNAME) >= 0) {
            return NONE;
        }
        Builder b = BUILDER.get();
        b.start(zone);
        b.add(zone, NEGATIVE);
        long set = zone.firstSet(record);
        for (int i = 0, n = zone.setCount(record); i < n; i++, set = zone.nextSet(set)) {
            int type = zone.setType(set);
            if (ResponseWriter.compressible(type) && type != RecordType.CNAME) {
                b.add(zone, type);
            }
        }
        return b.finish(zone.originWire().length);
    }

    /** Scratch of the thread building stores (the writer's buffers are tens of KB). */
    private static final ThreadLocal<Builder> BUILDER = ThreadLocal.withInitial(Builder::new);

    private static final class Builder {
        private final byte[] template = new byte[Header.LENGTH + 255 + 4 + 4 * MAX_BODY];
        private final MemorySegment segment = MemorySegment.ofArray(template);
        private final ResponseWriter writer = new ResponseWriter();
        private final int[] sites = new int[MAX_POINTERS];
        private final int[] labelStarts = new int[128];
        private int labelCount;
        private int questionEnd;
        private int originLabels;
        private byte[] bytes;
        private int used;
        private int count;
        private int[] types;
        private int[] starts;
        private int[] answers;
        private int[] authorities;
        private int[] additionals;
        private int[] pointersFrom;
        private int[] pointerAt;
        private int pointerCount;
        private byte[] near;
        private int nearUsed;

        Builder() {
            writer.pointerSites = sites;
        }

        void start(StoredZone zone) {
            byte[] origin = zone.originWire();
            System.arraycopy(origin, 0, template, Header.LENGTH, origin.length);
            labelCount = Names.labelStarts(origin, 0, labelStarts);
            labelStarts[labelCount] = origin.length - 1;
            originLabels = zone.originLabels();
            questionEnd = Header.LENGTH + origin.length + 4;
            bytes = new byte[256];
            used = 0;
            count = 0;
            types = new int[4];
            starts = new int[5];
            answers = new int[4];
            authorities = new int[4];
            additionals = new int[4];
            pointersFrom = new int[5];
            pointerAt = new int[16];
            pointerCount = 0;
            near = new byte[0];
            nearUsed = 0;
        }

        /** Writes the body of {@code qtype} (0: negative authority) as the general path would; keeps it if whole. */
        void add(StoredZone zone, int qtype) {
            Assembler a = Assembler.apexTemplate(zone, qtype);
            final ResponseWriter w = writer;
            long end;
            try {
                end = w.write(a, segment, 0, questionEnd, labelStarts, labelCount, template.length);
            } finally {
                a.release();
            }
            int length = (int) end - questionEnd;
            if (w.omitted || w.truncated || length > MAX_BODY || w.pointers > MAX_POINTERS || a.placed == 0) {
                return;
            }
            if (count == types.length) {
                int n = count * 2;
                types = Arrays.copyOf(types, n);
                starts = Arrays.copyOf(starts, n + 1);
                answers = Arrays.copyOf(answers, n);
                authorities = Arrays.copyOf(authorities, n);
                additionals = Arrays.copyOf(additionals, n);
                pointersFrom = Arrays.copyOf(pointersFrom, n + 1);
            }
            if (used + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
            }
            System.arraycopy(template, questionEnd, bytes, used, length);
            types[count] = qtype;
            starts[count] = used;
            answers[count] = w.answers;
            authorities[count] = w.authorities;
            additionals[count] = w.additionals;
            pointersFrom[count] = pointerCount;
            final int apexStart = Header.LENGTH;
            final int apexLength = questionEnd - 4 - apexStart;
            for (int i = 0; i < w.pointers; i++) {
                int site = sites[i];
                int target = ((template[site] & 0x3F) << 8) | (template[site + 1] & 0xFF);
                // Into the question (the apex name), or into the body: both as an offset from the apex's start,
                // the body counted as following the apex name directly.
                int relative = target < questionEnd ? target - apexStart : target - questionEnd + apexLength;
                if (pointerCount + 2 > pointerAt.length) {
                    pointerAt = Arrays.copyOf(pointerAt, pointerAt.length * 2);
                }
                pointerAt[pointerCount++] = site - questionEnd;
                pointerAt[pointerCount++] = relative;
            }
            count++;
            used += length;
            starts[count] = used;
            pointersFrom[count] = pointerCount;
            if (qtype == NEGATIVE) {
                // The names one label below the apex this body writes in full: a question equal to one of them
                // would have been their compression target.
                for (int i = 0; i < w.suffixCount(); i++) {
                    int at = w.suffixAt(i);
                    if (at >= questionEnd && w.suffixLabels(i) == originLabels + 1) {
                        int len = template[at] & 0xFF;
                        near = Arrays.copyOf(near, nearUsed + 1 + len);
                        near[nearUsed] = (byte) len;
                        for (int k = 1; k <= len; k++) {
                            near[nearUsed + k] = StoredZone.LOWER[template[at + k] & 0xFF];
                        }
                        nearUsed += 1 + len;
                    }
                }
            }
        }

        ApexAnswers finish(int apexLength) {
            return new ApexAnswers(Arrays.copyOf(bytes, used), Arrays.copyOf(types, count),
                Arrays.copyOf(starts, count + 1), Arrays.copyOf(answers, count), Arrays.copyOf(authorities, count),
                Arrays.copyOf(additionals, count), Arrays.copyOf(pointersFrom, count + 1),
                Arrays.copyOf(pointerAt, pointerCount), near, apexLength);
        }
    }
}
