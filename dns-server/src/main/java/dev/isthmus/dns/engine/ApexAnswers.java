package dev.isthmus.dns.engine;

import dev.isthmus.dataplane.packet.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The answer bodies of one zone version that depend on nothing but the zone, written once when the version is built
 * (load, change, transfer) so that {@link QueryEngine} copies them instead of running the general walk and the
 * compression search per query: the minimal response to each apex RRset whose RDATA holds names to compress (SOA,
 * NS with the addresses of its targets, MX, PTR: RFC 1035 §4.1.4), and the authority section of a negative answer
 * (the SOA with the negative TTL, RFC 2308 §2-3), which NXDOMAIN and NODATA at the apex and one label below it share.
 * A handful of bodies per zone, whatever its name count — not an answer per name (the store keeps those as RRsets).
 *
 * <p>Each body is the bytes {@link ResponseWriter} writes for that outcome after a question that is the apex name
 * ({@link ApexBodyEncoder} writes them): its compression pointers point into that apex name or into the body itself.
 * Per query the body is copied after the real question and its pointers are moved — into the question's apex suffix
 * (the apex is a suffix of every name of the zone, and the writer compresses against the question's suffixes first),
 * or by the body's new place. The bytes are then the general path's, with one exception the engine checks before
 * using a body below the apex: the question name itself is a suffix the writer would have pointed at had a name of
 * the body equalled it, so a question whose first label is that of a name one label below the apex written in the
 * body (the SOA's MNAME {@code ns1.<apex>}, RNAME {@code hostmaster.<apex>}, or a longer name through them) takes the
 * general path. {@code DirectAnswerTest} compares the bytes with the general path's for every name and type of the
 * test zones.
 *
 * <p>Everything is in one array (a zone of 10 000 small ones keeps ~150 octets here, one object): a header, an entry
 * per body, the pointers to move, the near labels, then the bodies — all offsets and counts as 16-bit words, as a
 * body is at most {@link #MAX_BODY} octets. Larger bodies are not kept (the general path answers those).
 */
final class ApexAnswers {
    /** Larger bodies are left to the general path (it also keeps every pointer within reach, RFC 1035 §4.1.4). */
    static final int MAX_BODY = 2048;
    static final int MAX_POINTERS = 256;
    /** The "QTYPE" of the negative answers' authority body. */
    static final int NEGATIVE = 0;

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.nativeOrder());
    // The header: body count, apex name's wire length, where the near labels start and end.
    private static final int COUNT = 0;
    private static final int APEX_LENGTH = 2;
    private static final int NEAR_START = 4;
    private static final int NEAR_END = 6;
    private static final int HEADER = 8;
    // An entry per body, after the header: QTYPE (or NEGATIVE), where the body starts, its length, its section
    // counts, where its pointers start and end (each pointer two words: its offset in the body, and what it points
    // at relative to the question's apex — below the apex length in the apex name, else in the body), and the
    // body's Internet-checksum sum with its pointers as zeros (what write() adds the moved pointers to).
    private static final int TYPE = 0;
    private static final int START = 2;
    private static final int LENGTH = 4;
    private static final int ANSWERS = 6;
    private static final int AUTHORITIES = 8;
    private static final int ADDITIONALS = 10;
    private static final int POINTERS_START = 12;
    private static final int POINTERS_END = 14;
    private static final int SUM = 16;
    private static final int ENTRY = 18;

    /** No bodies: the engine takes the general path for everything this class would answer. */
    static final ApexAnswers NONE = new ApexAnswers(new byte[HEADER]);

    private final byte[] packed;

    private ApexAnswers(byte[] packed) {
        this.packed = packed;
    }

    private static int u16(byte[] b, int at) {
        return (short) U16.get(b, at) & 0xFFFF;
    }

    private static void u16(byte[] b, int at, int value) {
        U16.set(b, at, (short) value);
    }

    /** @return the body answering {@code qtype} at the apex, or -1 */
    int forType(int qtype) {
        final byte[] b = packed;
        for (int i = 0, n = u16(b, COUNT); i < n; i++) {
            if (u16(b, HEADER + i * ENTRY + TYPE) == qtype) {
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
        final byte[] b = packed;
        final int length = qname[at];
        for (int p = u16(b, NEAR_START), end = u16(b, NEAR_END); p < end; p += 1 + b[p]) {
            if (b[p] == length && Arrays.equals(b, p + 1, p + 1 + length, qname, at + 1, at + 1 + length)) {
                return true;
            }
        }
        return false;
    }

    int length(int body) {
        return u16(packed, HEADER + body * ENTRY + LENGTH);
    }

    int answers(int body) {
        return u16(packed, HEADER + body * ENTRY + ANSWERS);
    }

    int authorities(int body) {
        return u16(packed, HEADER + body * ENTRY + AUTHORITIES);
    }

    int additionals(int body) {
        return u16(packed, HEADER + body * ENTRY + ADDITIONALS);
    }

    /**
     * Copies a body to {@code at} and moves its pointers.
     *
     * @param message    where the DNS message starts
     * @param apexOffset the message offset of the question's apex suffix
     * @return the Internet-checksum sum (RFC 1071) of the body as written, taken as from an even offset (unfolded,
     *     below 2^32): the sum kept with the body, its pointers counted as zeros, plus each pointer as moved — the
     *     response's UDP checksum without a pass over the body. The body ends at {@code at + length(body)}.
     */
    long write(int body, MemorySegment buf, long message, long at, int apexOffset) {
        final byte[] b = packed;
        final int entry = HEADER + body * ENTRY;
        final int length = u16(b, entry + LENGTH);
        MemorySegment.copy(b, u16(b, entry + START), buf, ValueLayout.JAVA_BYTE, at, length);
        // A pointer's target relative to the apex: below apexLength it lies in the apex name, else in the body.
        final int apexLength = u16(b, APEX_LENGTH);
        final int bodyOffset = (int) (at - message);
        long sum = u16(b, entry + SUM);
        for (int p = u16(b, entry + POINTERS_START), end = u16(b, entry + POINTERS_END); p < end; p += 4) {
            int target = u16(b, p + 2);
            int offset = target < apexLength ? apexOffset + target : bodyOffset + target - apexLength;
            int where = u16(b, p);
            int pointer = 0xC000 | offset;
            buf.set(StoredZone.U16, at + where, (short) pointer);
            sum += InternetChecksum.placed(pointer, where);
        }
        return sum;
    }

    /** Same bodies, pointers and checks (two builds of one zone are equal: {@code ZoneLoaderTest} compares stores). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ApexAnswers other && Arrays.equals(packed, other.packed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(packed);
    }

    /** @return the bodies of {@code zone}, or {@link #NONE} when it has no apex SOA (a version being validated) */
    static ApexAnswers build(StoredZone zone) {
        return ENCODER.get().encode(zone);
    }

    /** Scratch of the threads building stores (the encoder's buffers are tens of KB). */
    private static final ThreadLocal<ApexBodyEncoder> ENCODER = ThreadLocal.withInitial(ApexBodyEncoder::new);

    /** For tests: the body's octets as kept (pointers as written for a question that is the apex). */
    byte[] bodyBytes(int body) {
        int entry = HEADER + body * ENTRY;
        int start = u16(packed, entry + START);
        return Arrays.copyOfRange(packed, start, start + u16(packed, entry + LENGTH));
    }

    /** For tests: the body's pointers, pairs of (offset in the body, target relative to the apex). */
    int[] pointers(int body) {
        int entry = HEADER + body * ENTRY;
        int from = u16(packed, entry + POINTERS_START);
        int[] p = new int[(u16(packed, entry + POINTERS_END) - from) / 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = u16(packed, from + 2 * i);
        }
        return p;
    }

    /** For tests: the QTYPE of each body ({@link #NEGATIVE} for the negative authority). */
    int[] types() {
        int[] t = new int[u16(packed, COUNT)];
        for (int i = 0; i < t.length; i++) {
            t[i] = u16(packed, HEADER + i * ENTRY + TYPE);
        }
        return t;
    }

    /** For tests: the near labels (length octet, then the lower-cased label), one after another. */
    byte[] nearLabels() {
        return Arrays.copyOfRange(packed, u16(packed, NEAR_START), u16(packed, NEAR_END));
    }

    /** The folded sum of {@code bytes[from, to)} with the two octets at each pointer's offset counted as zeros. */
    private static int sumWithoutPointers(byte[] bytes, int from, int to, int[] pointers, int pointerFrom,
                                          int pointerTo) {
        byte[] body = Arrays.copyOfRange(bytes, from, to);
        for (int k = pointerFrom; k < pointerTo; k += 2) {
            body[pointers[k]] = 0;
            body[pointers[k] + 1] = 0;
        }
        return InternetChecksum.fold(InternetChecksum.sum(body, 0, body.length, 0));
    }

    /**
     * Packs what {@link ApexBodyEncoder} wrote: {@code count} bodies, body {@code i} of QTYPE {@code types[i]} at
     * {@code bytes[starts[i]..starts[i+1])} with {@code counts[3i..3i+2]} records in answer, authority and
     * additional, and pointers {@code pointers[pointerStarts[i]..pointerStarts[i+1])} (pairs of ints).
     */
    static ApexAnswers pack(int count, int apexLength, int[] types, byte[] bytes, int[] starts, int[] counts,
                            int[] pointers, int[] pointerStarts, byte[] near, int nearLength) {
        if (count == 0) {
            return NONE;
        }
        int pointerWords = pointerStarts[count];
        int pointersAt = HEADER + count * ENTRY;
        int nearAt = pointersAt + pointerWords * 2;
        int bodiesAt = nearAt + nearLength;
        byte[] b = new byte[bodiesAt + starts[count]];
        u16(b, COUNT, count);
        u16(b, APEX_LENGTH, apexLength);
        u16(b, NEAR_START, nearAt);
        u16(b, NEAR_END, bodiesAt);
        for (int i = 0; i < count; i++) {
            int e = HEADER + i * ENTRY;
            u16(b, e + TYPE, types[i]);
            u16(b, e + START, bodiesAt + starts[i]);
            u16(b, e + LENGTH, starts[i + 1] - starts[i]);
            u16(b, e + ANSWERS, counts[3 * i]);
            u16(b, e + AUTHORITIES, counts[3 * i + 1]);
            u16(b, e + ADDITIONALS, counts[3 * i + 2]);
            u16(b, e + POINTERS_START, pointersAt + pointerStarts[i] * 2);
            u16(b, e + POINTERS_END, pointersAt + pointerStarts[i + 1] * 2);
            u16(b, e + SUM, sumWithoutPointers(bytes, starts[i], starts[i + 1], pointers, pointerStarts[i],
                pointerStarts[i + 1]));
        }
        for (int i = 0; i < pointerWords; i++) {
            u16(b, pointersAt + 2 * i, pointers[i]);
        }
        System.arraycopy(near, 0, b, nearAt, nearLength);
        System.arraycopy(bytes, 0, b, bodiesAt, starts[count]);
        return new ApexAnswers(b);
    }
}
