package dev.isthmus.dns.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A precomputed response, independent of the query's ID, case and (for answers below an existing name) of the
 * query name itself: the header bits to set, and the sections as wire bytes ("body") that follow the question.
 *
 * <p>Compression pointers in the body depend only on the question's length, so each is stored as a fixup: the
 * pointer's body offset and a constant; at answer time the pointer is {@code 12 + qnameLength + constant}, or the
 * question name itself (offset 12) for {@link #QNAME}. Body-internal pointers use {@code 4 + bodyOffset}
 * (past QTYPE and QCLASS), pointers into the question name use {@code -suffixLength}.
 *
 * <p>Truncation (RFC 2181 §9): the body is cut only at RRset boundaries ({@code cutLength}, with the section counts
 * at each cut). Cutting into the answer or authority sections sets TC; dropping additional RRsets does not.
 */
final class ResponseTemplate {
    /** Fixup constant meaning "point at the whole question name" (offset 12). */
    static final int QNAME = Integer.MIN_VALUE;

    /** Marks an entry whose answer depends on the query name beyond a template; the engine resolves it afresh. */
    static final ResponseTemplate QNAME_DEPENDENT = new ResponseTemplate(0, new byte[0], new int[] {0},
        new int[] {0}, new int[] {0}, new int[] {0}, 0, new int[0], new int[0]);

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** AA and RCODE bits for the header (QR, opcode and RD are the writer's). */
    final int flags;
    final byte[] body;
    final int[] cutLength;
    final int[] cutAnswer;
    final int[] cutAuthority;
    final int[] cutAdditional;
    /** Index of the first cut that holds every answer and authority RRset. */
    final int requiredCut;
    final int[] fixupOffset;
    final int[] fixupConstant;

    ResponseTemplate(int flags, byte[] body, int[] cutLength, int[] cutAnswer, int[] cutAuthority,
                     int[] cutAdditional, int requiredCut, int[] fixupOffset, int[] fixupConstant) {
        this.flags = flags;
        this.body = body;
        this.cutLength = cutLength;
        this.cutAnswer = cutAnswer;
        this.cutAuthority = cutAuthority;
        this.cutAdditional = cutAdditional;
        this.requiredCut = requiredCut;
        this.fixupOffset = fixupOffset;
        this.fixupConstant = fixupConstant;
    }

    /** @return the largest cut whose body fits in {@code room} octets (cut 0 is empty and always fits) */
    int cutFor(int room) {
        int[] lengths = cutLength;
        int c = lengths.length - 1;
        while (c > 0 && lengths[c] > room) {
            c--;
        }
        return c;
    }

    /** Copies the body up to {@code cut} to {@code bodyAt} and patches its compression pointers. */
    void writeBody(MemorySegment buf, long bodyAt, int cut, int qnameLength) {
        final int length = cutLength[cut];
        MemorySegment.copy(body, 0, buf, ValueLayout.JAVA_BYTE, bodyAt, length);
        final int[] offsets = fixupOffset;
        final int[] constants = fixupConstant;
        final int base = 12 + qnameLength;
        for (int i = 0; i < offsets.length; i++) {
            int at = offsets[i];
            if (at >= length) {
                break; // sorted by offset
            }
            int c = constants[i];
            int target = c == QNAME ? 12 : base + c;
            buf.set(U16, bodyAt + at, (short) (0xC000 | target));
        }
    }
}
