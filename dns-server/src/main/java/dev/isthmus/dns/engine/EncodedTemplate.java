package dev.isthmus.dns.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A {@link ResponseTemplate} flattened into a byte array shared by every template of a generation, so answering
 * reads one contiguous run of memory per query instead of chasing objects. Big-endian 16-bit fields:
 * <pre>
 *   +0  flags (AA, RCODE)        +2  required cut        +4  cuts (C)        +6  fixups (F)
 *   +8  C x [body length, ANCOUNT, NSCOUNT, ARCOUNT]
 *       F x [body offset, constant (signed; {@link #QNAME} = point at the question name)]
 *       body
 * </pre>
 * Only static methods over {@code (byte[] arena, int at)}: no object per template on the answering path.
 */
final class EncodedTemplate {
    /** Fixup constant meaning "the whole question name" (offset 12). */
    static final int QNAME = Short.MIN_VALUE;

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SEGMENT_U16 =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private EncodedTemplate() {
    }

    static int u16(byte[] a, int at) {
        return (short) U16.get(a, at) & 0xFFFF;
    }

    static void putU16(byte[] a, int at, int v) {
        U16.set(a, at, (short) v);
    }

    static int flags(byte[] a, int at) {
        return u16(a, at);
    }

    static int requiredCut(byte[] a, int at) {
        return u16(a, at + 2);
    }

    /** @return the largest cut whose body fits in {@code room} octets (cut 0 is empty and always fits) */
    static int cutFor(byte[] a, int at, int room) {
        int c = u16(a, at + 4) - 1;
        while (c > 0 && u16(a, at + 8 + 8 * c) > room) {
            c--;
        }
        return c;
    }

    static int cutLength(byte[] a, int at, int cut) {
        return u16(a, at + 8 + 8 * cut);
    }

    static int answerCount(byte[] a, int at, int cut) {
        return u16(a, at + 10 + 8 * cut);
    }

    static int authorityCount(byte[] a, int at, int cut) {
        return u16(a, at + 12 + 8 * cut);
    }

    static int additionalCount(byte[] a, int at, int cut) {
        return u16(a, at + 14 + 8 * cut);
    }

    /** Copies the body up to {@code cut} to {@code bodyAt} and patches its compression pointers. */
    static void writeBody(byte[] a, int at, int cut, MemorySegment buf, long bodyAt, int qnameLength) {
        final int cuts = u16(a, at + 4);
        final int fixups = u16(a, at + 6);
        final int fixupStart = at + 8 + 8 * cuts;
        final int bodyStart = fixupStart + 4 * fixups;
        final int length = u16(a, at + 8 + 8 * cut);
        MemorySegment.copy(a, bodyStart, buf, ValueLayout.JAVA_BYTE, bodyAt, length);
        final int base = 12 + qnameLength;
        for (int i = fixupStart, end = bodyStart; i < end; i += 4) {
            int offset = u16(a, i);
            if (offset >= length) {
                break; // sorted by offset
            }
            int c = (short) U16.get(a, i + 2);
            int target = c == QNAME ? 12 : base + c;
            buf.set(SEGMENT_U16, bodyAt + offset, (short) (0xC000 | target));
        }
    }
}
